// Export benchmark: one PBX of 10,000 extensions (+ mailboxes, 500 groups, 200 attendants, 1,000 numbers) and
// 100 PBXs of 100 extensions — snapshot load, generate, pack, atomic write (what `freeswitch export` does); time
// and peak memory. The table's row is the 10,000-extension export (generate + pack + write; target < 1 s).
// BENCH_TINY=1: 500 extensions and 10 small PBXs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db';
import { DEFAULT_OPTIONS, generate } from '../src/freeswitch/generator';
import { packTreePieces } from '../src/freeswitch/pack-tree';
import { writeTreeAtomic } from '../src/freeswitch/write-tree';
import { createServices } from '../src/services';
import { loadSnapshots } from '../src/services/freeswitch-export';
import { insertBigPbx } from './support/big-pbx';
import { fmt, reportRow, TINY } from './support/report';

const BIG = TINY ? 500 : 10_000;
const SMALL = TINY ? 10 : 100;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function measure(
  label: string,
  contexts: string[] | undefined,
  services: ReturnType<typeof createServices>,
): Promise<{ loadMs: number; exportMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-export-'));
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const t0 = performance.now();
    const snaps = await loadSnapshots(services, contexts);
    const t1 = performance.now();
    const generated = generate(snaps, DEFAULT_OPTIONS);
    const files = packTreePieces(generated);
    const t2 = performance.now();
    writeTreeAtomic(join(dir, 'conf'), files);
    const t3 = performance.now();
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `${label}: ${generated.size} documents packed into ${files.size} files; load ${(t1 - t0).toFixed(0)} ms, generate + pack ${(t2 - t1).toFixed(0)} ms, write + sync ${(t3 - t2).toFixed(0)} ms; ` +
        `export (generate + write) ${(t3 - t1).toFixed(0)} ms, total ${(t3 - t0).toFixed(0)} ms; peak RSS ${mb(peak)}`,
    );
    return { loadMs: t1 - t0, exportMs: t3 - t1 };
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-db-'));
  const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'bench.sqlite') });
  try {
    const services = createServices(orm);
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
    const big = await measure(`1 PBX x ${BIG} extensions`, ['big'], services);
    await measure(`${SMALL} PBXs x 100 extensions`, small, services);
    reportRow({
      order: 5,
      measure: `FreeSWITCH export, ${BIG} extensions (generate + pack + write)`,
      dialtone: `${fmt.s(big.exportMs / 1000)} (+ ${fmt.ms(big.loadMs)} loading the snapshot)`,
      anchor: '—',
      ratio: null,
      target: '< 1 s',
      verdict: big.exportMs < 1000 ? 'meets' : 'misses',
    });
  } finally {
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  }
}
