// End to end on a real FreeSWITCH 1.10.12 running Dialtone's generated tree, with sipp as the phones: a caller
// leaves a message; the phone app lists it; the phone plays it through the generated play code; the app deletes it;
// vm_list and the MWI NOTIFY of a phone subscribed to message-summary agree. Agent status set in the app reaches
// mod_callcenter and a registered Yealink-style phone receives the Yealink-xml status NOTIFY.
// Fails when FreeSWITCH or sipp is missing on CI (process.env.CI), skips otherwise.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { type Orm, openDatabase } from '../../src/db';
import { localAudioFileSource } from '../../src/freeswitch/audio-file-source';
import { agentStatus, EslFreeswitchControl, voicemailList } from '../../src/freeswitch/event-socket';
import { PhoneApps } from '../../src/phone-apps';
import { AgentStatusPush } from '../../src/phone-apps/agent-push';
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
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';
import {
  eventually,
  missingTools,
  PCAP,
  type RunningFreeswitch,
  type Sipp,
  sipp,
  startFreeswitch,
} from './phone-apps-freeswitch';

const DOMAIN = 'demo.dialtone.test';

describe('phone apps on a real FreeSWITCH (e2e)', function () {
  this.timeout(180_000);
  let orm: Orm;
  let services: Services;
  let pbx: Pbx;
  let fs: RunningFreeswitch | undefined;
  let esl: EslFreeswitchControl | undefined;
  let http: Server | undefined;
  let base = '';
  const phones: Sipp[] = [];
  const sip: Record<string, { number: string; password: string }> = {};
  const tokens: Record<string, string> = {};
  let boxId = 0;
  let stopPush: (() => void) | undefined;

  before(async function () {
    const missing = missingTools();
    if (missing) {
      if (process.env.CI) throw new Error(`phone-apps e2e cannot run: ${missing}`);
      this.skip();
    }
    orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
    const catalog = loadProfileCatalog(defaultProfileDir());
    services = createServices(orm, { profileIds: new Set(catalog.all.map((p) => p.id)) });
    pbx = (await seedDemo(services, 'demo')).pbx;
    let snap = await services.snapshot(pbx.id);
    for (const e of snap.extensions) sip[e.number] = { number: e.number, password: e.sipPassword };
    boxId = snap.mailboxes.find((m) => m.number === '101')!.id as number;
    await services.objects.update(SYSTEM, pbx.id, 'extensions', snap.extensions.find((e) => e.number === '102')!.id, {
      agentStatusDisplay: true,
    });
    snap = await services.snapshot(pbx.id);

    fs = await startFreeswitch(services);
    esl = new EslFreeswitchControl({ host: '127.0.0.1', port: fs.eslPort, password: fs.eslPassword, reconnect: false });

    // Phones with app tokens, as provisioning leaves them: a T54W on 101 (mailbox 101), a T54W on agent 102.
    const devices = new DeviceService(orm, catalog);
    const key = randomBytes(32);
    for (const [mac, number] of [
      ['805ec0e2e101', '101'],
      ['805ec0e2e102', '102'],
    ] as const) {
      const ext = snap.extensions.find((e) => e.number === number)!;
      await devices.add(SYSTEM, pbx.id, {
        mac,
        profileId: 'yealink-t54w',
        label: null,
        extensionIds: [ext.id],
        lineKeys: [],
      });
      const d = (await devices.deviceByMac(mac))!;
      tokens[number] = appTokenFor(key, d.appTokenSalt);
      await devices.storeAppTokenHash(d.id, d.appTokenSalt, appTokenHash(tokens[number]!));
    }
    const live = new LiveSnapshots(orm);
    const voicemail = new VoicemailService({ snapshots: live, freeswitch: esl, audio: localAudioFileSource() });
    const agents = new AgentStatusService(esl);
    await esl.onEvent(['MESSAGE_WAITING'], (e) => voicemail.messageWaiting(e.headers['MWI-Message-Account'] ?? ''));
    stopPush = await new AgentStatusPush({ agents, snapshots: live, profiles: catalog }).start();
    http = createServer();
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/phone-apps`;
    const apps = new PhoneApps({
      devices: new PhoneAppDevices(orm, live),
      profiles: catalog,
      services: { voicemail, agents },
      baseUrl: base,
    });
    http.on(
      'request',
      phoneAppsListener(apps, (_q, r) => r.end()),
    );
  });

  after(async () => {
    stopPush?.();
    for (const p of phones) await p.kill();
    await esl?.close();
    if (http) await new Promise<void>((resolve) => http!.close(() => resolve()));
    await fs?.stop();
    await orm?.close(true);
  });

  const app = async (number: string, path: string): Promise<string> => {
    const res = await fetch(`${base}/${tokens[number]}/${path}`, {
      headers: { 'User-Agent': 'Yealink SIP-T54W 96.86.0.100' },
    });
    expect(res.status).to.equal(200);
    return res.text();
  };
  const list = () => voicemailList(esl!, { user: '101', domain: DOMAIN });
  const mwi = (trace: string): string[] => [...trace.matchAll(/^Messages-Waiting: (yes|no)\r?$/gm)].map((m) => m[1]!);

  it('a message left by sipp is listed, played by the play code, deleted from the app; vm_list and MWI agree', async () => {
    const subscriber = await sipp(fs!, 'mwi-subscribe', sip['101']!, { domain: DOMAIN });
    phones.push(subscriber);
    await eventually(() => mwi(subscriber.trace()).length >= 1, 'the first MWI NOTIFY');
    expect(mwi(subscriber.trace()).at(-1)).to.equal('no');

    // 102 calls 101, who is not registered: the generated routing sends the call to mailbox 101.
    const caller = await sipp(fs!, 'leave-message', sip['102']!, {
      domain: DOMAIN,
      dest: '101',
      caller_name: 'Bob',
      pcap: PCAP,
    });
    phones.push(caller);
    expect(await caller.done, `sipp caller\n${caller.trace().slice(-2000)}`).to.equal(0);
    await eventually(async () => (await list()).entries.length === 1, 'the message in vm_list');
    await eventually(() => mwi(subscriber.trace()).at(-1) === 'yes', 'MWI yes');
    const [message] = (await list()).entries;

    // The phone app lists it in "new", with the caller FreeSWITCH recorded.
    await eventually(async () => (await app('101', `voicemail/${boxId}/new`)).includes(message!.uuid), 'the app list');
    const detail = await app('101', `voicemail/${boxId}/msg/${message!.uuid}`);
    expect(detail).to.contain('From: Bob Hygienist');
    expect(detail).to.contain('Dial:102');

    // Play: the app names the message for 101's phone, the phone dials the play code and hears it.
    expect(await app('101', `voicemail/${boxId}/msg/${message!.uuid}/play`)).to.contain(
      '<ExecuteItem URI="Dial:*98*"/>',
    );
    const player = await sipp(fs!, 'dial-and-listen', sip['101']!, { domain: DOMAIN, dest: '*98*' });
    phones.push(player);
    expect(await player.done, `sipp player\n${player.trace().slice(-2000)}`).to.equal(0);
    expect(fs!.log()).to.contain(`playback(${message!.filePath})`);
    await eventually(async () => (await list()).entries[0]!.readEpoch > 0, 'the message marked heard');
    await eventually(async () => (await app('101', `voicemail/${boxId}/saved`)).includes(message!.uuid), 'saved');

    // Delete from the app: vm_list is empty and the subscribed phone hears "no".
    const after = await app('101', `voicemail/${boxId}/msg/${message!.uuid}/delete/yes`);
    expect(after).to.not.contain(message!.uuid);
    expect((await list()).entries).to.deep.equal([]);
    await eventually(() => mwi(subscriber.trace()).at(-1) === 'no', 'MWI no after the delete');
    expect(subscriber.trace()).to.match(
      /Messages-Waiting: no\r?\nMessage-Account: sip:101@demo\.dialtone\.test\r?\nVoice-Message: 0\/0/,
    );
  });

  it('agent status set in the app reaches mod_callcenter, and the Yealink idle status NOTIFY reaches the phone', async () => {
    const phone = await sipp(fs!, 'register-and-wait', sip['102']!, { domain: DOMAIN });
    phones.push(phone);
    await eventually(() => /SIP\/2\.0 200 OK[\s\S]*CSeq: 2 REGISTER/.test(phone.trace()), 'the REGISTER of 102');
    const menu = await app('102', 'agent/set/on-break');
    expect(menu).to.contain('Agent: On Break');
    expect(await agentStatus(esl!, `102@${DOMAIN}`)).to.equal('On Break');
    await eventually(() => /Event: Yealink-xml/.test(phone.trace()), 'the Yealink-xml NOTIFY');
    expect(phone.trace()).to.contain('<Message Size="normal" Align="center" Color="yellow">Agent: On Break</Message>');
    await app('102', 'agent/set/logged-out');
    expect(await agentStatus(esl!, `102@${DOMAIN}`)).to.equal('Logged Out');
  });
});
