// Table tests: each feature of the rich PhoneConfig asserted by parameter name in the Polycom and Yealink per-phone files.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { PhoneConfig } from '../../src/provisioning/phone-config';
import {
  INTERCOM_ALERT_INFO,
  minimalConfig,
  polycomParams,
  renderer,
  richConfig,
  t54w,
  vvx450,
  yealinkParams,
} from './render-fixtures';

const POLY_MAC = '0004f2a1b2c3';
const YEA_MAC = '805ec0123456';
const APPS = 'https://apps.dialtone.test/a/Tok3nVoicemail0123456789';

function polycom(config: PhoneConfig = richConfig(vvx450, POLY_MAC)) {
  return polycomParams(renderer.renderFile({ file: 'polycom-phone', config, profile: vvx450 }).body);
}
function yealink(config: PhoneConfig = richConfig(t54w, YEA_MAC)) {
  return yealinkParams(renderer.renderFile({ file: 'yealink-phone', config, profile: t54w }).body);
}

type Row = [feature: string, name: string, value: string];

const POLYCOM_ROWS: Row[] = [
  ['line 1 AOR', 'reg.1.address', '1001@acme.pbx.test'],
  ['line 1 auth', 'reg.1.auth.userId', '1001'],
  ['line 1 password', 'reg.1.auth.password', 'Xk4r9Qz2Lm7w'],
  ['line 1 caller name', 'reg.1.displayName', 'Alice Example'],
  ['line 1 key label', 'reg.1.label', '1001 Alice'],
  ['line 1 registrar', 'reg.1.server.1.address', 'sip.dialtone.test'],
  ['line 1 port', 'reg.1.server.1.port', '5060'],
  ['line 1 transport', 'reg.1.server.1.transport', 'UDPOnly'],
  ['line 1 expiry', 'reg.1.server.1.expires', '600'],
  ['line 2 AOR', 'reg.2.address', '1050@acme.pbx.test'],
  ['line 2 password', 'reg.2.auth.password', 'Pq8s3Vn6Rt1y'],
  ['MWI subscribe line 1', 'msg.mwi.1.subscribe', '1001@acme.pbx.test'],
  ['MWI subscribe line 2', 'msg.mwi.2.subscribe', '1050@acme.pbx.test'],
  ['voicemail key dials *98', 'msg.mwi.1.callBack', '*98'],
  ['voicemail key mode', 'msg.mwi.1.callBackMode', 'contact'],
  ['extra mailbox: registration that never registers', 'reg.3.server.1.register', '0'],
  ['extra mailbox: subscribes to the MWI account FreeSWITCH notifies', 'msg.mwi.3.subscribe', 'vm_2001@acme.pbx.test'],
  ['extra mailbox: authenticates as line 1', 'reg.3.auth.userId', '1001'],
  ['extra mailbox: label', 'reg.3.label', 'Sales VM'],
  ['BLF 1 watch', 'attendant.resourceList.1.address', '1003@acme.pbx.test'],
  ['BLF 1 label', 'attendant.resourceList.1.label', 'Bob'],
  ['BLF 1 type', 'attendant.resourceList.1.type', 'normal'],
  ['BLF 3 watch', 'attendant.resourceList.3.address', '1005@acme.pbx.test'],
  ['park slot watch', 'attendant.resourceList.4.address', 'park+5901@acme.pbx.test'],
  ['park slot dials the slot', 'attendant.resourceList.4.callAddress', '5901@acme.pbx.test'],
  ['park slot type', 'attendant.resourceList.4.type', 'automata'],
  ['buddy list (presence)', 'feature.presence.enabled', '1'],
  ['directed pickup code', 'call.directedCallPickupString', '*8'],
  ['directed pickup method', 'call.directedCallPickupMethod', 'legacy'],
  ['intercom: exact Alert-Info matched', 'voIpProt.SIP.alertInfo.1.value', INTERCOM_ALERT_INFO[0] as string],
  ['intercom: ring class', 'voIpProt.SIP.alertInfo.1.class', 'ringAutoAnswer'],
  ['intercom: URI form matched', 'voIpProt.SIP.alertInfo.2.value', 'http://127.0.0.1'],
  ['intercom: info parameter matched', 'voIpProt.SIP.alertInfo.3.value', 'alert-autoanswer'],
  ['intercom: second field matched whole', 'voIpProt.SIP.alertInfo.4.value', '<Ring Answer>'],
  ['intercom: bare token working deployments match', 'voIpProt.SIP.alertInfo.5.value', 'Ring Answer'],
  ['intercom: bare token answers too', 'voIpProt.SIP.alertInfo.5.class', 'ringAutoAnswer'],
  ['intercom: class answers after a ring', 'se.rt.ringAutoAnswer.type', 'ring-answer'],
  ['intercom key prompts then dials *1+ext', 'softkey.4.action', '^*1$P1N6$$Tinvite$'],
  ['pickup key prompts then dials *8+ext', 'softkey.5.action', '^*8$P2N6$$Tinvite$'],
  ['pickup key label', 'softkey.5.label', 'Pickup'],
  ['agent key opens agent app', 'softkey.3.action', `${APPS}/agent`],
  ['agent key label', 'softkey.3.label', 'Agent'],
  ['agent status on idle screen', 'mb.idleDisplay.home', `${APPS}/agent/idle`],
  ['idle screen refresh', 'mb.idleDisplay.refresh', '60'],
  ['visual voicemail key', 'softkey.1.action', `${APPS}/voicemail`],
  ['directory key', 'softkey.2.action', `${APPS}/directory`],
  ['time zone: standard offset (s)', 'tcpIpApp.sntp.gmtOffset', '-18000'],
  ['DST on', 'tcpIpApp.sntp.daylightSavings.enable', '1'],
  ['DST by weekday', 'tcpIpApp.sntp.daylightSavings.fixedDayEnable', '0'],
  ['DST starts in March', 'tcpIpApp.sntp.daylightSavings.start.month', '3'],
  ['DST starts 2nd week', 'tcpIpApp.sntp.daylightSavings.start.date', '8'],
  ['DST starts Sunday', 'tcpIpApp.sntp.daylightSavings.start.dayOfWeek', '1'],
  ['DST starts 2 am', 'tcpIpApp.sntp.daylightSavings.start.time', '2'],
  ['DST stops in November', 'tcpIpApp.sntp.daylightSavings.stop.month', '11'],
  ['DST stops 1st week', 'tcpIpApp.sntp.daylightSavings.stop.date', '1'],
  ['NTP server', 'tcpIpApp.sntp.address', 'pool.ntp.org'],
  ['admin password', 'device.auth.localAdminPassword', '7391'],
  ['call waiting', 'call.callWaiting.enable', '1'],
  ['missed call list', 'call.missedCallTracking.1.enabled', '1'],
  ['provisioning protocol', 'device.prov.serverType', 'HTTPS'],
  ['provisioning server', 'device.prov.serverName', 'prov.dialtone.test/p'],
];

const YEALINK_ROWS: Row[] = [
  ['line 1 enabled', 'account.1.enable', '1'],
  ['line 1 user', 'account.1.user_name', '1001'],
  ['line 1 auth', 'account.1.auth_name', '1001'],
  ['line 1 password', 'account.1.password', 'Xk4r9Qz2Lm7w'],
  ['line 1 caller name', 'account.1.display_name', 'Alice Example'],
  ['line 1 label', 'account.1.label', '1001 Alice'],
  ['line 1 SIP domain', 'account.1.sip_server.1.address', 'acme.pbx.test'],
  ['line 1 registrar as outbound proxy', 'account.1.outbound_proxy.1.address', 'sip.dialtone.test'],
  ['line 1 transport udp', 'account.1.sip_server.1.transport_type', '0'],
  ['line 2 user', 'account.2.user_name', '1050'],
  ['line 2 password', 'account.2.password', 'Pq8s3Vn6Rt1y'],
  ['unused account 3 disabled', 'account.3.enable', '0'],
  ['MWI subscribe line 1', 'account.1.subscribe_mwi', '1'],
  ['voicemail number line 1', 'voice_mail.number.1', '*98'],
  ['voicemail number line 2', 'voice_mail.number.2', '*98'],
  ['line key 1 = line 1', 'linekey.1.type', '15'],
  ['line key 2 = line 2', 'linekey.2.line', '2'],
  ['BLF 1 type', 'linekey.3.type', '16'],
  ['BLF 1 watch', 'linekey.3.value', '1003'],
  ['BLF 1 label', 'linekey.3.label', 'Bob'],
  ['BLF 3 watch', 'linekey.5.value', '1005'],
  ['park key type', 'linekey.6.type', '10'],
  ['park key slot', 'linekey.6.value', '5901'],
  ['speed dial after the busy lamps', 'linekey.7.type', '13'],
  ['speed dial number', 'linekey.7.value', '5551234'],
  ['speed dial label', 'linekey.7.label', 'Front desk'],
  ['agent key: XML browser', 'linekey.8.type', '27'],
  ['agent key URL', 'linekey.8.value', `${APPS}/agent`],
  ['agent key label', 'linekey.8.label', 'Agent'],
  ['visual voicemail key', 'linekey.9.value', `${APPS}/voicemail`],
  ['directory key', 'linekey.10.value', `${APPS}/directory`],
  ['unused key cleared', 'linekey.11.type', '0'],
  ['agent status pushed to idle screen', 'push_xml.sip_notify', '1'],
  ['push server allowed', 'push_xml.server', 'apps.dialtone.test'],
  ['directed pickup code (phone)', 'features.pickup.direct_pickup_code', '*8'],
  ['directed pickup code (line)', 'account.1.direct_pickup_code', '*8'],
  ['intercom allowed (auto-answer answer-after=0 / info=alert-autoanswer)', 'features.intercom.allow', '1'],
  ['intercom code', 'features.intercom.feature_access_code', '*1'],
  ['ordinary calls never auto-answered', 'account.1.auto_answer', '0'],
  ['Alert-Info URL not fetched as ring tone', 'account.1.alert_info_url_enable', '0'],
  ['time zone offset', 'local_time.time_zone', '-5'],
  ['time zone name', 'local_time.time_zone_name', 'United States-Eastern Time'],
  ['DST on', 'local_time.summer_time', '1'],
  ['DST by week', 'local_time.dst_time_type', '1'],
  ['DST start: 2nd Sunday of March 2 am', 'local_time.start_time', '3/2/7/2'],
  ['DST end: 1st Sunday of November 2 am', 'local_time.end_time', '11/1/7/2'],
  ['DST offset minutes', 'local_time.offset_time', '60'],
  ['NTP server', 'local_time.ntp_server1', 'pool.ntp.org'],
  ['admin password', 'static.security.user_password admin', 'admin:7391'],
  ['call waiting', 'call_waiting.enable', '1'],
  ['missed call list', 'account.1.missed_calllog', '1'],
  ['provisioning URL', 'static.auto_provision.server.url', 'https://prov.dialtone.test/p/'],
  ['firmware URL', 'static.firmware.url', `https://prov.dialtone.test/firmware/${t54w.firmware.files[0]}`],
];

describe('provisioning render: Polycom VVX 450 per-phone parameters', () => {
  const params = polycom();
  for (const [feature, name, value] of POLYCOM_ROWS) {
    it(`${feature}: ${name} = ${value}`, () => {
      expect(params.get(name), name).to.equal(value);
    });
  }

  it('the master file points at the firmware and at the per-phone file before the common file', () => {
    const body = renderer.renderFile({
      file: 'polycom-master',
      config: richConfig(vvx450, POLY_MAC),
      profile: vvx450,
    }).body;
    expect(body).to.contain('APP_FILE_PATH="https://prov.dialtone.test/firmware/sip.ld"');
    expect(body).to.contain(`CONFIG_FILES="${POLY_MAC}-user.cfg, common-polycom-vvx450.cfg"`);
  });

  it('the directory lists every busy lamp (buddy-watching extensions only), then the speed dials', () => {
    const body = renderer.renderFile({
      file: 'polycom-directory',
      config: richConfig(vvx450, POLY_MAC),
      profile: vvx450,
    }).body;
    expect(body.match(/<item>/g)).to.have.length(5);
    expect(body).to.contain('<fn>Front desk</fn>\n      <ct>5551234</ct>\n      <sd>5</sd>\n      <bw>0</bw>');
    expect(body).to.contain('<fn>Bob</fn>\n      <ct>1003</ct>\n      <sd>1</sd>\n      <bw>1</bw>');
    expect(body).to.contain('<fn>Park 1</fn>\n      <ct>5901</ct>\n      <sd>4</sd>\n      <bw>0</bw>');
  });

  it('provisioning credentials appear only when the builder hands them over', () => {
    expect(params.has('device.prov.user')).to.equal(false);
    const withCreds = richConfig(vvx450, POLY_MAC);
    withCreds.provisioning.credentials = { user: 'dev-0004f2a1b2c3', password: 'Zr5Kq9Wm2Xp4' };
    const p = polycom(withCreds);
    expect(p.get('device.prov.user')).to.equal('dev-0004f2a1b2c3');
    expect(p.get('device.prov.password')).to.equal('Zr5Kq9Wm2Xp4');
    expect(p.get('device.prov.password.set')).to.equal('1');
  });
});

describe('provisioning render: Yealink T54W per-phone parameters', () => {
  const params = yealink();
  for (const [feature, name, value] of YEALINK_ROWS) {
    it(`${feature}: ${name} = ${value}`, () => {
      expect(params.get(name), name).to.equal(value);
    });
  }

  it('says which configured features the phone cannot show', () => {
    const { omitted } = renderer.renderFile({
      file: 'yealink-phone',
      config: richConfig(t54w, YEA_MAC),
      profile: t54w,
    });
    expect(omitted).to.deep.equal([
      'mailbox 2001: the T54W cannot show message waiting for another mailbox (it has no account that subscribes without registering)',
    ]);
    expect([...yealink().values()].join('\n')).to.not.contain('2001');
  });

  it('registers straight to the domain, without outbound proxy, when the registrar is the domain', () => {
    const p = yealink(minimalConfig(t54w, YEA_MAC));
    expect(p.get('account.1.sip_server.1.address')).to.equal('small.pbx.test');
    expect(p.get('account.1.outbound_proxy_enable')).to.equal('0');
    expect(p.has('account.1.outbound_proxy.1.address')).to.equal(false);
  });

  it('provisioning credentials appear only when the builder hands them over', () => {
    expect(params.has('static.auto_provision.server.username')).to.equal(false);
    const withCreds = richConfig(t54w, YEA_MAC);
    withCreds.provisioning.credentials = { user: 'dev-805ec0123456', password: 'Zr5Kq9Wm2Xp4' };
    const p = yealink(withCreds);
    expect(p.get('static.auto_provision.server.username')).to.equal('dev-805ec0123456');
    expect(p.get('static.auto_provision.server.password')).to.equal('Zr5Kq9Wm2Xp4');
  });
});

describe('provisioning render: intercom answers what FreeSWITCH really sends', () => {
  it('every Alert-Info field of the captured intercom INVITE, whole and its part in <…>, maps to auto-answer', () => {
    const invite = readFileSync(
      fileURLToPath(new URL('../fixtures/freeswitch/sip/sip-invite-intercom-dialtone.txt', import.meta.url)),
      'latin1',
    );
    const fields = [...invite.matchAll(/^Alert-Info: (.*)\r$/gm)].map((m) => m[1] as string);
    expect(fields).to.deep.equal(INTERCOM_ALERT_INFO);
    const params = polycom();
    const answered = new Set(
      [...params]
        .filter(([k, v]) => /^voIpProt\.SIP\.alertInfo\.\d+\.class$/.test(k) && v === 'ringAutoAnswer')
        .map(([k]) => params.get(k.replace(/class$/, 'value'))),
    );
    for (const field of fields) {
      expect(answered, field).to.include(field);
      expect(answered, field).to.include(/^<([^>]+)>/.exec(field)?.[1]);
    }
    expect(answered, 'the bare token Polycom deployments map').to.include('Ring Answer');
  });
});

describe('provisioning render: intercom off means no auto-answer', () => {
  const off = (config: PhoneConfig): PhoneConfig => ({ ...config, intercom: { ...config.intercom, enabled: false } });

  it('Polycom maps no Alert-Info to an answering ring class and has no intercom key', () => {
    const params = polycom(off(richConfig(vvx450, POLY_MAC)));
    const names = [...params.keys()];
    expect(names.filter((n) => n.startsWith('voIpProt.SIP.alertInfo.'))).to.deep.equal([]);
    expect(names.filter((n) => n.startsWith('se.rt.'))).to.deep.equal([]);
    expect([...params.values()]).not.to.include('^*1$P1N6$$Tinvite$');
    expect([...params.values()].some((v) => /answer/i.test(v))).to.equal(false);
  });

  it('Yealink refuses intercom auto-answer and never auto-answers a line', () => {
    const params = yealink(off(richConfig(t54w, YEA_MAC)));
    expect(params.get('features.intercom.allow')).to.equal('0');
    expect(params.get('account.1.auto_answer')).to.equal('0');
    expect(params.get('account.2.auto_answer')).to.equal('0');
    expect(params.get('features.intercom.feature_access_code')).to.equal('%NULL%');
  });

  it('a model without intercom auto-answer gets none and says so', () => {
    const noIntercom = { ...vvx450, features: { ...vvx450.features, intercomAutoAnswer: false } };
    const result = renderer.renderFile({
      file: 'polycom-phone',
      config: richConfig(noIntercom, POLY_MAC),
      profile: noIntercom,
    });
    expect(result.body).not.to.contain('voIpProt.SIP.alertInfo');
    expect(result.omitted).to.include('intercom auto-answer: not supported by VVX 450');
  });
});

describe('provisioning render: model limits', () => {
  it('a model without message waiting for other mailboxes subscribes to none and says so', () => {
    const noExtra = { ...vvx450, features: { ...vvx450.features, extraMailboxMwi: false } };
    const result = renderer.renderFile({
      file: 'polycom-phone',
      config: richConfig(noExtra, POLY_MAC),
      profile: noExtra,
    });
    expect(result.body).not.to.contain('vm_2001');
    expect(result.omitted).to.include(
      'mailbox 2001: the VVX 450 cannot show message waiting for another mailbox (it has no account that subscribes without registering)',
    );
  });

  it('Polycom puts extra mailboxes only on free registrations and lists the rest as omitted', () => {
    const small = { ...vvx450, lines: 2 };
    const result = renderer.renderFile({ file: 'polycom-phone', config: richConfig(small, POLY_MAC), profile: small });
    expect(polycomParams(result.body).has('reg.3.address')).to.equal(false);
    expect(result.omitted).to.deep.equal(['mailbox 2001: no free registration for message waiting']);
  });

  it('Yealink drops keys beyond the line keys and lists them as omitted', () => {
    const small = { ...t54w, lineKeys: 4 };
    const result = renderer.renderFile({ file: 'yealink-phone', config: richConfig(small, YEA_MAC), profile: small });
    const params = yealinkParams(result.body);
    expect(params.get('linekey.4.value')).to.equal('1004');
    expect(params.has('linekey.5.type')).to.equal(false);
    expect(result.omitted).to.include("key 'Dave': T54W has only 4 line keys");
    expect(result.omitted).to.include("key 'Directory': T54W has only 4 line keys");
  });

  it('a model without idle browser / pushed status gets no idle-screen agent status and says so', () => {
    const plain = { ...vvx450, features: { ...vvx450.features, idleBrowser: false } };
    const result = renderer.renderFile({ file: 'polycom-phone', config: richConfig(plain, POLY_MAC), profile: plain });
    expect(polycomParams(result.body).has('mb.idleDisplay.home')).to.equal(false);
    expect(result.omitted).to.include('agent status on idle screen: VVX 450 has no idle browser');
  });
});
