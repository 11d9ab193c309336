// Minimal local helpers for the phone-apps end-to-end test: a real FreeSWITCH 1.10.12 on the tree Dialtone
// generates (temporary folders, unprivileged ports, placeholder prompts), and sipp phones. Self-contained because
// the general e2e harness (test/e2e/support/) was not on main yet; swap to it when it lands.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FreeswitchSettings } from '../../src/freeswitch/base-config';
import { DEFAULT_OPTIONS } from '../../src/freeswitch/generator';
import type { Services } from '../../src/services';
import { buildFreeswitchTree } from '../../src/services/freeswitch-export';

export const SIPP_DIR = fileURLToPath(new URL('./sipp/', import.meta.url));
const LANG_DIR = '/usr/local/freeswitch/share/freeswitch/conf-vanilla/lang';
export const PCAP = '/usr/share/sip-tester/g711a.pcap';

function onPath(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What is missing to run the test, or null. */
export function missingTools(): string | null {
  for (const bin of ['freeswitch', 'sipp']) if (!onPath(bin)) return `${bin} is not installed`;
  if (!existsSync(join(LANG_DIR, 'en', 'en.xml'))) return `${LANG_DIR}/en/en.xml is missing`;
  if (!existsSync(PCAP)) return `${PCAP} is missing`;
  return null;
}

/** A port free on 127.0.0.1 for both TCP and UDP right now (the OS picks it). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = createTcp();
    const port = await new Promise<number>((resolve) =>
      tcp.listen(0, '127.0.0.1', () => resolve((tcp.address() as { port: number }).port)),
    );
    const udp = createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (ok) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      return port;
    }
    udp.close();
  }
  throw new Error('no free port found');
}

/** 0.25 s tones for every prompt the English phrases name: mod_voicemail hangs up when its greeting prompt is missing. */
function writePlaceholderPrompts(soundsDir: string): void {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.xml'))
        for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/([a-z_]+\/[A-Za-z0-9_.-]+\.wav)/g))
          names.add(m[1]!);
    }
  };
  walk(join(LANG_DIR, 'en'));
  for (let d = 0; d < 20; d++) names.add(`digits/${d}.wav`);
  const samples = 2000;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(16000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 600 * i) / 8000)), 44 + i * 2);
  for (const name of names) {
    const path = join(soundsDir, 'en', 'us', 'callie', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, wav);
  }
}

export interface RunningFreeswitch {
  readonly dir: string;
  readonly sipPort: number;
  readonly eslPort: number;
  readonly eslPassword: string;
  readonly storageDir: string;
  log(): string;
  stop(): Promise<void>;
}

/** Writes base + generated tree for every PBX in `services` and starts FreeSWITCH on it; resolves once it is ready. */
export async function startFreeswitch(services: Services): Promise<RunningFreeswitch> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-e2e-pa-'));
  const sub = (n: string) => {
    mkdirSync(join(dir, n), { recursive: true });
    return join(dir, n);
  };
  const [sipPort, externalPort, eslPort] = [await freePort(), await freePort(), await freePort()];
  // Clear of the ports just picked (kernel ephemeral ports, which this range overlaps; the settings refuse a SIP port
  // inside the RTP range).
  let rtpStart = 40_000 + Math.floor(Math.random() * 200) * 100;
  while ([sipPort, externalPort, eslPort].some((p) => p >= rtpStart && p <= rtpStart + 99))
    rtpStart = 40_000 + Math.floor(Math.random() * 200) * 100;
  const eslPassword = 'e2e-Secret-1';
  const storageDir = sub('storage');
  const settings: FreeswitchSettings = {
    mode: 'static',
    sip: {
      bindIp: '127.0.0.1',
      internalPort: sipPort,
      externalPort,
      rtpStartPort: rtpStart,
      rtpEndPort: rtpStart + 99,
    },
    eventSocket: { listenPort: eslPort, password: eslPassword },
    // Unused in static mode (xml_curl is not loaded); kept so the settings stay a complete example.
    xmlCurl: { url: 'http://127.0.0.1:9/freeswitch/xml-curl', username: 'freeswitch', password: 'e2e-curl-1' },
    cdr: {
      url: 'http://127.0.0.1:9/freeswitch/cdr',
      username: 'freeswitch',
      password: 'e2e-curl-1',
      retries: 0,
      errorLogDir: sub('cdr'),
    },
    paths: {
      soundsDir: sub('sounds'),
      langDir: LANG_DIR,
      recordingsDir: sub('recordings'),
      storageDir,
      holdMusicDir: sub('moh'),
    },
  };
  writePlaceholderPrompts(join(dir, 'sounds'));
  const tree = await buildFreeswitchTree(services, {
    settings,
    generate: { ...DEFAULT_OPTIONS, audioDir: sub('audio'), referenceYear: new Date().getUTCFullYear() },
  });
  for (const [path, text] of tree) {
    mkdirSync(dirname(join(dir, 'conf', path)), { recursive: true });
    writeFileSync(join(dir, 'conf', path), text);
  }
  for (const n of ['log', 'db', 'run', 'temp']) sub(n);
  execFileSync(
    'freeswitch',
    [
      ...['-conf', join(dir, 'conf'), '-log', join(dir, 'log'), '-db', join(dir, 'db'), '-storage', storageDir],
      ...['-run', join(dir, 'run'), '-temp', join(dir, 'temp'), '-recordings', join(dir, 'recordings')],
      ...['-sounds', join(dir, 'sounds'), '-nonat', '-ncwait', '-nc'],
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  const pid = Number(readFileSync(join(dir, 'run', 'freeswitch.pid'), 'utf8').trim());
  return {
    dir,
    sipPort,
    eslPort,
    eslPassword,
    storageDir,
    log: () => readFileSync(join(dir, 'log', 'freeswitch.log'), 'utf8'),
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // stopped in time
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Sipp {
  readonly child: ChildProcess;
  readonly messages: string;
  /** Resolves with the exit code. */
  readonly done: Promise<number | null>;
  kill(): Promise<void>;
  /** The message trace so far. */
  trace(): string;
}

/** Runs one sipp scenario of SIPP_DIR as `user`, with `-key` values; `-trace_msg` goes to a file read by trace(). */
export async function sipp(
  fs: RunningFreeswitch,
  scenario: string,
  user: { number: string; password: string },
  keys: Record<string, string>,
): Promise<Sipp> {
  // The media port must differ per sipp (default 6000 for all); it also plays the pcap from there.
  const mediaPort = await freePort();
  const messages = join(fs.dir, `sipp-${scenario}-${user.number}-${Date.now()}.log`);
  const args = [
    `127.0.0.1:${fs.sipPort}`,
    ...['-sf', join(SIPP_DIR, `${scenario}.xml`), '-s', user.number, '-au', user.number, '-ap', user.password],
    ...Object.entries(keys).flatMap(([k, v]) => ['-key', k, v]),
    ...['-i', '127.0.0.1', '-mp', String(mediaPort), '-m', '1', '-l', '1', '-nostdin'],
    ...['-trace_msg', '-message_file', messages],
  ];
  const child = spawn('sipp', args, { stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    messages,
    done,
    trace: () => (existsSync(messages) ? readFileSync(messages, 'utf8') : ''),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await done;
    },
  };
}

/** Polls until `check` is true (bounded): e2e steps wait for FreeSWITCH's asynchronous effects. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
