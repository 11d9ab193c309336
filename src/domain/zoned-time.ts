// Wall-clock time in an IANA zone <-> instants, with the runtime's tz database (Intl) only: offsets, local midnights
// and hours, correct across DST changes (a day has 23 or 25 hours, an hour can happen twice or never).
//
// Offsets are cached per zone and 15-minute UTC slot (every offset and every transition in use is on a 15-minute
// boundary), so formatting the 100,000 rows of an export asks Intl a few hundred times, not 300,000.

export interface LocalDateTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const SLOT_MS = 900_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function offsetFromIntl(timeZone: string, ms: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - (ms - (((ms % 1000) + 1000) % 1000))) / 60_000);
}

/** Minutes the zone is ahead of UTC at that instant (-300 for New York in winter). */
export function offsetMinutes(timeZone: string, ms: number): number {
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const slot = Math.floor(ms / SLOT_MS);
  let off = zone.get(slot);
  if (off === undefined) {
    off = offsetFromIntl(timeZone, slot * SLOT_MS);
    if (zone.size > 200_000) zone.clear();
    zone.set(slot, off);
  }
  return off;
}

/** The wall-clock fields of an instant in the zone. */
export function toLocal(timeZone: string, ms: number): LocalDateTime & { offsetMinutes: number } {
  const off = offsetMinutes(timeZone, ms);
  const d = new Date(ms + off * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    offsetMinutes: off,
  };
}

/**
 * The instant a wall-clock time names in the zone. A time that happens twice (clocks going back) is its first
 * occurrence; a time that never happens (clocks going forward) is read with the offset before the change, so it lands
 * as far after the gap as it was into it (02:30 on a 02:00->03:00 day is 03:30). Midnight of a day that starts late
 * is therefore that day's first instant.
 */
export function fromLocal(timeZone: string, l: LocalDateTime): number {
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  const before = offsetMinutes(timeZone, wall - 86_400_000);
  const after = offsetMinutes(timeZone, wall + 86_400_000);
  const candidates = [before, after]
    .map((off) => wall - off * 60_000)
    .filter((t) => wall - offsetMinutes(timeZone, t) * 60_000 === t)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - before * 60_000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD` of a local date. */
export function dateString(l: Pick<LocalDateTime, 'year' | 'month' | 'day'>): string {
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}`;
}

/** `+HH:MM` / `-HH:MM` */
export function offsetString(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** ISO 8601 with the zone's offset, e.g. 2026-03-08T01:59:00-06:00: unambiguous, and the local time as shown. */
export function isoInZone(timeZone: string, ms: number): string {
  const l = toLocal(timeZone, ms);
  return `${dateString(l)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}${offsetString(l.offsetMinutes)}`;
}

/** Parses `YYYY-MM-DD` into a real calendar date (no 30 February), or null. */
export function parseDate(text: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The calendar date `days` after (or before) a date. */
export function addDays(date: string, days: number): string {
  const d = parseDate(date);
  if (!d) throw new RangeError(`not a date: ${date}`);
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return dateString({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
}

/** The first instant of a local calendar date in the zone. */
export function startOfDay(timeZone: string, date: string): number {
  const d = parseDate(date);
  if (!d) throw new RangeError(`not a date: ${date}`);
  return fromLocal(timeZone, { ...d, hour: 0, minute: 0, second: 0 });
}

/** Today's date in the zone. */
export function today(timeZone: string, now: number = Date.now()): string {
  return dateString(toLocal(timeZone, now));
}

/**
 * The zone's offset over [from, to) as constant pieces: each piece starts at `start` (the first at `from`) and lasts
 * until the next. Changes are found hour by hour, then to the 15 minutes.
 */
export function offsetSegments(
  timeZone: string,
  from: number,
  to: number,
): Array<{ start: number; offsetMinutes: number }> {
  const out = [{ start: from, offsetMinutes: offsetMinutes(timeZone, from) }];
  for (let t = from; t < to; t += 3_600_000) {
    const next = Math.min(t + 3_600_000, to);
    const off = offsetMinutes(timeZone, next);
    if (off === out[out.length - 1].offsetMinutes || next >= to) continue;
    let at = t + SLOT_MS;
    while (at < next && offsetMinutes(timeZone, at) !== off) at += SLOT_MS;
    out.push({ start: Math.min(at, next), offsetMinutes: off });
  }
  return out;
}
