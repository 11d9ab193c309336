// A real FreeSWITCH 1.10 for one test file: its own temp dirs and port block, started on a conf tree, always stopped.
//
// Started with -nonat (no STUN look-up: there is no internet) and -ncwait (returns once FreeSWITCH is ready), stopped
// by SIGTERM (then SIGKILL) from `stop()`, and killed by the process exit handler if a test run dies before `after`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EslClient } from '../../../src/freeswitch/event-socket';
import type { PortBlock } from './ports';

/** Every FreeSWITCH this process started and has not stopped yet: killed on exit, whatever happened. */
const running = new Set<number>();
let exitHookInstalled = false;
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  });
}

/** FreeSWITCH and sipp on PATH (the CI installs both; a developer machine may not have them). */
export function telephonyToolsMissing(): string | null {
  for (const tool of ['freeswitch', 'sipp']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (found.status !== 0)
      return `${tool} is not installed (bash ../shared/tools/freeswitch/install.sh; apt-get install sip-tester)`;
  }
  return null;
}

export interface FreeswitchDirs {
  root: string;
  conf: string;
  log: string;
  storage: string;
  recordings: string;
  sounds: string;
  temp: string;
}

export function makeDirs(prefix = 'dialtone-e2e-'): FreeswitchDirs {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dirs: FreeswitchDirs = {
    root,
    conf: join(root, 'conf'),
    log: join(root, 'log'),
    storage: join(root, 'storage'),
    recordings: join(root, 'recordings'),
    sounds: join(root, 'sounds'),
    temp: join(root, 'temp'),
  };
  for (const d of [
    dirs.conf,
    dirs.log,
    dirs.storage,
    dirs.recordings,
    dirs.sounds,
    dirs.temp,
    join(root, 'db'),
    join(root, 'run'),
  ])
    mkdirSync(d, { recursive: true });
  return dirs;
}

/** Writes a conf tree (relative path -> text) below `dir`. */
export function writeTree(dir: string, tree: Map<string, string>): void {
  for (const [path, text] of tree) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** Log lines FreeSWITCH must never print for a tree Dialtone wrote: errors, critical errors, deprecations. */
export const BAD_LOG_LINE = /\[(ERR|CRIT|ALERT)\]|deprecated/i;

export class Freeswitch {
  readonly esl: EslClient;
  private stopped = false;

  private constructor(
    readonly dirs: FreeswitchDirs,
    readonly ports: PortBlock,
    readonly eslPassword: string,
    readonly pid: number,
  ) {
    this.esl = new EslClient({ host: '127.0.0.1', port: ports.esl, password: eslPassword, reconnect: false });
  }

  /** Starts FreeSWITCH on `dirs.conf` (already written) and connects the event socket. */
  static async start(dirs: FreeswitchDirs, ports: PortBlock, eslPassword: string): Promise<Freeswitch> {
    killAllOnExit();
    const args = ['-conf', dirs.conf, '-log', dirs.log, '-db', join(dirs.root, 'db'), '-run', join(dirs.root, 'run')];
    args.push('-storage', dirs.storage, '-recordings', dirs.recordings, '-sounds', dirs.sounds, '-temp', dirs.temp);
    args.push('-nonat', '-ncwait', '-nc');
    const started = await new Promise<{ code: number | null; out: string }>((resolve) => {
      let out = '';
      const child = spawn('freeswitch', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
    const pidFile = join(dirs.root, 'run', 'freeswitch.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (pid > 0) running.add(pid);
    const fs = new Freeswitch(dirs, ports, eslPassword, pid);
    if (started.code !== 0 || !pid) {
      await fs.stop();
      throw new Error(`FreeSWITCH did not start (exit ${started.code}): ${started.out.slice(-500)}\n${fs.logTail(30)}`);
    }
    try {
      await fs.esl.connect();
    } catch (err) {
      await fs.stop();
      throw new Error(
        `FreeSWITCH started but its event socket did not answer: ${(err as Error).message}\n${fs.logTail(30)}`,
      );
    }
    return fs;
  }

  api(command: string): Promise<string> {
    return this.esl.api(command, { timeoutMs: 30_000 });
  }

  /** The whole log so far. */
  log(): string {
    const file = join(this.dirs.log, 'freeswitch.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  logTail(lines: number): string {
    return this.log().split('\n').slice(-lines).join('\n');
  }

  /** Error, critical and deprecation lines of the log (from `since`, a length of log() read earlier). */
  badLines(since = 0): string[] {
    return this.log()
      .slice(since)
      .split('\n')
      .filter((l) => BAD_LOG_LINE.test(l));
  }

  /** Stops FreeSWITCH (SIGTERM, SIGKILL after 10 s) and waits until its process is gone. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.esl.close().catch(() => {});
    if (this.pid > 0) {
      try {
        process.kill(this.pid, 'SIGTERM');
      } catch {}
      const deadline = Date.now() + 10_000;
      while (isAlive(this.pid) && Date.now() < deadline) await sleep(50);
      if (isAlive(this.pid)) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {}
        while (isAlive(this.pid)) await sleep(20);
      }
      running.delete(this.pid);
    }
  }

  /** Stops and removes the temp dirs (keeps them when DIALTONE_E2E_KEEP is set, to read the log afterwards). */
  async dispose(): Promise<void> {
    await this.stop();
    if (!process.env.DIALTONE_E2E_KEEP) rmSync(this.dirs.root, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (killed, not yet reaped by its parent init) still answers signal 0.
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).startsWith('Z');
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
