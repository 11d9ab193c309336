// Load generator of the boot-storm bench, run as a child process (its own core and heap, like phones on the network):
// `concurrency` keep-alive HTTP clients; each takes the next phone and fetches its whole boot sequence in order, with the
// model's User-Agent and HTTP digest on per-phone files. Reports counts, bytes and latency percentiles over IPC.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { DIGEST_REALM } from '../../src/provisioning/digest';
import { RawHttpConnection } from './raw-http-client';
import {
  POLYCOM_PROFILE,
  POLYCOM_USER_AGENT,
  type StormPhone,
  stormPhone,
  YEALINK_MODEL_CODE,
  yealinkUserAgent,
} from './storm-devices';

export interface StormJob {
  port: number;
  /** Phones [first, first + count). */
  first: number;
  count: number;
  concurrency: number;
  /** node:http Agent (keep-alive, maxSockets = concurrency), or one minimal raw keep-alive socket per client. */
  client: 'node-http' | 'raw';
  /** SIP password of phone i's extension at index i - first: its secret config must contain it. */
  sipPasswords: string[];
  /**
   * The server is the anchor (nginx serving Dialtone's bytes from disk): no digest challenge to learn first; the
   * requests still carry the same headers, so both sides get the same bytes in.
   */
  anchor?: boolean;
  /** Write every 200 body under this folder at its URL path (the files the anchor then serves); off the clock. */
  saveDir?: string;
}

export interface StormResult {
  requests: number;
  /** 200 responses. */
  ok: number;
  /** Everything else: unexpected status, socket error, or a config without the phone's SIP password. */
  errors: number;
  statuses: Record<string, number>;
  /** 401 round trips made to learn a nonce: one at the start, one more each time the shared nonce went stale. */
  challenges: number;
  bytes: number;
  elapsedMs: number;
  /** CPU time the load generator itself used during the storm (user + system), ms. */
  clientCpuMs: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  firstError: string | null;
}

interface Step {
  path: string;
  userAgent: string;
  /** The phone's HA1 and nonce count when the file is per-phone (digest), else null. */
  digest: { username: string; ha1: string; nc: number } | null;
  /** Text the body must contain (the line's SIP password in a secret file). */
  expect: string | null;
}

interface Challenge {
  realm: string;
  nonce: string;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function parseChallenge(header: string | undefined): (Challenge & { stale: boolean }) | null {
  const realm = /realm="([^"]*)"/.exec(header ?? '')?.[1];
  const nonce = /nonce="([^"]*)"/.exec(header ?? '')?.[1];
  if (realm === undefined || nonce === undefined) return null;
  return { realm, nonce, stale: /stale=true/i.test(header ?? '') };
}

/** The phone's files in the order its firmware asks for them (firmware and log uploads left out). */
function bootSequence(phone: StormPhone): { path: string; secret: boolean; holdsSipPassword: boolean }[] {
  if (phone.vendor === 'polycom')
    return [
      { path: `${phone.mac}.cfg`, secret: true, holdsSipPassword: false },
      { path: `${phone.mac}-user.cfg`, secret: true, holdsSipPassword: true },
      { path: `common-${POLYCOM_PROFILE}.cfg`, secret: false, holdsSipPassword: false },
      { path: `${phone.mac}-directory.xml`, secret: true, holdsSipPassword: false },
    ];
  return [
    { path: `y${YEALINK_MODEL_CODE.padStart(12, '0')}.cfg`, secret: false, holdsSipPassword: false },
    { path: `${phone.mac}.cfg`, secret: true, holdsSipPassword: true },
  ];
}

/** Everything but the digest response is computed before the clock starts; the response needs the current nonce. */
function steps(phone: StormPhone, realm: string, sipPassword: string): Step[] {
  const userAgent = phone.vendor === 'polycom' ? POLYCOM_USER_AGENT : yealinkUserAgent(phone.mac);
  const ha1 = md5(`${phone.username}:${realm}:${phone.password}`);
  let nc = 0;
  return bootSequence(phone).map((f) => ({
    path: `/provisioning/${f.path}`,
    userAgent,
    digest: f.secret ? { username: phone.username, ha1, nc: ++nc } : null,
    expect: f.holdsSipPassword ? sipPassword : null,
  }));
}

/** Request headers, with an Authorization answering `challenge` (qop=auth, as VVX and T5x firmware do). */
function headers(step: Step, challenge: Challenge, retry: number): Record<string, string> {
  const h: Record<string, string> = { 'User-Agent': step.userAgent };
  if (step.digest) {
    const { username, ha1 } = step.digest;
    const count = (step.digest.nc + retry * 16).toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${ha1}:${challenge.nonce}:${count}:${cnonce}:auth:${md5(`GET:${step.path}`)}`);
    h.Authorization = `Digest username="${username}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${step.path}", algorithm=MD5, qop=auth, nc=${count}, cnonce="${cnonce}", response="${response}"`;
  }
  return h;
}

function get(agent: Agent, port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: Buffer; challenge: string | undefined }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          challenge: res.headers['www-authenticate'],
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

type Fetch = (
  path: string,
  headers: Record<string, string>,
) => Promise<{ status: number; body: Buffer; challenge?: string }>;

interface Tally {
  latencies: Float64Array;
  done: number;
  ok: number;
  errors: number;
  bytes: number;
  challenges: number;
  statuses: Record<string, number>;
  firstError: string | null;
}

/** One client per fetcher; each takes the next phone and fetches its boot sequence in order. */
async function drive(plan: Step[][], fetchers: Fetch[], start: Challenge, saveDir?: string): Promise<Tally> {
  const t: Tally = {
    latencies: new Float64Array(plan.reduce((n, p) => n + p.length, 0)),
    done: 0,
    ok: 0,
    errors: 0,
    bytes: 0,
    challenges: 0,
    statuses: {},
    firstError: null,
  };
  // Shared by all clients: the server's nonces are stateless and valid for every phone, as on a real network where
  // each phone learns one from its first 401 and keeps using it until told it is stale.
  let challenge = start;
  let next = 0;
  const fail = (what: string) => {
    t.errors++;
    t.firstError ??= what;
  };
  const client = async (fetch: Fetch) => {
    while (next < plan.length) {
      const phone = plan[next++] as Step[];
      for (const step of phone) {
        const t0 = performance.now();
        try {
          let r = await fetch(step.path, headers(step, challenge, 0));
          const renewed = r.status === 401 ? parseChallenge(r.challenge) : null;
          if (renewed?.stale) {
            // The nonce aged out during the storm: what a phone does — take the new one and ask again (counted).
            t.challenges++;
            challenge = renewed;
            r = await fetch(step.path, headers(step, challenge, 1));
          }
          t.latencies[t.done++] = performance.now() - t0;
          t.statuses[r.status] = (t.statuses[r.status] ?? 0) + 1;
          t.bytes += r.body.length;
          if (r.status !== 200) fail(`${step.path}: HTTP ${r.status}`);
          else if (step.expect !== null && !r.body.includes(step.expect)) fail(`${step.path}: SIP password missing`);
          else t.ok++;
          if (saveDir && r.status === 200) {
            const file = join(saveDir, step.path);
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, r.body);
          }
        } catch (err) {
          t.latencies[t.done++] = performance.now() - t0;
          fail(`${step.path}: ${(err as Error).message}`);
        }
      }
    }
  };
  await Promise.all(fetchers.map(client));
  return t;
}

/**
 * The clients' fetchers; `open` connects every client's socket up front, so the clock measures responses and not 200
 * handshakes racing the first requests (node:http's Agent is handed the open sockets through createConnection).
 */
function fetchers(
  job: StormJob,
  port: number,
  agent: Agent,
): { fetch: Fetch[]; open: () => Promise<void>; close: () => void } {
  if (job.client === 'node-http') {
    const ready: Socket[] = [];
    const agentConnect = agent.createConnection.bind(agent);
    agent.createConnection = ((options: object, callback: unknown) =>
      ready.pop() ?? agentConnect(options, callback as never)) as typeof agent.createConnection;
    return {
      fetch: Array.from({ length: job.concurrency }, () => (path, h) => get(agent, port, path, h)),
      open: async () => {
        const sockets = await Promise.all(
          Array.from(
            { length: job.concurrency },
            () =>
              new Promise<Socket>((resolve, reject) => {
                const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
                socket.once('error', reject);
              }),
          ),
        );
        ready.push(...sockets);
      },
      close: () => {
        for (const socket of ready) socket.destroy();
        agent.destroy();
      },
    };
  }
  const raw = Array.from({ length: job.concurrency }, () => new RawHttpConnection(port));
  return {
    fetch: raw.map((c) => (path, h) => c.get(path, h)),
    open: async () => {
      await Promise.all(raw.map((c) => c.connect()));
    },
    close: () => {
      for (const c of raw) c.close();
    },
  };
}

/**
 * The load generator's own warm-up, before the clock starts and without touching the server under test: the same code
 * drives 2,000 phones' boot sequences against a stand-in HTTP server in this process. A fresh process computing its
 * first digests and parsing its first responses unoptimised otherwise shows up as the first 250 ms of the storm's p99.
 */
async function warmUp(job: StormJob, plan: Step[][], challenge: Challenge): Promise<void> {
  const body = Buffer.alloc(2400, 'x');
  const standIn = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const { fetch, open, close } = fetchers(job, (standIn.address() as AddressInfo).port, agent);
  await open();
  await drive(plan.slice(0, 2000), fetch, challenge);
  close();
  standIn.closeAllConnections();
  await new Promise<void>((resolve) => standIn.close(() => resolve()));
}

/** The first phone's credential-less request teaches everyone a nonce, on the clock (what a phone's first try is). */
async function learnNonce(job: StormJob): Promise<Challenge> {
  const first = stormPhone(job.first);
  const agent = new Agent({ keepAlive: false });
  const hello = await get(agent, job.port, `/provisioning/${first.mac}.cfg`, {
    'User-Agent': first.vendor === 'polycom' ? POLYCOM_USER_AGENT : yealinkUserAgent(first.mac),
  });
  agent.destroy();
  const first401 = parseChallenge(hello.challenge);
  if (hello.status !== 401 || first401 === null) throw new Error(`expected a digest challenge, got ${hello.status}`);
  if (first401.realm !== DIGEST_REALM) throw new Error(`the server's realm is ${first401.realm}, not ${DIGEST_REALM}`);
  return first401;
}

export async function runStorm(job: StormJob): Promise<StormResult> {
  // Everything before the clock stays off the server under test except opening connections: the digests are computed
  // for the provisioning realm, and the warm-up answers come from a stand-in.
  const plan = Array.from({ length: job.count }, (_, i) =>
    steps(stormPhone(job.first + i), DIGEST_REALM, job.sipPasswords[i] ?? ''),
  );
  await warmUp(job, plan, { realm: DIGEST_REALM, nonce: 'warm-up' });
  const clients = fetchers(job, job.port, new Agent({ keepAlive: true, maxSockets: job.concurrency }));
  // The clients' 200 connections are open before the clock starts: the storm measures responses. Open on both
  // sides: a connect completes in the kernel, and a busy Node server accepts about one pending connection per
  // event-loop turn (measured: 200 accepts spread over 650 ms under load, 19 ms idle), so the server gets a moment
  // while idle to accept them all before the first request.
  await clients.open();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const t = await drive(
    plan,
    clients.fetch,
    job.anchor ? { realm: DIGEST_REALM, nonce: 'anchor' } : await learnNonce(job),
    job.saveDir,
  );
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  clients.close();
  const sorted = t.latencies.slice(0, t.done).sort();
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return {
    requests: t.done,
    ok: t.ok,
    errors: t.errors,
    statuses: t.statuses,
    challenges: t.challenges + (job.anchor ? 0 : 1),
    bytes: t.bytes,
    elapsedMs,
    clientCpuMs: (used.user + used.system) / 1000,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: sorted[sorted.length - 1] ?? 0,
    firstError: t.firstError,
  };
}

// Child-process entry: the parent sends one StormJob and receives one StormResult.
if (process.env.DIALTONE_BOOT_STORM_CLIENT === '1' && process.send) {
  process.once('message', (job: StormJob) => {
    runStorm(job).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (err: Error) => {
        process.stderr.write(`boot-storm client: ${err.stack ?? err.message}\n`);
        process.exit(1);
      },
    );
  });
}
