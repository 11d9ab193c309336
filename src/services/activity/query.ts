// The query strings of Activity, Activity Graph and Path Usage, read the same way for the page, the API and the CSV
// export: one parser per screen, every field checked with a message a person can act on (ValidationError).
//
// Dates are in the PBX time zone. A date means the whole day: from=2026-03-01&to=2026-03-08 is 1 March 00:00 up to
// the end of 8 March, even when a DST change makes one of those days 23 or 25 hours long. A date and time
// (2026-03-08T14:30 or 14:30:15) is that wall-clock time in the PBX zone, `to` inclusive at the precision given; a
// trailing Z or +hh:mm names an absolute instant (API clients).
import { ValidationError } from '../../domain/errors';
import { addDays, dateString, fromLocal, parseDate, startOfDay, today, toLocal } from '../../domain/zoned-time';
import { normalizeNumber } from './numbers';

export type DirectionFilter = 'incoming' | 'outgoing' | 'internal' | 'both';

/** `both` is every call, internal ones included (the manual's "both" means "do not filter by type"). */
export const DIRECTIONS: readonly DirectionFilter[] = ['incoming', 'outgoing', 'internal', 'both'];

export interface Cursor {
  startedAt: number;
  id: number;
}

export interface ActivityQuery {
  /** Inclusive lower bound (instant), or null. */
  from: Date | null;
  /** Exclusive upper bound (instant), or null. */
  to: Date | null;
  direction: DirectionFilter;
  extension: string | null;
  /** Normalised digits (see numbers.ts). */
  number: string | null;
  /** Rows after this one (newest first), or null for the first page. */
  cursor: Cursor | null;
  limit: number;
  /** `from` and `to` as given (validated), to refill a search form. */
  fromText: string | null;
  toText: string | null;
}

type Raw = Record<string, unknown>;

const MAX_LIMIT = 500;

/** One value of a query parameter: a repeated one (`?to=a&to=b`) is refused, absent or empty is undefined. */
function single(raw: Raw, name: string, errors: Record<string, string>): string | undefined {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    errors[name] = 'is given more than once';
    return undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') {
    errors[name] = 'must be text';
    return undefined;
  }
  const t = v.trim();
  return t === '' ? undefined : t;
}

const DATE_HELP = 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM[:SS]) in the PBX time zone';

/** A bound's instant: start of the day / the time (from), or the end of the day / the minute or second (to). */
function bound(text: string, timeZone: string, edge: 'from' | 'to'): Date | null {
  if (text.length > 40) return null;
  const day = parseDate(text);
  if (day) {
    if (day.year < 2000 || day.year > 2100) return null;
    return new Date(startOfDay(timeZone, edge === 'from' ? text : addDays(text, 1)));
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  const date = m ? parseDate(m[1]) : null;
  if (!m || !date || date.year < 2000 || date.year > 2100) return null;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), m[4] === undefined ? 0 : Number(m[4])];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const step = edge === 'to' ? (m[4] === undefined ? 60_000 : 1000) : 0;
  if (m[5]) {
    const instant = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${String(second).padStart(2, '0')}${m[5]}`);
    return Number.isNaN(instant) ? null : new Date(instant + step);
  }
  return new Date(fromLocal(timeZone, { ...date, hour, minute, second }) + step);
}

function range(
  raw: Raw,
  timeZone: string,
  errors: Record<string, string>,
): { from: Date | null; to: Date | null; fromText: string | null; toText: string | null } {
  const fromText = single(raw, 'from', errors);
  const toText = single(raw, 'to', errors);
  const from = fromText === undefined ? null : bound(fromText, timeZone, 'from');
  const to = toText === undefined ? null : bound(toText, timeZone, 'to');
  if (fromText !== undefined && !from) errors.from = DATE_HELP;
  if (toText !== undefined && !to) errors.to = DATE_HELP;
  if (from && to && to.getTime() <= from.getTime()) errors.to = 'must not be before from';
  return { from, to, fromText: fromText ?? null, toText: toText ?? null };
}

function direction(raw: Raw, errors: Record<string, string>, allowed = DIRECTIONS): DirectionFilter {
  const d = single(raw, 'direction', errors)?.toLowerCase() ?? 'both';
  if ((allowed as readonly string[]).includes(d)) return d as DirectionFilter;
  errors.direction = `must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  return 'both';
}

function extension(raw: Raw, errors: Record<string, string>): string | null {
  const e = single(raw, 'extension', errors);
  if (e === undefined) return null;
  if (!/^\d{2,6}$/.test(e)) {
    errors.extension = 'must be an extension number (2 to 6 digits)';
    return null;
  }
  return e;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.startedAt}.${c.id}`).toString('base64url');
}

function cursor(raw: Raw, errors: Record<string, string>): Cursor | null {
  const c = single(raw, 'cursor', errors);
  if (c === undefined) return null;
  const m = c.length <= 40 ? /^(\d{1,15})\.(\d{1,12})$/.exec(Buffer.from(c, 'base64url').toString('latin1')) : null;
  if (!m) {
    errors.cursor = 'is not a page of this list (start again from the first page)';
    return null;
  }
  return { startedAt: Number(m[1]), id: Number(m[2]) };
}

function throwIfAny(errors: Record<string, string>): void {
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

/** Activity search and CSV export: from, to, direction, extension, number, cursor, limit (default 50, at most 500). */
export function parseActivityQuery(raw: Raw, timeZone: string): ActivityQuery {
  const errors: Record<string, string> = {};
  const { from, to, fromText, toText } = range(raw, timeZone, errors);
  const dir = direction(raw, errors);
  const ext = extension(raw, errors);
  const numberText = single(raw, 'number', errors);
  let number: string | null = null;
  if (numberText !== undefined) {
    number = /^[\d\s+().-]{1,30}$/.test(numberText) ? normalizeNumber(numberText) : null;
    if (!number) errors.number = 'must be a phone number: 3 to 15 digits (spaces, +, -, ( ) and . are ignored)';
  }
  const limitText = single(raw, 'limit', errors);
  let limit = 50;
  if (limitText !== undefined) {
    limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : 0;
    if (limit < 1 || limit > MAX_LIMIT) errors.limit = `must be a whole number from 1 to ${MAX_LIMIT}`;
  }
  const after = cursor(raw, errors);
  throwIfAny(errors);
  return { from, to, direction: dir, extension: ext, number, cursor: after, limit, fromText, toText };
}

export type GraphBy = 'day' | 'hour';

export interface GraphQuery {
  /** Local dates, inclusive. */
  fromDate: string;
  toDate: string;
  by: GraphBy;
  direction: DirectionFilter;
}

/** Hourly bars for more than this many days would be unreadable (and 2,000+ rows in the table). */
export const GRAPH_MAX_DAYS = { hour: 92, day: 3660 } as const;

/** Activity Graph: from and to (dates; default the last 7 days), by (day or hour), direction. */
export function parseGraphQuery(raw: Raw, timeZone: string, now = Date.now()): GraphQuery {
  const errors: Record<string, string> = {};
  const todayDate = today(timeZone, now);
  const fromText = single(raw, 'from', errors);
  const toText = single(raw, 'to', errors);
  const by = (single(raw, 'by', errors) ?? 'day').toLowerCase();
  if (by !== 'day' && by !== 'hour') errors.by = 'must be day or hour';
  const toDate = toText ?? todayDate;
  const fromDate = fromText ?? addDays(toDate, -6);
  if (!parseDate(fromDate)) errors.from = 'must be a date (YYYY-MM-DD)';
  if (!parseDate(toDate)) errors.to = 'must be a date (YYYY-MM-DD)';
  const dir = direction(raw, errors);
  if (!errors.from && !errors.to) {
    const days = Math.round((Date.parse(toDate) - Date.parse(fromDate)) / 86_400_000) + 1;
    const max = GRAPH_MAX_DAYS[by === 'hour' ? 'hour' : 'day'];
    if (days < 1) errors.to = 'must not be before from';
    else if (days > max) errors.to = `is more than ${max} days after from (by ${by})`;
  }
  throwIfAny(errors);
  return { fromDate, toDate, by: by as GraphBy, direction: dir };
}

export type Zoom = 'day' | 'week' | 'month';

export interface PathUsageQuery {
  zoom: Zoom;
  /** First local date shown. */
  startDate: string;
  /** Day after the last local date shown (exclusive). */
  endDate: string;
}

/** Path Usage: zoom (day by minute, week by hour, month by day) and start (a date; default the window ending today). */
export function parsePathUsageQuery(raw: Raw, timeZone: string, now = Date.now()): PathUsageQuery {
  const errors: Record<string, string> = {};
  const zoom = (single(raw, 'zoom', errors) ?? 'day').toLowerCase();
  if (zoom !== 'day' && zoom !== 'week' && zoom !== 'month') errors.zoom = 'must be day, week or month';
  const todayDate = today(timeZone, now);
  const startText = single(raw, 'start', errors);
  if (startText !== undefined && !parseDate(startText)) errors.start = 'must be a date (YYYY-MM-DD)';
  throwIfAny(errors);
  const span = (start: string) =>
    zoom === 'day' ? addDays(start, 1) : zoom === 'week' ? addDays(start, 7) : nextMonth(start);
  let startDate = startText ?? todayDate;
  if (startText === undefined && zoom === 'week') startDate = addDays(todayDate, -6);
  if (startText === undefined && zoom === 'month') startDate = addDays(previousMonth(todayDate), 1);
  return { zoom: zoom as Zoom, startDate, endDate: span(startDate) };
}

/** The same day of the next month, or the 1st of the month after when that day does not exist (31 Jan -> 1 Mar). */
function nextMonth(date: string): string {
  const d = parseDate(date) as { year: number; month: number; day: number };
  const t = new Date(Date.UTC(d.year, d.month, d.day));
  if (t.getUTCDate() !== d.day) return dateString({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: 1 });
  return dateString({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
}

function previousMonth(date: string): string {
  const d = parseDate(date) as { year: number; month: number; day: number };
  const last = new Date(Date.UTC(d.year, d.month - 1, 0)).getUTCDate();
  const t = new Date(Date.UTC(d.year, d.month - 2, Math.min(d.day, last)));
  return dateString({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
}

/** The local date an instant falls on. */
export function localDate(timeZone: string, ms: number): string {
  return dateString(toLocal(timeZone, ms));
}
