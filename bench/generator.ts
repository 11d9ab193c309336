// Export benchmark: one PBX of 10,000 extensions (+ mailboxes, 500 groups, 200 attendants, 1,000 numbers) and
// 100 PBXs of 100 extensions — snapshot load, generate, pack, atomic write (what `freeswitch export` does); time
// and peak memory. Each export runs in a fresh process, as a CLI export does (bench/support/export-child.ts), three
// times; the table's row is the median 10,000-extension export (generate + pack + write; target < 1 s): one cold
// run on this VM moves by ±10 % with the host.
// BENCH_TINY=1: 500 extensions and 10 small PBXs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../src/db';
import { insertBigPbx } from './support/big-pbx';
import { fmt, reportRow, TINY } from './support/report';

const BIG = TINY ? 500 : 10_000;
const SMALL = TINY ? 10 : 100;
const RUNS = 3;
const run$ = promisify(execFile);

interface ExportRun {
  documents: number;
  files: number;
  loadMs: number;
  generateMs: number;
  writeMs: number;
  exportMs: number;
  peakMb: number;
}

async function exportOnce(
  sqlitePath: string,
  contexts: string[],
  env: Record<string, string> = {},
): Promise<ExportRun> {
  const out = await run$(
    process.execPath,
    ['--import', 'tsx', 'bench/support/export-child.ts', sqlitePath, ...contexts],
    {
      maxBuffer: 1 << 20,
      env: { ...process.env, ...env },
    },
  );
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as ExportRun;
}

async function measure(label: string, sqlitePath: string, contexts: string[]): Promise<ExportRun> {
  const runs: ExportRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await exportOnce(sqlitePath, contexts));
  const ms = (n: number) => n.toFixed(0);
  for (const r of runs)
    console.log(
      `${label}: ${r.documents} documents packed into ${r.files} files; load ${ms(r.loadMs)} ms, generate + pack ${ms(r.generateMs)} ms, write + sync ${ms(r.writeMs)} ms; ` +
        `export (generate + write) ${ms(r.exportMs)} ms; peak RSS ${r.peakMb} MB`,
    );
  return [...runs].sort((a, b) => a.exportMs - b.exportMs)[Math.floor(RUNS / 2)];
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-db-'));
  const sqlitePath = join(dir, 'bench.sqlite');
  try {
    const orm = await openDatabase({ url: null, sqlitePath });
    let t = performance.now();
    await insertBigPbx(orm, {
      context: 'big',
      extensions: BIG,
      ringGroups: BIG / 20,
      attendants: BIG / 50,
      numbers: BIG / 10,
      didPrefix: '212',
    });
    console.log(`seeded ${BIG}-extension PBX in ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    const small: string[] = [];
    for (let i = 0; i < SMALL; i++) {
      const context = `small_${String(i).padStart(3, '0')}`;
      small.push(context);
      await insertBigPbx(orm, {
        context,
        extensions: 100,
        ringGroups: 5,
        attendants: 2,
        numbers: 10,
        didPrefix: `3${String(i).padStart(3, '0')}`,
      });
    }
    console.log(`seeded ${SMALL} PBXs of 100 extensions in ${(performance.now() - t).toFixed(0)} ms`);
    await orm.close(true);
    const big = await measure(`1 PBX x ${BIG} extensions`, sqlitePath, ['big']);
    // What the command's heap tuning (src/freeswitch/export-heap.ts) is worth: one run with V8's default.
    const untuned = await exportOnce(sqlitePath, ['big'], { BENCH_EXPORT_PRETENURING: '1' });
    console.log(
      `1 PBX x ${BIG} extensions with V8's default pretenuring: export ${untuned.exportMs.toFixed(0)} ms; peak RSS ${untuned.peakMb} MB`,
    );
    await measure(`${SMALL} PBXs x 100 extensions`, sqlitePath, small);
    reportRow({
      order: 5,
      measure: `FreeSWITCH export, ${BIG} extensions (generate + pack + write; median of ${RUNS} fresh processes)`,
      dialtone: `${fmt.s(big.exportMs / 1000)} (+ ${fmt.ms(big.loadMs)} loading the snapshot)`,
      anchor: '—',
      ratio: null,
      target: '< 1 s',
      verdict: big.exportMs < 1000 ? 'meets' : 'misses',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
