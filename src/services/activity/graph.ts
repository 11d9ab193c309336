// Activity Graph: calls per local day or hour, by type, counted by the database: one GROUP BY over the covering
// (pbx_id, started_at, ..., direction) index range, on each call's local day or hour (its start plus the zone's
// offset at that instant, the offset written into the query piece by piece across DST changes), so it returns one
// row per bucket and type whatever the number of calls. A DST day has 23 or 25 hourly buckets; the hour that happens
// twice gets two (grouped apart by their offsets), labelled with the offset.
import { addDays, dateString, isoInZone, offsetSegments, startOfDay, toLocal } from '../../domain/zoned-time';
import type { DirectionFilter, GraphBy, GraphQuery } from './query';
import { STORED_DIRECTION } from './search';
import type { Sql } from './sql';

export interface GraphBucket {
  /** First instant of the bucket, ISO 8601 in the PBX zone. */
  start: string;
  /** `2026-03-08` (by day) or `2026-03-08 14:00` (by hour; `… 01:00 -06:00` for the second 1 AM of a fall-back day). */
  label: string;
  incoming: number;
  outgoing: number;
  internal: number;
}

export interface ActivityGraph {
  timezone: string;
  by: GraphBy;
  fromDate: string;
  toDate: string;
  direction: DirectionFilter;
  buckets: GraphBucket[];
  totals: { incoming: number; outgoing: number; internal: number };
  /** The same numbers as parallel arrays, ready for a chart's labels and datasets. */
  series: { labels: string[]; incoming: number[]; outgoing: number[]; internal: number[] };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Bucket boundaries (n + 1 instants) of local days or hours from fromDate to toDate inclusive. */
export function graphBounds(timeZone: string, by: GraphBy, fromDate: string, toDate: string): number[] {
  const end = startOfDay(timeZone, addDays(toDate, 1));
  const bounds: number[] = [];
  if (by === 'day') for (let d = fromDate; d <= toDate; d = addDays(d, 1)) bounds.push(startOfDay(timeZone, d));
  else for (let t = startOfDay(timeZone, fromDate); t < end; t += 3_600_000) bounds.push(t);
  bounds.push(end);
  return bounds;
}

function labels(timeZone: string, by: GraphBy, starts: number[]): string[] {
  const seen = new Set<string>();
  return starts.map((t) => {
    const l = toLocal(timeZone, t);
    const date = `${l.year}-${pad(l.month)}-${pad(l.day)}`;
    if (by === 'day') return date;
    const label = `${date} ${pad(l.hour)}:${pad(l.minute)}`;
    if (!seen.has(label)) {
      seen.add(label);
      return label;
    }
    return `${isoInZone(timeZone, t).slice(0, 16).replace('T', ' ')} ${isoInZone(timeZone, t).slice(19)}`;
  });
}

const dateOf = (timeZone: string, t: number) => dateString(toLocal(timeZone, t));
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Index of the bucket holding instant t (bounds ascending), or -1 outside. */
export function bucketOf(bounds: number[], t: number): number {
  if (t < bounds[0] || t >= bounds[bounds.length - 1]) return -1;
  let lo = 0;
  let hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export async function computeGraph(
  sql: Sql,
  pbxId: number,
  q: GraphQuery,
  timeZone: string,
  onlyExtension: string | null,
): Promise<ActivityGraph> {
  const bounds = graphBounds(timeZone, q.by, q.fromDate, q.toDate);
  const where = ['pbx_id = ?', 'started_at >= ?', 'started_at < ?'];
  const params: unknown[] = [pbxId, sql.time(bounds[0]), sql.time(bounds[bounds.length - 1])];
  if (q.direction !== 'both') {
    where.push('direction = ?');
    params.push(STORED_DIRECTION[q.direction]);
  }
  if (onlyExtension) {
    where.push('(extension_number = ? or callee_extension = ?)');
    params.push(onlyExtension, onlyExtension);
  }
  const unitMs = q.by === 'day' ? 86_400_000 : 3_600_000;
  const local = sql.localUnit('started_at', offsetSegments(timeZone, bounds[0], bounds[bounds.length - 1]), unitMs);
  const rows = await sql.query<{ direction: string; u: unknown; o: unknown; n: unknown }>(
    `select direction, ${local.unit} as u, ${local.offset} as o, count(*) as n from call_record where ${where.join(' and ')} group by ${['direction', local.unit, ...(local.constant ? [] : [local.offset])].join(', ')}`,
    params,
  );
  const n = bounds.length - 1;
  const counts = {
    incoming: new Array<number>(n).fill(0),
    outgoing: new Array<number>(n).fill(0),
    internal: new Array<number>(n).fill(0),
  };
  const key: Record<string, keyof typeof counts> = { inbound: 'incoming', outbound: 'outgoing', local: 'internal' };
  // A local day is found by its date (its first instant may have another offset than the row); an hour by its instant.
  const dayIndex = new Map(q.by === 'day' ? bounds.slice(0, -1).map((t, i) => [dateOf(timeZone, t), i]) : []);
  for (const r of rows) {
    const localMs = Number(r.u) * unitMs;
    const i = q.by === 'day' ? (dayIndex.get(utcDate(localMs)) ?? -1) : bucketOf(bounds, localMs - Number(r.o));
    const k = key[r.direction];
    if (i >= 0 && k) counts[k][i] += Number(r.n);
  }
  const starts = bounds.slice(0, -1);
  const names = labels(timeZone, q.by, starts);
  const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
  return {
    timezone: timeZone,
    by: q.by,
    fromDate: q.fromDate,
    toDate: q.toDate,
    direction: q.direction,
    buckets: starts.map((t, i) => ({
      start: isoInZone(timeZone, t),
      label: names[i],
      incoming: counts.incoming[i],
      outgoing: counts.outgoing[i],
      internal: counts.internal[i],
    })),
    totals: { incoming: sum(counts.incoming), outgoing: sum(counts.outgoing), internal: sum(counts.internal) },
    series: { labels: names, ...counts },
  };
}
