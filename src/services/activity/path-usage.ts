// Path Usage: how many external calls (incoming and outgoing: what the PBX's call paths limit) were up at once, as
// the maximum per bucket (a minute of a day, an hour of a week, a day of a month, local to the PBX), against its
// prepaid and on-demand paths, with the peak marked. A sweep over the calls' start and end events; a call is up
// from its start until (not including) its end, so one that ends the second another starts does not overlap it,
// and calls that started before the window and are still up in it count from its first instant.
import { addDays, isoInZone, startOfDay, toLocal } from '../../domain/zoned-time';
import type { PathUsageQuery, Zoom } from './query';
import type { Sql } from './sql';

export interface PathUsageBucket {
  start: string;
  label: string;
  /** Most calls up at any instant of the bucket. */
  max: number;
}

export interface PathUsage {
  timezone: string;
  zoom: Zoom;
  startDate: string;
  /** Day after the last day shown. */
  endDate: string;
  paths: { prepaid: number; onDemand: number; total: number };
  buckets: PathUsageBucket[];
  /** The highest concurrency of the window and the first instant it was reached (null: no call at all). */
  peak: { value: number; at: string | null };
  series: { labels: string[]; max: number[] };
}

/** Calls longer than this that started before the window are found through the duration index (rare), not the scan. */
const LONG_CALL_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');

export function pathUsageBounds(timeZone: string, q: PathUsageQuery): number[] {
  const start = startOfDay(timeZone, q.startDate);
  const end = startOfDay(timeZone, q.endDate);
  const bounds: number[] = [];
  if (q.zoom === 'month')
    for (let d = q.startDate; d < q.endDate; d = addDays(d, 1)) bounds.push(startOfDay(timeZone, d));
  else {
    const step = q.zoom === 'day' ? 60_000 : 3_600_000;
    for (let t = start; t < end; t += step) bounds.push(t);
  }
  bounds.push(end);
  return bounds;
}

/**
 * Maximum concurrency per bucket of half-open intervals [start, end). `bounds` are the n + 1 bucket edges. The peak
 * is the highest value and the first instant it was reached (the window start when calls were already up then).
 */
export function maxConcurrency(
  starts: Float64Array,
  ends: Float64Array,
  bounds: number[],
): { max: number[]; peak: { value: number; at: number | null } } {
  const s = Float64Array.from(starts).sort();
  const e = Float64Array.from(ends).sort();
  const n = bounds.length - 1;
  const max = new Array<number>(n).fill(0);
  let level = 0;
  let i = 0;
  let j = 0;
  const peak = { value: 0, at: null as number | null };
  for (let k = 0; k < n; k++) {
    const from = bounds[k];
    const to = bounds[k + 1];
    // Everything before the bucket, and ends at its first instant (a call ending then is not up in it).
    while (i < s.length && s[i] < from) {
      while (j < e.length && e[j] <= s[i]) {
        level--;
        j++;
      }
      level++;
      i++;
    }
    while (j < e.length && e[j] <= from) {
      level--;
      j++;
    }
    let m = level;
    if (level > peak.value) {
      // Only in the first bucket: calls already up when the window opens.
      peak.value = level;
      peak.at = from;
    }
    while (i < s.length && s[i] < to) {
      while (j < e.length && e[j] <= s[i]) {
        level--;
        j++;
      }
      level++;
      if (level > m) m = level;
      if (level > peak.value) {
        peak.value = level;
        peak.at = s[i];
      }
      i++;
    }
    max[k] = m;
  }
  return { max, peak };
}

function labels(timeZone: string, zoom: Zoom, starts: number[]): string[] {
  const seen = new Set<string>();
  return starts.map((t) => {
    const l = toLocal(timeZone, t);
    const date = `${l.year}-${pad(l.month)}-${pad(l.day)}`;
    const label =
      zoom === 'month' ? date : zoom === 'week' ? `${date} ${pad(l.hour)}:00` : `${pad(l.hour)}:${pad(l.minute)}`;
    if (!seen.has(label)) {
      seen.add(label);
      return label;
    }
    return `${label} ${isoInZone(timeZone, t).slice(19)}`;
  });
}

export async function computePathUsage(
  sql: Sql,
  pbxId: number,
  q: PathUsageQuery,
  timeZone: string,
  paths: { prepaid: number; onDemand: number },
): Promise<PathUsage> {
  const bounds = pathUsageBounds(timeZone, q);
  const w0 = bounds[0];
  const w1 = bounds[bounds.length - 1];
  const external = "direction <> 'local'";
  // Calls that started at most a day before the window (the index range), then the rare longer ones before that.
  const rows = await sql.query<{ started_at: unknown; ended_at: unknown }>(
    `select started_at, ended_at from call_record where pbx_id = ? and ${external} and started_at >= ? and started_at < ? and ended_at > ?
     union all
     select started_at, ended_at from call_record where pbx_id = ? and ${external} and duration_sec >= ? and started_at < ? and ended_at > ?`,
    [
      pbxId,
      sql.time(w0 - LONG_CALL_MS),
      sql.time(w1),
      sql.time(w0),
      pbxId,
      Math.floor(LONG_CALL_MS / 1000) - 1,
      sql.time(w0 - LONG_CALL_MS),
      sql.time(w0),
    ],
  );
  const starts = new Float64Array(rows.length);
  const ends = new Float64Array(rows.length);
  rows.forEach((r, k) => {
    starts[k] = sql.ms(r.started_at);
    ends[k] = sql.ms(r.ended_at);
  });
  const { max, peak } = maxConcurrency(starts, ends, bounds);
  const starts0 = bounds.slice(0, -1);
  const names = labels(timeZone, q.zoom, starts0);
  return {
    timezone: timeZone,
    zoom: q.zoom,
    startDate: q.startDate,
    endDate: q.endDate,
    paths: { prepaid: paths.prepaid, onDemand: paths.onDemand, total: paths.prepaid + paths.onDemand },
    buckets: starts0.map((t, k) => ({ start: isoInZone(timeZone, t), label: names[k], max: max[k] })),
    peak: { value: peak.value, at: peak.at === null ? null : isoInZone(timeZone, Math.max(peak.at, w0)) },
    series: { labels: names, max },
  };
}
