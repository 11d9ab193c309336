// "MWI other boxes" end to end: a Polycom set to watch mailbox 2001 (no extension 2001) subscribes, as its rendered
// config says, to a real FreeSWITCH running the generated tree; a message then lands in that mailbox and the
// subscription must get `Messages-Waiting: yes`. FreeSWITCH accepts and answers a subscription to `2001@domain` once,
// but mod_voicemail announces the box as `vm_2001@domain`, so later messages never reached the phone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { renderPbxFiles } from '../../src/provisioning/publish/render-pbx-files';
import { createRenderer, loadProvisioningTemplates } from '../../src/provisioning/render/index';
import { SYSTEM } from '../../src/services/actor';
import { DeviceService } from '../../src/services/device-service';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';
import { polycomParams } from '../provisioning/render-fixtures';
import {
  haveFreeswitchAndSipp,
  openSignallingWorld,
  receivedMessages,
  type SignallingWorld,
  toneWav,
} from './phone-signalling-world';

const DOMAIN = 'acme.pbx.test';
const MAC = '0004f2a1b2c3';

/** sipp as the phone's MWI-only registration: SUBSCRIBE (digest), answer every NOTIFY, leave a message after the
 *  first one (the state at subscription time), then wait for a NOTIFY saying a message is waiting. */
function subscribeScenario(o: { from: string; target: string; user: string; password: string; leave: string }) {
  const subscribe = (cseq: number, auth: string) => `<![CDATA[
SUBSCRIBE sip:${o.target} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${o.from}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${o.target}>
Call-ID: [call_id]
CSeq: ${cseq} SUBSCRIBE
Contact: <sip:${o.user}@[local_ip]:[local_port]>
${auth}Max-Forwards: 70
Event: message-summary
Accept: application/simple-message-summary
Expires: 600
User-Agent: SIPp-phone
Content-Length: 0

]]>`;
  const ok = `<![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="MWI subscription of a Polycom extra-mailbox registration">
  <send retrans="500">${subscribe(1, '')}</send>
  <recv response="401" auth="true" optional="true" next="auth"/>
  <recv response="407" auth="true"/>
  <label id="auth"/>
  <send retrans="500">${subscribe(2, `[authentication username=${o.user} password=${o.password}]\n`)}</send>
  <recv response="200" optional="true" next="subscribed"/>
  <recv response="202"/>
  <label id="subscribed"/>
  <recv request="NOTIFY" timeout="10000"/>
  <send>${ok}</send>
  <nop><action><exec command="${o.leave}"/></action></nop>
  <label id="wait"/>
  <recv request="NOTIFY" timeout="20000">
    <action><ereg regexp="Messages-Waiting: yes" search_in="msg" check_it="false" assign_to="lit"/></action>
  </recv>
  <send next="done" test="lit">${ok}</send>
  <nop next="wait"/>
  <label id="done"/>
</scenario>
`;
}

describe('e2e: message waiting for another mailbox (real FreeSWITCH + sipp)', function () {
  this.timeout(120000);
  let w: SignallingWorld | null = null;
  let salesId = 0;

  before(async function () {
    if (!haveFreeswitchAndSipp()) {
      if (process.env.CI) throw new Error('FreeSWITCH and sipp must be installed in CI (../shared/tools/freeswitch)');
      this.skip();
    }
    w = await openSignallingWorld();
    const s = w.services;
    const pbx = await s.pbx.create(SYSTEM, { context: 'acme', name: 'Acme', domain: DOMAIN, timezone: 'UTC' });
    const o = s.objects;
    const num = await o.create(SYSTEM, pbx.id, 'numbers', { number: '3125550100', routeTo: { kind: 'hangup' } });
    const loc = await o.create(SYSTEM, pbx.id, 'e911', {
      name: 'HQ',
      street: '1 Main St',
      city: 'Chicago',
      state: 'IL',
      zip: '60601',
      callbackNumberId: num.id,
      termsAccepted: true,
    });
    salesId = (await o.create(SYSTEM, pbx.id, 'mailboxes', { number: '2001', name: 'Sales', password: '97531' }))
      .id as number;
    const box = await o.create(SYSTEM, pbx.id, 'mailboxes', { number: '1001', name: 'Alice', password: '97531' });
    const ext = await o.create(
      SYSTEM,
      pbx.id,
      'extensions',
      { number: '1001', name: 'Alice', e911LocationId: loc.id, mailboxId: box.id, mwiMailboxes: ['2001'] },
      { sipPassword: 'AliceSipPassword1001' },
    );
    const catalog = loadProfileCatalog(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));
    await new DeviceService(s.orm, catalog).add(SYSTEM, pbx.id, {
      mac: MAC,
      profileId: 'polycom-vvx450',
      extensionIds: [ext.id],
      lineKeys: [],
    });
    await w.start();
  });
  after(async () => w?.stop());

  it("the registration the Polycom config gives mailbox 2001 gets 'Messages-Waiting: yes' when a message arrives", async () => {
    const world = w as SignallingWorld;
    const snapshot = await world.services.snapshot((await world.services.pbx.byContext('acme')).id);
    const catalog = loadProfileCatalog(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));
    const { files } = renderPbxFiles({
      snapshot,
      catalog,
      renderer: createRenderer(loadProvisioningTemplates()),
      settings: {
        provisioningBaseUrl: 'http://127.0.0.1/provisioning',
        firmwareBaseUrl: null,
        sip: { registrarHost: '127.0.0.1', port: world.sipPort, transport: 'udp', registerExpiresSeconds: 600 },
        ntpServer: null,
        referenceYear: 2026,
        alertInfoHost: '127.0.0.1',
        phoneAppsBaseUrl: null,
        pushServerHost: null,
        agentIdleRefreshSeconds: 0,
      },
      appToken: () => null,
    });
    const phone = polycomParams(files.get(`${MAC}-user.cfg`) as string);
    // The phone's registration for the extra mailbox: it never REGISTERs, it only subscribes.
    const n = [1, 2, 3, 4].find((i) => phone.get(`reg.${i}.server.1.register`) === '0');
    expect(n, 'a non-registering registration for mailbox 2001').to.not.equal(undefined);
    const target = phone.get(`msg.mwi.${n}.subscribe`) as string;

    // Where a caller's message for mailbox 2001 lands: the box the generated deposit step hands mod_voicemail.
    const dialplan = [...world.tree.values()].join('\n');
    const deposit = new RegExp(
      `<extension name="dt_vm_${salesId}"[\\s\\S]*?application="voicemail" data="default ${DOMAIN.replace(/\./g, '\\.')} ([^"]+)"`,
    ).exec(dialplan);
    expect(deposit, 'the generated deposit step of mailbox 2001').to.not.equal(null);
    const wav = join(world.dir, 'message.wav');
    writeFileSync(wav, toneWav(2));
    const leave = join(world.dir, 'leave-message.sh');
    writeFileSync(leave, `${world.fsCli} -x "vm_inject ${deposit?.[1]}@${DOMAIN} ${wav}" >/dev/null 2>&1\n`);

    const run = await world.sipp(
      'mwi-other-mailbox',
      subscribeScenario({
        from: phone.get(`reg.${n}.address`) as string,
        target,
        user: phone.get(`reg.${n}.auth.userId`) as string,
        password: phone.get(`reg.${n}.auth.password`) as string,
        leave: `sh ${leave}`,
      }),
      [],
      { timeoutMs: 40000 },
    );
    const notifies = receivedMessages(run.messages).filter((m) => m.startsWith('NOTIFY '));
    expect(run.code, `sipp: no NOTIFY with a waiting message for ${target}\n${notifies.join('\n')}`).to.equal(0);
    const lit = notifies.find((m) => m.includes('Messages-Waiting: yes')) as string;
    expect(lit).to.contain(`Message-Account: sip:${target}`);
    expect(lit).to.match(/Voice-Message: 1\/0/);
  });
});
