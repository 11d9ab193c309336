// A real FreeSWITCH 1.10 running the tree Dialtone generates (static mode), with sipp as the phones: for end-to-end
// checks of what phones are told (MWI subscriptions, intercom headers). Unprivileged free ports, a temp folder, and
// a stop() that always kills what it started. Self-contained on purpose (no shared e2e harness).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db';
import { DEFAULT_OPTIONS } from '../../src/freeswitch/generator';
import { createServices, type Services } from '../../src/services';
import { buildFreeswitchTree } from '../../src/services/freeswitch-export';

const run = promisify(execFile);
const FS_ROOT = '/usr/local/freeswitch';

/** True when the real FreeSWITCH and sipp are installed; CI must have them (the caller fails instead of skipping). */
export function haveFreeswitchAndSipp(): boolean {
  return ['freeswitch', 'fs_cli', 'sipp'].every((bin) =>
    (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, bin))),
  );
}

/** A port free on 127.0.0.1 for both TCP and UDP right now (FreeSWITCH needs fixed numbers, not port 0). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const dgram = await import('node:dgram');
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = dgram.createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree && port < 60000) return port;
  }
  throw new Error('no free port found');
}

export interface SignallingWorld {
  dir: string;
  services: Services;
  sipPort: number;
  /** The conf tree FreeSWITCH was started on (relative path -> text), once `start()` has run. */
  tree: Map<string, string>;
  /** The fs_cli command line (without -x) that reaches this FreeSWITCH, e.g. for a sipp <exec>. */
  fsCli: string;
  /** fs_cli -x COMMAND against this FreeSWITCH; resolves with its output. */
  api(command: string): Promise<string>;
  /** Runs one sipp scenario (XML text) to the end; returns its exit code and the messages it traced. */
  sipp(name: string, scenario: string, args?: string[], opts?: { timeoutMs?: number }): Promise<SippRun>;
  /** Starts FreeSWITCH on the tree generated from the database as it is now. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SippRun {
  code: number | null;
  /** The -trace_msg log: every message sent and received, with sipp's byte counts. */
  messages: string;
  stderr: string;
}

/** Opens an empty SQLite database and a folder; FreeSWITCH starts only when `start()` is called. */
export async function openSignallingWorld(): Promise<SignallingWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-signalling-'));
  const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'dialtone.sqlite') });
  const services = createServices(orm, { profileIds: new Set(['polycom-vvx450', 'yealink-t54w']) });
  const sipPort = await freePort();
  let externalPort = await freePort();
  while (externalPort === sipPort) externalPort = await freePort();
  let eslPort = await freePort();
  while (eslPort === sipPort || eslPort === externalPort) eslPort = await freePort();
  // A random 200-port RTP range, unlikely to meet another run's, and clear of the ports just picked (they come from
  // the kernel's ephemeral range, which the RTP ranges overlap: FreeSWITCH settings refuse a SIP port inside it).
  const picked = [sipPort, externalPort, eslPort];
  let rtpStart = 30000 + 200 * Math.floor(Math.random() * 140);
  while (picked.some((p) => p >= rtpStart && p <= rtpStart + 199))
    rtpStart = 30000 + 200 * Math.floor(Math.random() * 140);
  const eslPassword = `Sig${Math.random().toString(36).slice(2, 12)}`;
  const fsDir = join(dir, 'fs');
  let fsPid: number | null = null;
  const sippChildren = new Set<ChildProcess>();

  const api = async (command: string): Promise<string> => {
    const { stdout } = await run(
      'fs_cli',
      ['-H', '127.0.0.1', '-P', String(eslPort), '-p', eslPassword, '-t', '10000', '-x', command],
      { timeout: 15000 },
    );
    return stdout;
  };

  const world = {} as SignallingWorld;
  const start = async () => {
    const tree = await buildFreeswitchTree(services, {
      settings: {
        mode: 'static',
        sip: {
          bindIp: '127.0.0.1',
          internalPort: sipPort,
          externalPort,
          rtpStartPort: rtpStart,
          rtpEndPort: rtpStart + 199,
        },
        eventSocket: { listenPort: eslPort, password: eslPassword },
        // Unused: the modules that would call Dialtone (xml_curl, json_cdr) are not loaded below.
        xmlCurl: { url: 'http://127.0.0.1:9/xml-curl', username: 'freeswitch', password: 'unused-password' },
        cdr: { url: 'http://127.0.0.1:9/cdr', username: 'freeswitch', password: 'unused-password' },
        paths: {
          soundsDir: `${FS_ROOT}/share/freeswitch/sounds`,
          langDir: `${FS_ROOT}/etc/freeswitch/lang`,
          recordingsDir: `${fsDir}/recordings`,
          storageDir: `${fsDir}/storage`,
          holdMusicDir: `${fsDir}/moh`,
        },
      },
      generate: { ...DEFAULT_OPTIONS, audioDir: `${fsDir}/audio`, alertInfoHost: '127.0.0.1' },
    });
    rmSync(fsDir, { recursive: true, force: true });
    world.tree = tree;
    for (const [path, text] of tree) {
      // Static mode: FreeSWITCH reads only these files (no Dialtone HTTP server answers xml_curl or CDR posts here).
      const body =
        path === 'autoload_configs/modules.conf.xml'
          ? text.replace(/<load module="mod_(xml_curl|json_cdr)"\/>/g, '')
          : text;
      mkdirSync(dirname(join(fsDir, 'conf', path)), { recursive: true });
      writeFileSync(join(fsDir, 'conf', path), body);
    }
    for (const d of ['log', 'db', 'storage', 'run', 'temp', 'recordings', 'moh', 'audio'])
      mkdirSync(join(fsDir, d), { recursive: true });
    const args = ['-conf', 'conf', '-log', 'log', '-db', 'db', '-storage', 'storage', '-run', 'run', '-temp', 'temp'];
    await run(
      'freeswitch',
      [...args.map((a) => (a.startsWith('-') ? a : join(fsDir, a))), '-recordings', join(fsDir, 'recordings')].concat([
        '-sounds',
        `${FS_ROOT}/share/freeswitch/sounds`,
        '-nonat',
        '-ncwait',
      ]),
      { timeout: 60000 },
    );
    fsPid = Number(readFileSync(join(fsDir, 'run', 'freeswitch.pid'), 'utf8').trim());
    // The internal profile must be up before any phone talks to it.
    for (let i = 0; i < 50; i++) {
      if (/internal\s+profile\s+sip:mod_sofia@127\.0\.0\.1:\d+\s+RUNNING/.test(await api('sofia status'))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the internal SIP profile did not start:\n${log()}`);
  };

  const log = () => {
    try {
      return readFileSync(join(fsDir, 'log', 'freeswitch.log'), 'utf8')
        .split('\n')
        .slice(-60)
        .join('\n');
    } catch {
      return '(no log)';
    }
  };

  const sipp = async (name: string, scenario: string, extra: string[] = [], opts: { timeoutMs?: number } = {}) => {
    // Each run on its own port: FreeSWITCH keeps sending to a finished run's contact (a live subscription).
    const port = extra.includes('-p') ? [] : ['-p', String(await freePort())];
    const file = join(dir, `${name}.xml`);
    const trace = join(dir, `${name}_messages.log`);
    writeFileSync(file, scenario);
    return new Promise<SippRun>((resolve, reject) => {
      const child = spawn(
        'sipp',
        [
          `127.0.0.1:${sipPort}`,
          '-sf',
          file,
          '-i',
          '127.0.0.1',
          ...(extra.includes('-m') ? [] : ['-m', '1']),
          '-trace_msg',
          '-message_file',
          trace,
          '-nostdin',
          '-timeout',
          `${Math.ceil((opts.timeoutMs ?? 20000) / 1000)}s`,
          '-timeout_error',
          ...port,
          ...extra,
        ],
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      sippChildren.add(child);
      let stderr = '';
      child.once('error', reject);
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      // A bounded run whatever sipp does: killed after its own timeout plus a margin.
      const guard = setTimeout(() => child.kill('SIGKILL'), (opts.timeoutMs ?? 20000) + 5000);
      child.on('exit', (code) => {
        clearTimeout(guard);
        sippChildren.delete(child);
        resolve({ code, messages: existsSync(trace) ? readFileSync(trace, 'latin1') : '', stderr });
      });
    });
  };

  const stop = async () => {
    for (const child of sippChildren) child.kill('SIGKILL');
    // A start that failed half-way may have left our FreeSWITCH running before its pid was read.
    if (fsPid === null && existsSync(join(fsDir, 'run', 'freeswitch.pid')))
      fsPid = Number(readFileSync(join(fsDir, 'run', 'freeswitch.pid'), 'utf8').trim()) || null;
    if (fsPid !== null) {
      const pid = fsPid;
      fsPid = null;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await services.orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  };

  const fsCli = `fs_cli -H 127.0.0.1 -P ${eslPort} -p ${eslPassword} -t 10000`;
  return Object.assign(world, { dir, services, sipPort, tree: new Map(), fsCli, api, sipp, start, stop });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A WAV file FreeSWITCH plays or stores: 16-bit mono PCM at 8 kHz, a 440 Hz tone. */
export function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * seconds * 2);
  for (let i = 0; i < rate * seconds; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20); // PCM
  head.writeUInt16LE(1, 22); // mono
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

/** The exact UDP payloads sipp received, cut from its -trace_msg log with the byte counts it prints. */
export function receivedMessages(log: string): string[] {
  const out: string[] = [];
  const re = /UDP message received \[(\d+)\] bytes :\n\n/g;
  for (let m = re.exec(log); m; m = re.exec(log)) {
    const start = m.index + m[0].length;
    out.push(log.slice(start, start + Number(m[1])));
  }
  return out;
}
