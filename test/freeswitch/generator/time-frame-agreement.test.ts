// One source of truth for "is it during hours": the conditions the generator writes for a time frame, read the way
// FreeSWITCH 1.10 reads them (mod_dialplan_xml's switch_xml_std_datetime_check: wday names, time-of-day in seconds
// with both ends included, year and yday as numbers or ranges, all attributes of a condition together), agree with
// the domain's evaluator (src/domain/time-rules.ts, which the portal's "it is now inside/outside" uses) over many
// random rules and instants in zones with and without daylight saving. The real FreeSWITCH check of a few cases is
// in test/e2e/time-frames.test.ts.
import { expect } from 'chai';
import type { TimeRule } from '../../../src/domain/model';
import { localMoment, ruleCovers } from '../../../src/domain/time-rules';
import { toLocal } from '../../../src/domain/zoned-time';
import { dateRangeAttributes, timeRuleConditions } from '../../../src/freeswitch/generator/flows';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** switch_number_cmp: "5", "3-7" or a comma list of those. */
function numberMatches(exp: string, value: number): boolean {
  return exp.split(',').some((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? value === a : value >= (a as number) && value <= b;
  });
}

/** switch_tod_cmp: "HH:MM[:SS]-HH:MM[:SS]", seconds of the day, both ends included. */
function todMatches(exp: string, seconds: number): boolean {
  const secs = (t: string) => {
    const [h, m, s] = t.split(':').map(Number);
    return (h as number) * 3600 + (m as number) * 60 + (s ?? 0);
  };
  const [from, to] = exp.split('-') as [string, string];
  return seconds >= secs(from) && seconds <= secs(to);
}

/** One `<condition>`'s date/time attributes at an instant in the zone, as FreeSWITCH evaluates them. */
function freeswitchMatches(attrs: Record<string, string>, zone: string, ms: number): boolean {
  const l = toLocal(zone, ms);
  const weekday = new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
  const yday = (Date.UTC(l.year, l.month - 1, l.day) - Date.UTC(l.year, 0, 1)) / 86_400_000 + 1;
  for (const [name, exp] of Object.entries(attrs)) {
    if (name === 'wday' && !exp.split(',').includes(DAY_NAMES[weekday] as string)) return false;
    if (name === 'time-of-day' && !todMatches(exp, l.hour * 3600 + l.minute * 60 + l.second)) return false;
    if (name === 'year' && !numberMatches(exp, l.year)) return false;
    if (name === 'yday' && !numberMatches(exp, yday)) return false;
  }
  return true;
}

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function randomRule(r: () => number): TimeRule {
  const days = [0, 1, 2, 3, 4, 5, 6].filter(() => r() < 0.5);
  if (!days.length) days.push(Math.floor(r() * 7));
  const allDay = r() < 0.25;
  const start = Math.floor(r() * 23 * 60);
  const end = start + 1 + Math.floor(r() * (24 * 60 - start - 1));
  const rule: TimeRule = { days, allDay, from: allDay ? '00:00' : hhmm(start), to: allDay ? '24:00' : hhmm(end) };
  if (r() < 0.5) {
    const first = Date.UTC(2025, 10, 1) + Math.floor(r() * 500) * 86_400_000;
    const last = first + Math.floor(r() * 800) * 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    Object.assign(rule, { dateFrom: iso(first), dateTo: iso(last) });
  }
  return rule;
}

describe('time frames: the generated conditions agree with the domain evaluator', () => {
  it('splits date ranges by year with FreeSWITCH day-of-year numbers', () => {
    expect(dateRangeAttributes('2026-03-01', '2026-03-01')).to.deep.equal([{ year: '2026', yday: '60' }]);
    expect(dateRangeAttributes('2028-03-01', '2028-03-02')).to.deep.equal([{ year: '2028', yday: '61-62' }]);
    expect(dateRangeAttributes('2026-12-24', '2027-01-02')).to.deep.equal([
      { year: '2026', yday: '358-365' },
      { year: '2027', yday: '1-2' },
    ]);
    expect(dateRangeAttributes('2026-12-31', '2030-01-01')).to.deep.equal([
      { year: '2026', yday: '365' },
      { year: '2027-2029' },
      { year: '2030', yday: '1' },
    ]);
    expect(dateRangeAttributes('2027-01-02', '2026-12-24')).to.deep.equal([]);
  });

  it('carries the weekday and hours into every part of a date range', () => {
    const rule: TimeRule = {
      days: [1, 2, 3, 4, 5],
      allDay: false,
      from: '10:00',
      to: '16:00',
      dateFrom: '2026-12-28',
      dateTo: '2027-01-08',
    };
    expect(timeRuleConditions(rule)).to.deep.equal([
      { year: '2026', yday: '362-365', wday: 'mon,tue,wed,thu,fri', 'time-of-day': '10:00-16:00' },
      { year: '2027', yday: '1-8', wday: 'mon,tue,wed,thu,fri', 'time-of-day': '10:00-16:00' },
    ]);
  });

  for (const zone of ['America/New_York', 'America/Chicago', 'Europe/London', 'Asia/Kolkata', 'Pacific/Kiritimati'])
    it(`in ${zone}: 200 rules × 50 instants (seconds 30 of a minute), the same answer`, () => {
      const r = random(zone.length * 7919);
      for (let i = 0; i < 200; i++) {
        const rule = randomRule(r);
        const conditions = timeRuleConditions(rule);
        for (let k = 0; k < 50; k++) {
          // Instants from late 2025 to 2028, on the half minute: FreeSWITCH compares to the second with the end
          // second included, the portal to the minute with the end excluded; they differ only in that one second.
          const ms = Date.UTC(2025, 9, 1) + Math.floor(r() * 900 * 1440) * 60_000 + 30_000;
          const fs = conditions.some((c) => freeswitchMatches(c, zone, ms));
          const domain = ruleCovers(rule, localMoment(zone, ms));
          if (fs !== domain)
            expect.fail(
              `${JSON.stringify(rule)} at ${new Date(ms).toISOString()} (${zone}): FreeSWITCH ${fs}, portal ${domain}`,
            );
        }
      }
    });

  it('at rule edges too: the minute before the end is inside, the end minute outside', () => {
    const zone = 'America/Chicago';
    const rule: TimeRule = { days: [3], allDay: false, from: '09:00', to: '17:00' };
    const [cond] = timeRuleConditions(rule) as [Record<string, string>];
    // Wednesday 2026-03-04 in Chicago (UTC-6).
    for (const [h, m, inside] of [
      [8, 59, false],
      [9, 0, true],
      [16, 59, true],
      [17, 1, false],
    ] as const) {
      const ms = Date.UTC(2026, 2, 4, h + 6, m, 30);
      expect(freeswitchMatches(cond, zone, ms), `${h}:${m}`).to.equal(inside);
      expect(ruleCovers(rule, localMoment(zone, ms)), `${h}:${m}`).to.equal(inside);
    }
  });
});
