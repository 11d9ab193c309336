// `npm run bench`: runs every bench/<area>.ts (or those named on the command line) and prints their figures, then the
// table of issue 16 gathered from every bench's rows (Dialtone, the anchor measured in the same run, the ratio).
// BENCH_TINY=1 runs every bench at a small size, to check that it runs (not for figures). Never run by .ci/run.
import { readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ROW_PREFIX, type Row, renderTable } from './support/report';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const rows: Row[] = [];
const { cpus, loadavg } = await import('node:os');
if (!process.env.DIALTONE_BENCH_CHILD)
  console.log(
    `node ${process.version}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )}${process.env.BENCH_TINY === '1' ? ', TINY sizes (a run check, not figures)' : ''}; benches: ${benches.join(', ')}`,
  );
// Each bench runs in a process of its own: one bench's heap, timers and JIT state must not weigh on the next one's
// figures (an export measured after the event-socket bench ran ~40% slower), and a CLI export is a fresh process too.
if (!process.env.DIALTONE_BENCH_CHILD) {
  const { spawn } = await import('node:child_process');
  for (const name of benches) {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DIALTONE_BENCH_CHILD: '1' },
    });
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith(ROW_PREFIX)) rows.push(JSON.parse(line.slice(ROW_PREFIX.length)) as Row);
      else console.log(line);
    }
    const code = await new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', resolve);
    });
    if (code !== 0) {
      console.log(`(${name} failed with exit code ${code})`);
      process.exitCode = 1;
    }
  }
  console.log(`\n== issue 16: the table (one run; ratio = Dialtone / anchor) ==\n${renderTable(rows)}`);
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
