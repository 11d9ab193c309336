// Intercom end to end: extension 1001 dials *1 + 1002 on a real FreeSWITCH running the generated tree; the INVITE
// phone 1002 receives must carry the Alert-Info fields the Polycom config maps to its auto-answer ring class — both
// the URI form with info=alert-autoanswer and the bare "Ring Answer" token working Polycom deployments match.
// UPDATE_CAPTURE=1 writes the received INVITE to test/fixtures/freeswitch/sip/sip-invite-intercom-dialtone.txt.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { intercomAlertInfoFields, intercomCallInfo } from '../../src/domain/intercom-headers';
import { SYSTEM } from '../../src/services/actor';
import {
  freePort,
  haveFreeswitchAndSipp,
  openSignallingWorld,
  receivedMessages,
  type SignallingWorld,
} from './phone-signalling-world';

const DOMAIN = 'acme.pbx.test';
const CAPTURE = fileURLToPath(new URL('../fixtures/freeswitch/sip/sip-invite-intercom-dialtone.txt', import.meta.url));

const register = (user: string, password: string) => {
  const req = (cseq: number, auth: string) => `<![CDATA[
REGISTER sip:${DOMAIN} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${user}@${DOMAIN}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${user}@${DOMAIN}>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:${user}@[local_ip]:[local_port]>
${auth}Max-Forwards: 70
Expires: 600
User-Agent: SIPp-phone
Content-Length: 0

]]>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="phone registers">
  <send retrans="500">${req(1, '')}</send>
  <recv response="401" auth="true"/>
  <send retrans="500">${req(2, `[authentication username=${user} password=${password}]\n`)}</send>
  <recv response="200"/>
</scenario>`;
};

/** The called phone: answers FreeSWITCH's NOTIFYs (message waiting after REGISTER), refuses the intercom call busy
 *  once it has its INVITE, then stops. Every NOTIFY is a call of its own to sipp, hence the explicit stop. */
const busyPhone = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="called phone">
  <recv request="INVITE" optional="true" next="invite"/>
  <recv request="NOTIFY"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <nop next="end"/>
  <label id="invite"/>
  <send><![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>
  <recv request="ACK"/>
  <nop><action><exec int_cmd="stop_gracefully"/></action></nop>
  <label id="end"/>
</scenario>`;

function caller(user: string, password: string, dial: string) {
  const invite = (cseq: number, auth: string) => `<![CDATA[
INVITE sip:${dial}@${DOMAIN} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${user}@${DOMAIN}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${dial}@${DOMAIN}>
Call-ID: [call_id]
CSeq: ${cseq} INVITE
Contact: <sip:${user}@[local_ip]:[local_port]>
${auth}Max-Forwards: 70
User-Agent: SIPp-phone
Content-Type: application/sdp
Content-Length: [len]

v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]>`;
  const ack = (cseq: number) => `<![CDATA[
ACK sip:${dial}@${DOMAIN} SIP/2.0
[last_Via:]
From: <sip:${user}@${DOMAIN}>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Max-Forwards: 70
Content-Length: 0

]]>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="intercom caller">
  <send retrans="500">${invite(1, '')}</send>
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  <send>${ack(1)}</send>
  <send retrans="500">${invite(2, `[authentication username=${user} password=${password}]\n`)}</send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="486" optional="true" next="ack"/>
  <recv response="480" optional="true" next="ack"/>
  <recv response="603"/>
  <label id="ack"/>
  <send>${ack(2)}</send>
</scenario>`;
}

describe('e2e: intercom Alert-Info a called phone receives (real FreeSWITCH + sipp)', function () {
  this.timeout(120000);
  let w: SignallingWorld | null = null;

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
    for (const n of ['1001', '1002'])
      await o.create(
        SYSTEM,
        pbx.id,
        'extensions',
        { number: n, name: `Person ${n}`, e911LocationId: loc.id },
        { sipPassword: `SipPassword${n}x` },
      );
    await w.start();
  });
  after(async () => w?.stop());

  it('*1 + 1002 reaches phone 1002 with Call-Info answer-after=0 and both Alert-Info fields, one line each', async () => {
    const world = w as SignallingWorld;
    const port = await freePort();
    const reg = await world.sipp('register-1002', register('1002', 'SipPassword1002x'), ['-p', String(port)]);
    expect(reg.code, reg.stderr).to.equal(0);
    const phone = world.sipp('phone-1002', busyPhone, ['-p', String(port), '-m', '100'], { timeoutMs: 30000 });
    const call = await world.sipp('caller-1001', caller('1001', 'SipPassword1001x', '*11002'), [], {
      timeoutMs: 20000,
    });
    const received = await phone;
    const invite = receivedMessages(received.messages).find((m) => m.startsWith('INVITE '));
    expect(invite, `phone 1002 got no INVITE (caller exit ${call.code}): ${call.stderr}`).to.be.a('string');
    if (process.env.UPDATE_CAPTURE === '1') writeFileSync(CAPTURE, invite as string, 'latin1');
    const lines = (invite as string).split('\r\n');
    expect(lines.filter((l) => /^Alert-Info:/i.test(l))).to.deep.equal(
      intercomAlertInfoFields('127.0.0.1').map((f) => `Alert-Info: ${f}`),
    );
    // The bare token Polycom deployments map (voIpProt.SIP.alertInfo.N.value = "Ring Answer"): FreeSWITCH drops it
    // unbracketed, so it arrives as a field of its own in angle brackets.
    expect(lines).to.include('Alert-Info: <Ring Answer>');
    expect(lines.filter((l) => /^Call-Info:/i.test(l))).to.deep.equal([`Call-Info: ${intercomCallInfo(DOMAIN)}`]);
    expect(call.code, call.stderr).to.equal(0);
  });
});
