// Child process of bench/generator.ts: one FreeSWITCH export as `dialtone freeswitch export` makes it in a fresh
// process — heap tuned as the command tunes it, snapshot load, then generate + pack + atomic write — timed. Prints one
// JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db';
import { tuneHeapForExport } from '../../src/freeswitch/export-heap';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { packTreePieces } from '../../src/freeswitch/pack-tree';
import { writeTreeAtomic } from '../../src/freeswitch/write-tree';
import { createServices } from '../../src/services';
import { loadSnapshots } from '../../src/services/freeswitch-export';

// As the CLI's export command does first (BENCH_EXPORT_PRETENURING=1 leaves V8's default, to compare).
if (process.env.BENCH_EXPORT_PRETENURING !== '1') tuneHeapForExport();
const [sqlitePath, ...contexts] = process.argv.slice(2);
const orm = await openDatabase({ url: null, sqlitePath });
const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-export-'));
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
try {
  const t0 = performance.now();
  const snaps = await loadSnapshots(createServices(orm), contexts);
  const t1 = performance.now();
  const generated = generate(snaps, DEFAULT_OPTIONS);
  const files = packTreePieces(generated);
  const t2 = performance.now();
  writeTreeAtomic(join(dir, 'conf'), files);
  const t3 = performance.now();
  peak = Math.max(peak, process.memoryUsage().rss);
  const result = {
    documents: generated.size,
    files: files.size,
    loadMs: t1 - t0,
    generateMs: t2 - t1,
    writeMs: t3 - t2,
    exportMs: t3 - t1,
    peakMb: Math.round(peak / 1024 / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
  await orm.close(true);
}
