// Start-up benchmark, the table's last three rows: `dialtone --help` (against `node -e 0`, the floor of any Node
// command), `dialtone list extensions --json` on a 10,000-extension PBX, and `npm start` until /healthz first answers
// (node scripts/start.mjs, what npm start runs, on the same database). Compiled dist/ as `npm ci` builds it.
// BENCH_TINY=1: 500 extensions, 3 runs each.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db';
import { freePort } from './support/anchors';
import { insertBigPbx } from './support/big-pbx';
import { ensureDist } from './support/dialtone-server';
import { fmt, reportRow, TINY } from './support/report';

const EXTENSIONS = TINY ? 500 : 10_000;
const RUNS = TINY ? 3 : 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Wall-clock ms of one run of a command that must exit 0. */
function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return ms;
}

function timeRuns(label: string, args: string[], env: NodeJS.ProcessEnv): number {
  timeOnce(args, env); // a first run fills the page cache; not counted
  const runs = Array.from({ length: RUNS }, () => timeOnce(args, env));
  console.log(`startup: ${label}: ${runs.map((r) => r.toFixed(0)).join(', ')} ms (median ${median(runs).toFixed(0)})`);
  return median(runs);
}

/** ms from spawning the server until GET /healthz answers 200; the server is stopped (SIGTERM, its whole cluster). */
async function timeToHealthz(env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort('tcp');
  const t = performance.now();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', TFTP_PORT: '0', SEED_DEMO: 'false' },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (let i = 0; i < 6000; i++) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.arrayBuffer().then(() => r.status === 200),
        () => false,
      );
      if (ok) return performance.now() - t;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('/healthz never answered');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function run(): Promise<void> {
  await ensureDist();
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-startup-'));
  try {
    const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'dialtone.sqlite') });
    await insertBigPbx(orm, {
      context: 'big',
      extensions: EXTENSIONS,
      ringGroups: EXTENSIONS / 20,
      attendants: EXTENSIONS / 50,
      numbers: EXTENSIONS / 10,
      didPrefix: '212',
    });
    await orm.close();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;

    const floor = timeRuns('node -e 0', ['-e', '0'], env);
    const help = timeRuns('dialtone --help', ['bin/dialtone.js', '--help'], env);
    reportRow({
      order: 7,
      measure: '`dialtone --help` (median)',
      dialtone: fmt.ms(help),
      anchor: `node -e 0 ${fmt.ms(floor)}`,
      ratio: help / floor,
      target: '< 300 ms',
      verdict: help < 300 ? 'meets' : 'misses',
    });
    const list = timeRuns(
      `dialtone list extensions --json, ${EXTENSIONS} extensions`,
      ['bin/dialtone.js', 'list', 'extensions', '--pbx', 'big', '--json'],
      env,
    );
    reportRow({
      order: 8,
      measure: `\`dialtone list extensions --json\`, ${EXTENSIONS} extensions (median)`,
      dialtone: fmt.ms(list),
      anchor: '—',
      ratio: null,
      target: '< 1,000 ms',
      verdict: list < 1000 ? 'meets' : 'misses',
    });
    const starts: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 5); i++) starts.push(await timeToHealthz(env));
    console.log(`startup: npm start -> first /healthz: ${starts.map((s) => s.toFixed(0)).join(', ')} ms`);
    reportRow({
      order: 9,
      measure: '`npm start` -> first `/healthz` (node scripts/start.mjs, median)',
      dialtone: fmt.ms(median(starts)),
      anchor: '—',
      ratio: null,
      target: '< 1,500 ms',
      verdict: median(starts) < 1500 ? 'meets' : 'misses',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
