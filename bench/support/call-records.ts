// A year of synthetic call records for one PBX, generated inside the database by one INSERT ... SELECT over a number
// series (a recursive CTE on SQLite, generate_series on PostgreSQL): a million rows in seconds, no bound parameters.
// Deterministic: row i starts at END - 365 days + i * step (+ up to a minute), lasts 30-629 s; a third each incoming,
// outgoing and internal; 200 extensions (100-299), 50 DIDs (3125551000-49), outside numbers 773xxxxxxx.
import type { MikroORM } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

export const END = Date.parse('2026-06-01T00:00:00Z');
export const SPAN_MS = 365 * 86_400_000;

export async function insertCallRecords(orm: MikroORM, pbxId: number, count: number, chunk = 200_000): Promise<void> {
  const pg = orm.em.getPlatform() instanceof PostgreSqlPlatform;
  const step = Math.floor(SPAN_MS / count);
  const conn = orm.em.getConnection();
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    const i = pg ? 'g.i::bigint' : 'g.i';
    const startMs = `(${END - SPAN_MS} + ${i} * ${step} + ((${i} * 7919) % 60000))`;
    const dur = `(30 + ((${i} * 31) % 600))`;
    const time = (ms: string) => (pg ? `to_timestamp((${ms}) / 1000.0)` : ms);
    const text = (expr: string) => `cast(${expr} as text)`;
    const kind = `(${i} % 3)`; // 0 incoming, 1 outgoing, 2 internal
    const ext = (mult: number) => text(`100 + ((${i} * ${mult}) % 200)`);
    const did = `'31255510' || ${text(`10 + (${i} % 50)`)}`;
    const outside = `'773' || ${text(`1000000 + ((${i} * 7919) % 9000000)`)}`;
    const answered = `(${i} % 5 <> 0)`;
    const select = `select
      ${pbxId},
      'bench-' || ${text(i)},
      case ${kind} when 0 then 'inbound' when 1 then 'outbound' else 'local' end,
      case ${kind} when 0 then ${outside} else ${ext(13)} end,
      'Caller ' || ${text(`${i} % 1000`)},
      case ${kind} when 0 then ${did} when 1 then ${outside} else ${ext(17)} end,
      case ${kind} when 0 then null else ${ext(13)} end,
      case ${kind} when 1 then null else ${ext(17)} end,
      case ${kind} when 1 then null else ${ext(17)} end,
      null,
      case ${kind} when 2 then null else ${did} end,
      case ${kind} when 2 then null else ${outside} end,
      ${time(startMs)},
      case when ${answered} then ${time(`${startMs} + 5000`)} else null end,
      ${time(`${startMs} + ${dur} * 1000`)},
      ${dur},
      case when ${answered} then ${dur} - 5 else 0 end,
      case when ${answered} then 'answered' else 'no_answer' end,
      case when ${answered} then 'NORMAL_CLEARING' else 'NO_ANSWER' end,
      case ${kind} when 0 then 'did_' || ${text(`${i} % 50`)} when 1 then 'outbound_nanp' else null end`;
    const columns =
      'pbx_id, uuid, direction, caller_number, caller_name, destination, extension_number, callee_extension, callee_number, callee_name, phone_number, remote_number, started_at, answered_at, ended_at, duration_sec, bill_sec, disposition, hangup_cause, route';
    const sql = pg
      ? `insert into call_record (${columns}) ${select} from generate_series(${from}, ${to}) as g(i)`
      : `insert into call_record (${columns}) with recursive g(i) as (select ${from} union all select i + 1 from g where i < ${to}) ${select} from g`;
    await conn.execute(sql, [], 'run');
  }
  // What autovacuum does on a live database: statistics, and the visibility map index-only scans need.
  if (pg) await conn.execute('vacuum analyze call_record', [], 'run');
  else await conn.execute('analyze', [], 'run');
}
