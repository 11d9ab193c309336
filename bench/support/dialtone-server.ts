// Dialtone as `npm start` runs it (scripts/start.mjs: the compiled dist/ when fresh, the cluster of WORKERS HTTP
// workers, the background process and the primary with TFTP), on ephemeral ports, for the benches.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // Its log goes to a file, as a server's goes to its journal (nginx's anchor logs to a file too): written into a pipe
  // to this busy bench process, a storm's 20,000 lines a round filled the pipe, and the workers, whose writes to a pipe
  // block, waited for the bench to read it.
  const logDir = mkdtempSync(join(tmpdir(), 'dialtone-bench-log-'));
  const logPath = join(logDir, 'dialtone.log');
  const fd = openSync(logPath, 'a');
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), 'scripts/start.mjs'],
    {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  let text = '';
  let offset = 0;
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  const readLog = () => {
    const size = statSync(logPath).size;
    if (size > offset) {
      const b = Buffer.alloc(size - offset);
      const r = openSync(logPath, 'r');
      try {
        readSync(r, b, 0, b.length, offset);
      } finally {
        closeSync(r);
      }
      offset = size;
      text += b.toString();
    }
    for (const w of [...waiters]) {
      const line = text.split('\n').find((l) => w.re.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  // Read while someone waits for a line; the rest is read when asked for.
  const tail = setInterval(() => {
    if (waiters.length > 0) readLog();
  }, 50);
  tail.unref();
  child.once('exit', () => {
    clearInterval(tail);
    readLog();
  });
  const waitFor = (re: RegExp, timeoutMs = 300_000) =>
    new Promise<string>((resolve, reject) => {
      readLog();
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
    output: () => {
      readLog();
      return text;
    },
    waitFor,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
