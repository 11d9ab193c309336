// Turns an IANA time zone and a reference year into a phone's UTC offset and yearly DST rule, deterministically.
//
// Phones know a fixed offset plus one DST rule "n-th (or last) weekday of a month at an hour". We find the two
// transitions of the reference year with Intl (the runtime's tz database), and express each one as such a rule, so the
// result is exact for the reference year and stays exact in later years for weekday-based zones (US, Canada, EU).

import { BoundedMemo } from '../../domain/bounded-memo';
import { PhoneConfigError } from './errors';

/** One DST transition as a recurring rule, in local wall-clock time before the change. */
export interface DstTransition {
  /** 1–12 */
  month: number;
  /** 1–4 = first..fourth occurrence of `weekday` in the month; 5 = the last occurrence. */
  week: 1 | 2 | 3 | 4 | 5;
  /** 0 = Sunday … 6 = Saturday (vendors renumber). */
  weekday: number;
  /** Hour of day 0–23 (local time just before the transition). */
  hour: number;
  /** Day of month in the reference year (for vendors that want a date). */
  day: number;
}

/** Looks up a zone's rule; the renderer passes a memoised one. */
export type ZoneRules = (timeZone: string, referenceYear: number) => ZoneRule;

export interface ZoneRule {
  /** Standard (winter) offset from UTC in minutes, e.g. -300 for New York. */
  standardOffsetMinutes: number;
  /** null when the zone keeps one offset all year (or changes in a way phones cannot express; see `note`). */
  dst: { start: DstTransition; end: DstTransition; saveMinutes: number } | null;
  /** Set when the zone's rules could not be expressed and were simplified. */
  note: string | null;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  } catch {
    throw new PhoneConfigError({ 'time.timeZone': `unknown time zone ${timeZone}` });
  }
}

/** UTC offset in minutes of `timeZone` at instant `ms`. */
function offsetAt(format: Intl.DateTimeFormat, ms: number): number {
  const name = format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m) throw new Error(`unexpected offset format ${name}`);
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Finds the first minute in (lo, hi] where the offset differs from the offset at lo. Bounded: ~11 steps per day. */
function findChange(format: Intl.DateTimeFormat, lo: number, hi: number): number {
  const before = offsetAt(format, lo);
  let a = lo;
  let b = hi;
  while (b - a > MINUTE_MS) {
    const mid = a + Math.floor((b - a) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetAt(format, mid) === before) a = mid;
    else b = mid;
  }
  return b;
}

function toRule(instant: number, offsetBeforeMinutes: number): DstTransition {
  const local = new Date(instant + offsetBeforeMinutes * MINUTE_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const week = day > daysInMonth - 7 ? 5 : (Math.ceil(day / 7) as 1 | 2 | 3 | 4);
  return { month, week, weekday: local.getUTCDay(), hour: local.getUTCHours(), day };
}

/**
 * Computes the zone's offset and DST rule for `referenceYear`. Throws PhoneConfigError for an unknown zone.
 * Kept per zone and year (a few hundred at most): the search asks ICU ~400 times, ~20 ms a zone, and every export
 * and phone configuration asks again for the same few zones.
 */
export function zoneRule(timeZone: string, referenceYear: number): ZoneRule {
  return RULES.get(`${timeZone}\0${referenceYear}`, () => {
    const rule = computeZoneRule(timeZone, referenceYear);
    // Shared by every caller from now on: nobody may change it.
    if (rule.dst) for (const part of [rule.dst.start, rule.dst.end, rule.dst]) Object.freeze(part);
    return Object.freeze(rule);
  });
}

const RULES = new BoundedMemo<ZoneRule>(1024);

function computeZoneRule(timeZone: string, referenceYear: number): ZoneRule {
  const format = offsetFormatter(timeZone);
  const start = Date.UTC(referenceYear, 0, 1);
  const end = Date.UTC(referenceYear + 1, 0, 1);
  const changes: { at: number; from: number; to: number }[] = [];
  let previous = offsetAt(format, start);
  for (let day = start + DAY_MS; day <= end; day += DAY_MS) {
    const current = offsetAt(format, day);
    if (current !== previous) {
      const at = findChange(format, day - DAY_MS, day);
      changes.push({ at, from: previous, to: current });
      previous = current;
    }
  }
  if (changes.length === 0) return { standardOffsetMinutes: previous, dst: null, note: null };
  const up = changes.filter((c) => c.to > c.from);
  const down = changes.filter((c) => c.to < c.from);
  const [first] = up;
  const [last] = down;
  if (changes.length !== 2 || !first || !last || first.from !== last.to || first.to !== last.from) {
    // `previous` is the offset in force at the end of the year: the lasting one for a permanent change.
    return {
      standardOffsetMinutes: previous,
      dst: null,
      note: `${timeZone} changes offset ${changes.length} time(s) in ${referenceYear}; phones get a fixed offset`,
    };
  }
  return {
    standardOffsetMinutes: first.from,
    dst: { start: toRule(first.at, first.from), end: toRule(last.at, last.from), saveMinutes: first.to - first.from },
    note: null,
  };
}
