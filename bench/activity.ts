// Activity benchmark, on SQLite and on PostgreSQL: one PBX with BENCH_ACTIVITY_ROWS call records (default 1,000,000,
// a year of calls, bulk-inserted): search p95 (first page, filtered first pages, a deep page), CSV export of 100,000
// rows (time and the exporting process's peak RSS, in a child process), Activity Graph over 90 days, Path Usage for a
// day by minute and a month by day, and the CDR intake rate through the real HTTP endpoint (BENCH_ACTIVITY_INTAKE
// posts, default 20,000). PostgreSQL: BENCH_DATABASE_URL, else a throwaway cluster (fsync off) like the test suite's.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import { openDatabase } from '../src/db';
import { CallRecordSchema } from '../src/domain/model';
import { addDays, today } from '../src/domain/zoned-time';
import type { XmlCurlAnswerer } from '../src/freeswitch/xml-curl-answer';
import { freeswitchListener } from '../src/servers/freeswitch-http';
import { createServices } from '../src/services';
import { encodeCursor } from '../src/services/activity/query';
import { sqlFor } from '../src/services/activity/sql';
import { SYSTEM } from '../src/services/actor';
import { ingestCallRecord } from '../src/services/call-records';
import { editedJsonCdr } from '../test/helpers/cdr-posts';
import { mochaGlobalSetup, mochaGlobalTeardown } from '../test/setup/postgres';
import { END, insertCallRecords } from './support/call-records';
import { describeLoad, runLoadInWorker } from './support/run-load';

const run$ = promisify(execFile);
const ROWS = Number(process.env.BENCH_ACTIVITY_ROWS ?? 1_000_000);
const INTAKE = Number(process.env.BENCH_ACTIVITY_INTAKE ?? 20_000);
const TZ = 'America/Chicago';

function p95(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

async function timed(times: number, fn: () => Promise<unknown>): Promise<{ p95: number; first: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { p95: p95(samples.slice(1)), first: samples[0] };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function benchEngine(name: string, orm: MikroORM, target: string): Promise<void> {
  const services = createServices(orm);
  const pbx = await services.pbx.create(SYSTEM, {
    context: 'bench',
    name: 'Bench',
    domain: 'acme.pbx.test',
    timezone: TZ,
  });
  const line = (label: string, value: string, target?: string) =>
    console.log(`${name}: ${label}: ${value}${target ? `   (target ${target})` : ''}`);

  let t0 = performance.now();
  await insertCallRecords(orm, pbx.id, ROWS);
  const insertS = (performance.now() - t0) / 1000;
  line(
    'bulk insert',
    `${ROWS.toLocaleString('en-US')} rows in ${insertS.toFixed(1)} s (${Math.round(ROWS / insertS)} rows/s)`,
  );

  const a = services.activity;
  const search = (q: Record<string, unknown>) => () => a.search(SYSTEM, pbx.id, q);
  line('search, first page', ms((await timed(30, search({}))).p95), 'p95 < 200 ms');
  line('search, first page, extension 150', ms((await timed(30, search({ extension: '150' }))).p95), 'p95 < 200 ms');
  line(
    'search, first page, number 3125551010',
    ms((await timed(30, search({ number: '3125551010' }))).p95),
    'p95 < 200 ms',
  );
  line(
    'search, first page, incoming, 7 days',
    ms((await timed(30, search({ direction: 'incoming', from: addDays(today(TZ, END), -7) }))).p95),
    'p95 < 200 ms',
  );
  const sql = sqlFor(orm);
  const [deep] = await sql.query<{ started_at: unknown; id: unknown }>(
    'select started_at, id from call_record where pbx_id = ? order by started_at desc, id desc limit 1 offset ?',
    [pbx.id, Math.floor(ROWS / 2)],
  );
  const cursor = encodeCursor({ startedAt: sql.ms(deep.started_at), id: Number(deep.id) });
  line(
    `search, deep page (after ${Math.floor(ROWS / 2).toLocaleString('en-US')} rows)`,
    ms((await timed(30, search({ cursor }))).p95),
    'p95 < 200 ms',
  );
  line(
    'search, deep page, extension 150',
    ms((await timed(30, search({ cursor, extension: '150' }))).p95),
    'p95 < 200 ms',
  );

  const lastDay = today(TZ, END - 86_400_000);
  const graphDay = await timed(10, () =>
    a.graph(SYSTEM, pbx.id, { from: addDays(lastDay, -89), to: lastDay, by: 'day' }),
  );
  line('graph, 90 days by day', ms(graphDay.p95), 'p95 < 500 ms');
  const graphHour = await timed(10, () =>
    a.graph(SYSTEM, pbx.id, { from: addDays(lastDay, -89), to: lastDay, by: 'hour' }),
  );
  line('graph, 90 days by hour', ms(graphHour.p95), 'p95 < 500 ms');
  const dayUsage = await timed(10, () => a.pathUsage(SYSTEM, pbx.id, { zoom: 'day', start: addDays(lastDay, -30) }));
  line('path usage, one day by minute', ms(dayUsage.p95), 'p95 < 500 ms');
  const monthUsage = await timed(10, () =>
    a.pathUsage(SYSTEM, pbx.id, { zoom: 'month', start: addDays(lastDay, -40) }),
  );
  line('path usage, one month by day', ms(monthUsage.p95), 'p95 < 500 ms');

  // About 100,000 rows: that share of the year, ending the day before END.
  const days = Math.min(365, Math.ceil((365 * 100_000) / ROWS));
  const csv = await run$(process.execPath, [
    '--import',
    'tsx',
    'bench/support/activity-csv-child.ts',
    target,
    String(pbx.id),
    addDays(lastDay, -(days - 1)),
    lastDay,
  ]);
  const r = JSON.parse(csv.stdout.trim().split('\n').pop() as string);
  line(
    'CSV export',
    `${r.rows.toLocaleString('en-US')} rows, ${(r.bytes / 1024 / 1024).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s; peak RSS of the exporting process ${r.maxRssMb} MB`,
    'RSS < 200 MB',
  );

  // Intake: distinct real a-legs (the captured post, re-addressed) through the real HTTP endpoint, 16 at a time.
  const listener = freeswitchListener(
    {
      answerer: {} as XmlCurlAnswerer,
      ingest: (rec) => ingestCallRecord(orm, rec),
      username: 'freeswitch',
      password: 'bench-secret-1',
      allow: ['127.0.0.1'],
      log: () => {},
    },
    (_req, res) => res.end(),
  );
  const server = createServer(listener).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const bodies = Array.from({ length: INTAKE }, (_, i) =>
      editedJsonCdr('cdr-answered-json_cdr-a-leg.http', { start: new Date(END + i * 1000) }),
    );
    const before = await orm.em.fork().count(CallRecordSchema, { pbxId: pbx.id });
    t0 = performance.now();
    const load = await runLoadInWorker({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/freeswitch/cdr`,
      concurrency: 16,
      total: INTAKE,
      bodies,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('freeswitch:bench-secret-1').toString('base64')}`,
      },
    });
    const stored = (await orm.em.fork().count(CallRecordSchema, { pbxId: pbx.id })) - before;
    line('CDR intake', `${describeLoad('posts', load)}; ${stored} stored`, '>= 2,000 records/s on SQLite');
  } finally {
    server.close();
  }
}

export async function run(): Promise<void> {
  console.log(
    `${ROWS.toLocaleString('en-US')} call records in one PBX (${TZ}); ${INTAKE.toLocaleString('en-US')} intake posts`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-activity-'));
  try {
    const file = join(dir, 'bench.sqlite');
    const sqlite = await openDatabase({ url: null, sqlitePath: file });
    try {
      await benchEngine('sqlite', sqlite, file);
    } finally {
      await sqlite.close(true);
    }
    let started = false;
    let base = process.env.BENCH_DATABASE_URL;
    if (!base) {
      await mochaGlobalSetup();
      started = true;
      base = process.env.TEST_DATABASE_URL;
    }
    if (!base) {
      console.log('postgresql: skipped (no BENCH_DATABASE_URL and no PostgreSQL server binaries)');
      return;
    }
    const url = new URL(base);
    const dbName = `dialtone_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    url.pathname = `/${dbName}`;
    const postgres = await openDatabase({ url: url.toString() });
    try {
      await benchEngine('postgresql', postgres, url.toString());
    } finally {
      await postgres.close(true);
      if (started) await mochaGlobalTeardown();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
