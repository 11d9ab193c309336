// Dialtone as `npm start` runs it (scripts/start.mjs: the compiled dist/ when fresh, the cluster of WORKERS HTTP
// workers, the background process and the primary with TFTP), on ephemeral ports, for the benches.
import { type ChildProcess, spawn } from 'node:child_process';
import { buildDist, distState } from '../../scripts/dist.mjs';

export interface RunningDialtone {
  port: number;
  child: ChildProcess;
  /** Everything it logged so far. */
  output(): string;
  /** Resolves with the first log line matching `re` (already logged or to come). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Builds dist/ when it is missing or stale, so the benches measure what `npm ci && npm start` ships. */
export async function ensureDist(): Promise<void> {
  const state = distState();
  if (state === 'fresh') return;
  console.log(`bench: dist/ is ${state}, building it first`);
  await buildDist();
}

export async function startDialtone(env: Record<string, string>): Promise<RunningDialtone> {
  // BENCH_CPU_PROF=<dir>: every process of the cluster writes a V8 CPU profile there when it stops (cluster workers
  // inherit the primary's flags), to see where a bench's time goes.
  const profile = process.env.BENCH_CPU_PROF;
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), 'scripts/start.mjs'],
    {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  const onData = (b: Buffer) => {
    text += b.toString();
    for (const w of [...waiters]) {
      const line = text.split('\n').find((l) => w.re.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const waitFor = (re: RegExp, timeoutMs = 300_000) =>
    new Promise<string>((resolve, reject) => {
      const line = text.split('\n').find((l) => re.test(l));
      if (line) return resolve(line);
      const timer = setTimeout(
        () => reject(new Error(`no log line ${re} in ${timeoutMs} ms:\n${text.slice(-2000)}`)),
        timeoutMs,
      );
      waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
      child.once('exit', (code) => reject(new Error(`dialtone exited (${code}):\n${text.slice(-2000)}`)));
    });
  const listening = JSON.parse(await waitFor(/"msg":"dialtone listening"/)) as { url: string };
  return {
    port: Number(/:(\d+)$/.exec(listening.url)?.[1]),
    child,
    output: () => text,
    waitFor,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
