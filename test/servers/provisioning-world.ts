// A running provisioning server for tests: in-memory SQLite, one PBX, the real app with the router, a temp DATA_DIR,
// a settable clock, captured logs, and small HTTP clients (fetch-like, digest, raw bytes) bound to 127.0.0.x.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db';
import type { Pbx } from '../../src/domain/model';
import { createApp } from '../../src/portal/app';
import type { PhoneConfigSettings } from '../../src/provisioning/build-phone-config';
import type { MissLimiterOptions } from '../../src/provisioning/miss-limiter';
import { createRenderer, loadProvisioningTemplates } from '../../src/provisioning/render/index';
import { createProvisioningServer, type FastPath, type ProvisioningServer } from '../../src/servers/provisioning';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { DeviceService } from '../../src/services/device-service';
import { randomAlnum } from '../../src/services/secrets';
import { loadProfileCatalog, type ProfileCatalog } from '../../src/vendors/profile-catalog';

export const PROFILE_DIR = fileURLToPath(new URL('../../firmware-profiles', import.meta.url));
export const T0 = Date.parse('2026-03-02T15:00:00Z');

export interface LogEntry {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface World {
  services: Services;
  devices: DeviceService;
  catalog: ProfileCatalog;
  pbx: Pbx;
  ext: Record<string, { id: number; sipPassword: string; mailboxId: number }>;
  server: ProvisioningServer;
  dataDir: string;
  base: string;
  port: number;
  clock: { ms: number };
  logs: LogEntry[];
  /** Keep-alive connections for `send`, as phones use them (and as the fast path answers them). */
  agent: Agent;
  /** Statuses of the requests the fast path answered, in order (empty when it is off). */
  fastAnswered: number[];
  /** The node:http server (its timeouts are the fast path's too). */
  http: Server;
  fastPathControl: FastPath | null;
  close(): Promise<void>;
}

export interface WorldOptions {
  limits?: MissLimiterOptions;
  uploadLimitBytes?: number;
  /** Plain GETs answered on the socket, as the cluster's workers do (default true); false: node:http only. */
  fastPath?: boolean;
}

/** Fake firmware bytes written for every profile's files (what DATA_DIR/firmware would hold). */
export function firmwareBytes(name: string): Buffer {
  return Buffer.from(`FIRMWARE ${name} ${'x'.repeat(4000)}\n`);
}

export async function openWorld(options: WorldOptions = {}): Promise<World> {
  const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
  const catalog = loadProfileCatalog(PROFILE_DIR);
  const services = createServices(orm, { profileIds: new Set(catalog.all.map((p) => p.id)) });
  const devices = new DeviceService(orm, catalog);
  const o = services.objects;

  const view = await services.pbx.create(SYSTEM, { context: 'acme', name: 'Acme', timezone: 'America/New_York' });
  // The tests compare rendered files with the PBX's phone admin password: the whole row, as the operator reads it.
  const pbx: Pbx = { ...view, ...(await services.pbx.revealSecrets(SYSTEM, view.id)) };
  const number = await o.create(SYSTEM, pbx.id, 'numbers', { number: '2125550100', routeTo: { kind: 'hangup' } });
  const loc = await o.create(SYSTEM, pbx.id, 'e911', {
    name: 'HQ',
    street: '1 Main St',
    city: 'New York',
    state: 'NY',
    zip: '10001',
    callbackNumberId: number.id,
    termsAccepted: true,
  });
  const ext: World['ext'] = {};
  for (const [n, name] of [
    ['201', 'Alice Agent'],
    ['202', 'Bob Buddy'],
    ['203', 'Carol'],
  ] as const) {
    const box = await o.create(SYSTEM, pbx.id, 'mailboxes', { number: n, name, password: '4321' });
    const sipPassword = randomAlnum(20);
    const e = await o.create(
      SYSTEM,
      pbx.id,
      'extensions',
      { number: n, name, e911LocationId: loc.id, mailboxId: box.id },
      { sipPassword },
    );
    ext[n] = { id: e.id as number, sipPassword, mailboxId: box.id as number };
  }
  await o.update(SYSTEM, pbx.id, 'extensions', ext['201']!.id, { agentStatusDisplay: true, mwiMailboxes: ['203'] });
  await o.create(SYSTEM, pbx.id, 'queues', {
    name: 'Billing',
    number: '600',
    agentIds: [ext['201']!.id],
    timeout: { kind: 'hangup' },
  });

  const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-prov-'));
  mkdirSync(join(dataDir, 'firmware'));
  for (const p of catalog.all)
    for (const f of p.firmware.files) writeFileSync(join(dataDir, 'firmware', f), firmwareBytes(f));

  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const settings: PhoneConfigSettings = {
    provisioningBaseUrl: `${base}/provisioning`,
    firmwareBaseUrl: `${base}/provisioning/firmware`,
    sip: { registrarHost: null, port: 5060, transport: 'udp', registerExpiresSeconds: 600 },
    ntpServer: 'pool.ntp.org',
    referenceYear: 2026,
    alertInfoHost: '127.0.0.1',
    phoneAppsBaseUrl: `${base}/phone-apps`,
    pushServerHost: null,
    agentIdleRefreshSeconds: 60,
  };
  const clock = { ms: T0 };
  const agent = new Agent({ keepAlive: true });
  const logs: LogEntry[] = [];
  const server = createProvisioningServer({
    store: devices,
    catalog,
    renderer: createRenderer(loadProvisioningTemplates()),
    settings,
    appTokenKey: randomBytes(32),
    dataDir,
    limits: options.limits,
    uploadLimitBytes: options.uploadLimitBytes,
    log: (level, msg, fields = {}) => logs.push({ level, msg, fields }),
    now: () => clock.ms,
  });
  const app = createApp(services, {
    log: (msg, err) => logs.push({ level: 'error', msg, fields: { err } }),
  });
  http.on('request', server.listener(app));
  const fastAnswered: number[] = [];
  const fastPathControl =
    options.fastPath === false ? null : server.fastPath(http, { observe: (status) => fastAnswered.push(status) });

  return {
    services,
    devices,
    catalog,
    pbx,
    ext,
    server,
    dataDir,
    base,
    port,
    clock,
    logs,
    agent,
    fastAnswered,
    http,
    fastPathControl,
    async close() {
      agent.destroy();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await orm.close(true);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Source address on the loopback network (127.0.0.1 by default). */
  from?: string;
}

/** One HTTP request with node:http on a keep-alive connection (no client-side path normalisation). */
export function send(w: World, target: string, opts: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: w.port,
        method: opts.method ?? 'GET',
        path: target,
        headers: { ...(opts.body ? { 'Content-Length': String(opts.body.length) } : {}), ...opts.headers },
        localAddress: opts.from ?? '127.0.0.1',
        agent: w.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Client side of digest (written independently of the server code): answer the server's challenge and retry. */
export async function sendDigest(
  w: World,
  target: string,
  user: string,
  password: string,
  opts: SendOptions = {},
): Promise<Reply> {
  const first = await send(w, target, opts);
  if (first.status !== 401) return first;
  const challenge = String(first.headers['www-authenticate']);
  const realm = /realm="([^"]*)"/.exec(challenge)?.[1] ?? '';
  const nonce = /nonce="([^"]*)"/.exec(challenge)?.[1] ?? '';
  const method = opts.method ?? 'GET';
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${md5(`${method}:${target}`)}`);
  const authorization = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${target}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", algorithm=MD5`;
  return send(w, target, { ...opts, headers: { ...opts.headers, Authorization: authorization } });
}

/** The exact bytes of a response (request sent by hand with Connection: close). */
export function rawExchange(w: World, requestText: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: w.port });
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
    // Not end(): a half-closed client socket makes Node drop the response; the server closes (Connection: close).
    socket.write(requestText);
  });
}
