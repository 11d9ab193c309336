// A running phone-apps server for tests: the demo PBX on SQLite, one device per firmware profile (its token stored
// as provisioning would), the fake event socket answering with the captured FreeSWITCH replies, real HTTP on an
// ephemeral port through the same node:http listener main.ts uses.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Orm, openDatabase } from '../../src/db';
import { localAudioFileSource } from '../../src/freeswitch/audio-file-source';
import { EslFreeswitchControl } from '../../src/freeswitch/event-socket';
import type { Logger } from '../../src/log';
import { PhoneApps, type PhoneAppsDeps } from '../../src/phone-apps';
import { appTokenFor, appTokenHash } from '../../src/provisioning/app-token';
import { defaultProfileDir } from '../../src/provisioning/profile-dir';
import { phoneAppsListener } from '../../src/servers/phone-apps';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { AgentStatusService } from '../../src/services/agent-status';
import { seedDemo } from '../../src/services/demo';
import { DeviceService } from '../../src/services/device-service';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import type { PbxView as Pbx } from '../../src/services/pbx-service';
import { PhoneAppDevices } from '../../src/services/phone-app-devices';
import { VoicemailService } from '../../src/services/voicemail';
import type { FirmwareProfile } from '../../src/vendors/firmware-profile';
import { loadProfileCatalog, type ProfileCatalog } from '../../src/vendors/profile-catalog';
import { FakeEslServer } from '../fakes/fake-esl-server';

export interface Phone {
  readonly profile: FirmwareProfile;
  readonly userAgent: string;
  readonly deviceId: number;
  readonly mac: string;
  token: string;
}

export interface AppsWorld {
  orm: Orm;
  services: Services;
  devices: DeviceService;
  catalog: ProfileCatalog;
  pbx: Pbx;
  ext: Record<string, number>;
  box: Record<string, number>;
  esl: FakeEslServer;
  fs: EslFreeswitchControl;
  live: LiveSnapshots;
  voicemail: VoicemailService;
  apps: PhoneApps;
  base: string;
  logs: Array<{ level: string; msg: string; fields?: Record<string, unknown> }>;
  /** One phone per firmware profile with line 1 = extension 101 (mailbox 101 of the captures). */
  phones: Phone[];
  /** Phones whose line 1 is queue agent 102 (a T54W and a VVX 450). */
  agents: Phone[];
  get(phone: Pick<Phone, 'token' | 'userAgent'>, path: string, userAgent?: string): Promise<Reply>;
  raw(path: string, headers?: Record<string, string>): Promise<Reply>;
  /** What the provisioning server does when the phone next fetches its config: a token for the current salt. */
  provision(phone: Phone): Promise<void>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const KEY = randomBytes(32);

/** Each model's User-Agents as recorded in test/fixtures/user-agents.json (real ones first, per its provenance). */
const USER_AGENTS: Array<{ userAgent: string; expected: { profileId: string | null } }> = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/user-agents.json', import.meta.url)), 'utf8'),
).recognised;

function userAgentOf(profile: FirmwareProfile): string {
  const found = USER_AGENTS.find((u) => u.expected.profileId === profile.id);
  if (!found) throw new Error(`test/fixtures/user-agents.json has no User-Agent of ${profile.id}`);
  return found.userAgent;
}

export async function openAppsWorld(options: Partial<Pick<PhoneAppsDeps, 'perToken' | 'perAddressMisses'>> = {}) {
  const catalog = loadProfileCatalog(defaultProfileDir());
  const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
  const services = createServices(orm, { profileIds: new Set(catalog.all.map((p) => p.id)) });
  const pbx = (await seedDemo(services, 'demo')).pbx;
  const snap = await services.snapshot(pbx.id);
  const ext = Object.fromEntries(snap.extensions.map((e) => [e.number, e.id as number]));
  const box = Object.fromEntries(snap.mailboxes.map((m) => [m.number, m.id as number]));
  await services.objects.update(SYSTEM, pbx.id, 'extensions', ext['102']!, { agentStatusDisplay: true });
  const devices = new DeviceService(orm, catalog);

  const add = async (profile: FirmwareProfile, line: string, n: number): Promise<Phone> => {
    const oui = profile.vendor === 'polycom' ? '0004f2' : '805ec0';
    const mac = `${oui}${String(n).padStart(6, '0')}`;
    const extensionIds = [ext[line]!];
    await devices.add(SYSTEM, pbx.id, {
      mac,
      profileId: profile.id,
      label: null,
      extensionIds,
      lineKeys: [
        { type: 'blf', extensionId: ext['102']!, label: "Bob & Co's desk" },
        { type: 'blf', extensionId: ext['103']! },
        { type: 'park', slot: 701 },
      ],
    });
    const device = (await devices.deviceByMac(mac))!;
    // What the provisioning server does on its first render: compute the token, keep only its hash.
    const token = appTokenFor(KEY, device.appTokenSalt);
    await devices.storeAppTokenHash(device.id, device.appTokenSalt, appTokenHash(token));
    return { profile, userAgent: userAgentOf(profile), deviceId: device.id, mac, token };
  };
  const phones: Phone[] = [];
  let n = 1;
  for (const profile of catalog.all) phones.push(await add(profile, '101', n++));
  const agents = [
    await add(catalog.byId('yealink-t54w')!, '102', n++),
    await add(catalog.byId('polycom-vvx450')!, '102', n++),
  ];

  const esl = await FakeEslServer.start();
  const fs = new EslFreeswitchControl({ host: esl.host, port: esl.port, password: 'ClueCon', reconnect: false });
  const live = new LiveSnapshots(orm);
  const voicemail = new VoicemailService({ snapshots: live, freeswitch: fs, audio: localAudioFileSource() });
  const logs: AppsWorld['logs'] = [];
  const log: Logger = (level, msg, fields) => logs.push({ level, msg, fields });
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}/phone-apps`;
  const apps = new PhoneApps({
    devices: new PhoneAppDevices(orm, live),
    profiles: catalog,
    services: { voicemail, agents: new AgentStatusService(fs, log) },
    baseUrl: base,
    log,
    ...options,
  });
  http.on(
    'request',
    phoneAppsListener(apps, (_req, res) => {
      res.writeHead(404);
      res.end('portal');
    }),
  );

  const raw = async (path: string, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  };
  const world: AppsWorld = {
    orm,
    services,
    devices,
    catalog,
    pbx,
    ext,
    box,
    esl,
    fs,
    live,
    voicemail,
    apps,
    base,
    logs,
    phones,
    agents,
    raw,
    async provision(phone) {
      const device = (await devices.deviceByMac(phone.mac))!;
      phone.token = appTokenFor(KEY, device.appTokenSalt);
      await devices.storeAppTokenHash(device.id, device.appTokenSalt, appTokenHash(phone.token));
    },
    get: (phone, path, userAgent) =>
      raw(`/phone-apps/${phone.token}/${path.replace(/^\//, '')}`, { 'User-Agent': userAgent ?? phone.userAgent }),
    async close() {
      await fs.close();
      await esl.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await orm.close(true);
    },
  };
  return world;
}
