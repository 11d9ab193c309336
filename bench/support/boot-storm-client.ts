// Load generator of the boot-storm bench, run as a child process (its own core and heap, like phones on the network):
// `concurrency` keep-alive HTTP clients; each takes the next phone and fetches its whole boot sequence in order, with the
// model's User-Agent and HTTP digest on per-phone files. Reports counts, bytes and latency percentiles over IPC.
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
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

export async function runStorm(job: StormJob): Promise<StormResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const first = stormPhone(job.first);
  const hello = await get(agent, job.port, `/provisioning/${first.mac}.cfg`, {
    'User-Agent': first.vendor === 'polycom' ? POLYCOM_USER_AGENT : yealinkUserAgent(first.mac),
  });
  const first401 = parseChallenge(hello.challenge);
  if (hello.status !== 401 || first401 === null) throw new Error(`expected a digest challenge, got ${hello.status}`);
  // Shared by all clients: the server's nonces are stateless and valid for every phone, as on a real network where
  // each phone learns one from its first 401 and keeps using it until told it is stale.
  let challenge: Challenge = first401;
  let challenges = 1;

  const plan = Array.from({ length: job.count }, (_, i) =>
    steps(stormPhone(job.first + i), first401.realm, job.sipPasswords[i] ?? ''),
  );
  const total = plan.reduce((n, p) => n + p.length, 0);
  const latencies = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let done = 0;
  let ok = 0;
  let errors = 0;
  let bytes = 0;
  let next = 0;
  let firstError: string | null = null;
  const fail = (what: string) => {
    errors++;
    firstError ??= what;
  };

  const raw: RawHttpConnection[] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const client = async () => {
    let fetch = (path: string, h: Record<string, string>) => get(agent, job.port, path, h);
    if (job.client === 'raw') {
      const connection = new RawHttpConnection(job.port);
      raw.push(connection);
      fetch = (path, h) => connection.get(path, h);
    }
    while (next < plan.length) {
      const phone = plan[next++] as Step[];
      for (const step of phone) {
        const t0 = performance.now();
        try {
          let r = await fetch(step.path, headers(step, challenge, 0));
          const renewed = r.status === 401 ? parseChallenge(r.challenge) : null;
          if (renewed?.stale) {
            // The nonce aged out during the storm: what a phone does — take the new one and ask again (counted).
            challenges++;
            challenge = renewed;
            r = await fetch(step.path, headers(step, challenge, 1));
          }
          latencies[done++] = performance.now() - t0;
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          bytes += r.body.length;
          if (r.status !== 200) fail(`${step.path}: HTTP ${r.status}`);
          else if (step.expect !== null && !r.body.includes(step.expect)) fail(`${step.path}: SIP password missing`);
          else ok++;
        } catch (err) {
          latencies[done++] = performance.now() - t0;
          fail(`${step.path}: ${(err as Error).message}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  for (const connection of raw) connection.close();
  const sorted = latencies.slice(0, done).sort();
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return {
    requests: done,
    ok,
    errors,
    statuses,
    challenges,
    bytes,
    elapsedMs,
    clientCpuMs: (used.user + used.system) / 1000,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: sorted[sorted.length - 1] ?? 0,
    firstError,
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
