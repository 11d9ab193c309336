// Time conditions in the PBX time zone (time frames, holidays) and the dt_tf_<id> entry points.
//
// How FreeSWITCH 1.10 picks the zone: mod_dialplan_xml evaluates the date/time attributes of a <condition>
// (year, mon, mday, wday, time-of-day, …) with switch_xml_std_datetime_check(), and before *each* condition it
// re-reads two channel variables: `tod_tz_offset` (a whole-hour offset, wins when numeric) and `timezone` (an IANA
// name looked up in timezones.conf, DST-aware). So every entry point that tests time first runs
// `set timezone=<PBX zone>` with inline="true": inline actions execute during the hunt, so the conditions that
// follow in the same extension already see the PBX zone. (`date-time` is not used: it compares against the
// server's local clock and ignores `timezone`.) The zone must exist in timezones.conf.xml on the host.
import type { TimeRule } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { compileDestination, entry } from '../entry-points';
import type { Action, Fragment } from '../xml';
import { type Condition, ctxOf, entryCondition, extension } from './common';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The inline `set timezone=…` every time-dependent entry point starts with (also for Find Me hours). */
export function timezoneAction(snap: PbxSnapshot): Action {
  const tz = snap.pbx.timezone.replace(/[^A-Za-z0-9_/+-]/g, '') || 'UTC';
  return { app: 'set', data: `timezone=${tz}`, inline: true };
}

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

/**
 * Condition attributes for "these weekdays, from–to": `wday` takes FreeSWITCH day names; `time-of-day` is
 * from ≤ now < to in seconds of the day, so "24:00" means until midnight. All-day rules carry no time-of-day.
 * Undefined for a rule that cannot match (no valid day, bad times), so callers skip it.
 */
export function timeRuleAttributes(rule: TimeRule): Record<string, string> | undefined {
  const days = [...new Set(rule.days)].filter((d) => Number.isInteger(d) && d >= 0 && d <= 6).sort((a, b) => a - b);
  if (!days.length) return undefined;
  const attrs: Record<string, string> = { wday: days.map((d) => DAYS[d]).join(',') };
  const whole = rule.allDay || (rule.from === '00:00' && rule.to === '24:00');
  if (!whole) {
    if (!HHMM.test(rule.from) || !HHMM.test(rule.to) || rule.from >= rule.to) return undefined;
    attrs['time-of-day'] = `${rule.from}-${rule.to}`;
  }
  return attrs;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day of the year, 1-366, of a YYYY-MM-DD date (FreeSWITCH's `yday`: tm_yday + 1). */
function dayOfYear(y: number, m: number, d: number): number {
  return (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * A date range (YYYY-MM-DD, both days included) as `year` + `yday` attributes, evaluated like `wday` in the channel's
 * `timezone`: one set within a year; across years the first year's tail, the whole years between, the last year's
 * head. Empty for dates that cannot be read or a range that ends before it starts.
 */
export function dateRangeAttributes(from: string, to: string): Array<Record<string, string>> {
  const a = DATE.exec(from);
  const b = DATE.exec(to);
  if (!a || !b || from > to) return [];
  const [y1, y2] = [Number(a[1]), Number(b[1])];
  const d1 = dayOfYear(y1, Number(a[2]), Number(a[3]));
  const d2 = dayOfYear(y2, Number(b[2]), Number(b[3]));
  const span = (x: number, y: number) => (x === y ? String(x) : `${x}-${y}`);
  if (y1 === y2) return [{ year: String(y1), yday: span(d1, d2) }];
  const out: Array<Record<string, string>> = [{ year: String(y1), yday: span(d1, isLeap(y1) ? 366 : 365) }];
  if (y2 - y1 > 1) out.push({ year: span(y1 + 1, y2 - 1) });
  out.push({ year: String(y2), yday: span(1, d2) });
  return out;
}

/**
 * Every condition attribute set of a rule (any one matching means the rule matches): the weekday/time attributes,
 * combined with each part of its date range when it has one. Empty for a rule that cannot match.
 */
export function timeRuleConditions(rule: TimeRule): Array<Record<string, string>> {
  const base = timeRuleAttributes(rule);
  if (!base) return [];
  if (!rule.dateFrom || !rule.dateTo) return [base];
  return dateRangeAttributes(rule.dateFrom, rule.dateTo).map((dates) => ({ ...dates, ...base }));
}

/** `year`/`mon`/`mday` of a YYYY-MM-DD holiday: the whole day in the channel's `timezone`. */
export function holidayAttributes(date: string): Record<string, string> | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return { year: String(Number(m[1])), mon: String(Number(m[2])), mday: String(Number(m[3])) };
}

/**
 * The days from `from` to `to` (YYYY-MM-DD, inclusive) as condition attributes: one per calendar month, with an mday
 * range (`24-31`), which FreeSWITCH's datetime check reads as a range. [] when a date does not parse or to < from.
 */
export function holidayRangeAttributes(from: string, to: string): Array<Record<string, string>> {
  const a = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from);
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(to);
  if (!a || !b || to < from) return [];
  const out: Array<Record<string, string>> = [];
  let [y, m, d] = [Number(a[1]), Number(a[2]), Number(a[3])];
  const [ey, em, ed] = [Number(b[1]), Number(b[2]), Number(b[3])];
  // Bounded: at most one entry per month between the two dates (the rules allow 31 days; a hand-edited row no more).
  for (let guard = 0; guard < 24; guard++) {
    const last = y === ey && m === em;
    const end = last ? ed : new Date(Date.UTC(y, m, 0)).getUTCDate();
    out.push({ year: String(y), mon: String(m), mday: d === end ? String(d) : `${d}-${end}` });
    if (last) break;
    [y, m, d] = m === 12 ? [y + 1, 1, 1] : [y, m + 1, 1];
  }
  return out;
}

/**
 * Conditions that send the call to `then` when any rule matches: one condition per rule, each with
 * break="on-true" so the first match ends the hunt and a miss falls through to the next condition.
 */
export function whenAny(attrs: Array<Record<string, string> | undefined>, then: Action[]): Condition[] {
  return attrs
    .filter((a): a is Record<string, string> => a !== undefined)
    .map((time) => ({ time, break: 'on-true' as const, actions: then }));
}

export function timeFrameFiles(snap: PbxSnapshot): Fragment[] {
  const ctx = ctxOf(snap);
  return [...snap.timeFrames]
    .sort((a, b) => a.id - b.id)
    .map((tf) => {
      const name = entry.timeFrame(tf.id);
      return {
        path: `dialplan/${ctx}/22_tf_${tf.id}.xml`,
        comment: `Time frame #${tf.id} of PBX ${ctx}: during hours, else after hours (PBX time zone), generated by Dialtone`,
        build: (parent) =>
          extension(parent, name, [
            entryCondition(name, [timezoneAction(snap)]),
            ...whenAny(tf.rules.flatMap(timeRuleConditions), compileDestination(tf.during, snap)),
            entryCondition(name, compileDestination(tf.after, snap)),
          ]),
      };
    });
}
