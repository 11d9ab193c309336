// sipp processes: phones registering and answering, callers, subscribers. Scenarios are test/e2e/scenarios/*.xml;
// a caller's in-call steps (digits, audio, waits) are put in place of the scenario's `<!-- @in-call -->` marker.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PortBlock } from './ports';
import { readSipLog, type SipMessage } from './sip-log';

export const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** Every sipp this process started and that is still running: killed on exit. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface SippOptions {
  scenario: string; // file name in test/e2e/scenarios, or an absolute path
  /** host:port FreeSWITCH listens on; omitted for a server (UAS) scenario. */
  remote?: string;
  vars?: Record<string, string>;
  auth?: { user: string; password: string };
  /** Calls to make (client) or to take before exiting (server); unlimited for a server when omitted. */
  calls?: number;
  /** The whole run fails after this many seconds (default 60). */
  timeoutSec?: number;
  /** Call-ID of the (first) call, so FreeSWITCH's events can be matched to it. */
  callId?: string;
  /** A port (and the four after it) the caller owns, e.g. a phone's contact port; default one from the pool. */
  port?: number;
  extraArgs?: string[];
}

export interface SippExit {
  code: number | null;
  /** sipp's screen/stderr output, for failure messages. */
  output: string;
}

export class Sipp {
  readonly done: Promise<SippExit>;
  private exited = false;

  constructor(
    readonly port: number,
    readonly logFile: string,
    readonly errorFile: string,
    private readonly child: ChildProcess,
    release: () => void,
  ) {
    let output = '';
    child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
    this.done = new Promise((resolve) => {
      child.on('close', (code) => {
        this.exited = true;
        running.delete(child);
        release();
        resolve({ code, output: `${output}\n${safeRead(errorFile)}`.trim() });
      });
    });
  }

  /** SIP messages so far (the trace is written as they happen). */
  messages(): SipMessage[] {
    return readSipLog(this.logFile);
  }

  received(method?: string): SipMessage[] {
    return this.messages().filter((m) => m.direction === 'received' && (!method || m.method === method));
  }

  /** Ends the process (SIGTERM, then SIGKILL) and waits for it. */
  async stop(): Promise<void> {
    if (!this.exited) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await this.done;
      clearTimeout(timer);
    }
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

/** Starts sipp on ports from `ports` (SIP on the first, media on the next), writing its trace under `dir`. */
export function startSipp(ports: PortBlock, dir: string, name: string, o: SippOptions): Sipp {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  const port = o.port ?? ports.take();
  const tag = `${name}-${port}-${Date.now().toString(36)}`;
  const logFile = join(dir, `${tag}.sip.log`);
  const errorFile = join(dir, `${tag}.err.log`);
  const scenario = o.scenario.startsWith('/') ? o.scenario : join(SCENARIO_DIR, o.scenario);
  const args = [...(o.remote ? [o.remote] : []), '-sf', scenario, '-i', '127.0.0.1', '-p', String(port)];
  args.push('-mp', String(port + 1), '-nostdin', '-trace_msg', '-message_file', logFile);
  args.push('-trace_err', '-error_file', errorFile, '-timeout', `${o.timeoutSec ?? 60}s`, '-timeout_error');
  // Wait for FreeSWITCH's retransmissions and late requests rather than treat them as errors.
  args.push('-max_recv_loops', '1000', '-default_behaviors', 'all,-bye');
  if (o.calls !== undefined) args.push('-m', String(o.calls));
  if (o.callId) args.push('-cid_str', o.callId);
  if (o.auth) args.push('-au', o.auth.user, '-ap', o.auth.password);
  for (const [k, v] of Object.entries(o.vars ?? {})) args.push('-set', k, v);
  args.push(...(o.extraArgs ?? []));
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  return new Sipp(port, logFile, errorFile, child, () => {
    if (o.port === undefined) ports.give(port);
  });
}

/** A scenario with `<!-- @in-call -->` replaced by `steps`, written to `dir`; returns its path. */
export function scenarioWith(dir: string, name: string, steps: string): string {
  const text = readFileSync(join(SCENARIO_DIR, `${name}.xml`), 'utf8');
  if (!text.includes('<!-- @in-call -->')) throw new Error(`${name}.xml has no <!-- @in-call --> marker`);
  const file = join(dir, `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.xml`);
  writeFileSync(file, text.replace('<!-- @in-call -->', steps));
  return file;
}
