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

console.log(
  `node ${process.version}, ${(await import('node:os')).cpus().length} cores; benches: ${benches.join(', ')}`,
);
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
