// `npm run bench`: runs every bench/<area>.ts (or those named on the command line) and prints their figures.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

if (!process.env.DIALTONE_BENCH_CHILD)
  console.log(
    `node ${process.version}, ${(await import('node:os')).cpus().length} cores; benches: ${benches.join(', ')}`,
  );
// Each bench runs in a process of its own: one bench's heap, timers and JIT state must not weigh on the next one's
// figures (an export measured after the event-socket bench ran ~40% slower), and a CLI export is a fresh process too.
if (benches.length > 1 && !process.env.DIALTONE_BENCH_CHILD) {
  const { spawnSync } = await import('node:child_process');
  for (const name of benches) {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DIALTONE_BENCH_CHILD: '1' },
    });
    if (r.status !== 0) {
      console.log(`(${name} failed with exit code ${r.status})`);
      process.exitCode = 1;
    }
  }
} else {
  for (const name of benches) {
    console.log(`\n== ${name} ==`);
    const mod = (await import(`./${name}.ts`)) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') {
      console.log(`(skipped: bench/${name}.ts exports no run())`);
      continue;
    }
    const started = performance.now();
    await mod.run();
    console.log(`(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}
