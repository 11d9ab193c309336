// The anchors of the performance table, run in the same bench as Dialtone: nginx (static files), tftpd-hpa, and the
// load tools wrk and curl. Each daemon runs on an unprivileged port with a configuration of its own under a temporary
// folder, and stop() kills it (never left running).
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';

export function hasBinary(name: string, args = ['--version']): boolean {
  const r = spawnSync(name, args, { stdio: 'ignore' });
  return r.error === undefined;
}

/** A port free right now on 127.0.0.1 (for daemons that cannot be told "any port"). */
export async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'tcp') {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as { port: number };
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }
  const u = createSocket('udp4');
  await new Promise<void>((r) => u.bind(0, '127.0.0.1', r));
  const { port } = u.address();
  await new Promise<void>((r) => u.close(() => r()));
  return port;
}

export interface Daemon {
  port: number;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** nginx (nginx-light) serving `root` with one worker per core, keep-alive for the whole run, no access log. */
export async function startNginx(root: string, work: string): Promise<Daemon | null> {
  if (!hasBinary('nginx', ['-v'])) return null;
  const port = await freePort('tcp');
  const dir = join(work, 'nginx');
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes ${cpus().length};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/octet-stream;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  open_file_cache max=100000 inactive=120s;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    root ${root};
  }
}
`,
  );
  // Its workers run as an unprivileged user (nobody) when we are root: the folders (mkdtemp makes them 0700) must be
  // readable by it.
  for (const d of [work, root]) chmodSync(d, 0o755);
  const child = spawn('nginx', ['-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  await waitForTcp(port);
  return { port, stop: () => stopChild(child, 'SIGQUIT') };
}

async function waitForTcp(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.arrayBuffer().then(() => true),
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** tftpd-hpa serving `root` read-only (blocks up to 1468 bytes, like Dialtone). */
export async function startTftpdHpa(root: string): Promise<Daemon | null> {
  if (!hasBinary('in.tftpd', ['-V'])) return null;
  const port = await freePort('udp');
  // It runs as an unprivileged user: the folder and files must be readable by it.
  chmodSync(root, 0o755);
  const user = process.getuid?.() === 0 ? ['--user', 'nobody'] : [];
  const child = spawn(
    'in.tftpd',
    ['--foreground', '--listen', '--address', `127.0.0.1:${port}`, ...user, '--secure', '-B', '1468', root],
    { stdio: 'ignore' },
  );
  await new Promise((r) => setTimeout(r, 300));
  if (child.exitCode !== null) return null;
  return { port, stop: () => stopChild(child) };
}

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  raw: string;
}

function toMs(v: string, unit: string): number {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

/** wrk -t<threads> -c<connections> -d<seconds>s --latency; figures parsed from its report. */
export function runWrk(url: string, connections: number, seconds: number, threads = 2): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'wrk',
      [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url],
      { timeout: (seconds + 30) * 1000 },
      (err, stdout) => {
        if (err) return reject(err);
        const lat = (p: string) => {
          const m = new RegExp(`^\\s+${p}%\\s+([0-9.]+)(us|ms|s|m)\\s*$`, 'm').exec(stdout);
          return m ? toMs(m[1] as string, m[2] as string) : Number.NaN;
        };
        const max = /Latency\s+\S+\s+\S+\s+([0-9.]+)(us|ms|s|m)/.exec(stdout);
        const errors = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
        const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
        resolve({
          rps: Number(/Requests\/sec:\s+([0-9.]+)/.exec(stdout)?.[1] ?? Number.NaN),
          p50Ms: lat('50'),
          p99Ms: lat('99'),
          maxMs: max ? toMs(max[1] as string, max[2] as string) : Number.NaN,
          errors:
            Number(errors?.[1] ?? 0) + (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0),
          raw: stdout,
        });
      },
    );
  });
}

/** curl downloading a file over TFTP (lock-step: curl never asks for windowsize); seconds. */
export function curlTftp(port: number, name: string, blksize: number, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(
      'curl',
      ['-s', '--max-time', '300', '-o', out, '--tftp-blksize', String(blksize), `tftp://127.0.0.1:${port}/${name}`],
      (err) => (err ? reject(err) : resolve((performance.now() - started) / 1000)),
    );
  });
}

/** atftp with RFC 7440 windowsize (atftp 0.8 asks for it with --option); seconds. */
export function atftpGet(
  port: number,
  name: string,
  blksize: number,
  windowsize: number,
  out: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(
      'atftp',
      [
        '-g',
        '-r',
        name,
        '-l',
        out,
        '--option',
        `blksize ${blksize}`,
        '--option',
        `windowsize ${windowsize}`,
        '127.0.0.1',
        String(port),
      ],
      { timeout: 300_000 },
      (err) => (err ? reject(err) : resolve((performance.now() - started) / 1000)),
    );
  });
}
