// Every firmware profile boots over real HTTP as the phone would: the files it asks for, in order, with the parameters
// that matter (lines, MWI, BLF, intercom, agent key, time zone, admin password), table-driven from firmware-profiles/.
import { expect } from 'chai';
import { appTokenHash } from '../../src/provisioning/app-token';
import type { FirmwareProfile } from '../../src/vendors/firmware-profile';
import { parseUserAgent } from '../../src/vendors/identify-device';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';
import { polycomParams, xmlRoot, yealinkParams } from '../provisioning/render-fixtures';
import { firmwareBytes, openWorld, PROFILE_DIR, type Reply, send, sendDigest, type World } from './provisioning-world';

const ALERT_INFO = '<http://127.0.0.1>;info=alert-autoanswer;delay=0';

interface Boot {
  profile: FirmwareProfile;
  userAgent: string;
  mac: string;
}

/** One boot per profile and User-Agent example; the MAC is the User-Agent's when it carries one. */
function boots(): Boot[] {
  const out: Boot[] = [];
  loadProfileCatalog(PROFILE_DIR).all.forEach((profile, i) => {
    profile.userAgentExamples.forEach((userAgent, j) => {
      const oui = profile.vendor === 'polycom' ? '0004f2' : '805ec0';
      const mac = parseUserAgent(userAgent)?.mac ?? `${oui}f${String(i).padStart(3, '0')}${j}0`;
      out.push({ profile, userAgent, mac });
    });
  });
  return out;
}

function ok(r: Reply, what: string): string {
  expect(r.status, `${what}: ${r.body.toString().slice(0, 200)}`).to.equal(200);
  return r.body.toString('utf8');
}

describe('HTTP provisioning: boot sequence of every firmware profile', function () {
  this.timeout(60_000);
  let w: World;
  const creds = new Map<string, { username: string; password: string }>();

  before(async () => {
    w = await openWorld();
    for (const b of boots()) {
      const added = await w.devices.add({ kind: 'system' }, w.pbx.id, {
        mac: b.mac,
        profileId: b.profile.id,
        label: `${b.profile.model} desk`,
        extensionIds: [w.ext['201']!.id],
        lineKeys: [
          { type: 'blf', extensionId: w.ext['202']!.id },
          { type: 'park', slot: 701 },
        ],
      });
      creds.set(b.mac, added);
    }
  });
  after(async () => w?.close());

  const get = (b: Boot, file: string) => {
    const c = creds.get(b.mac)!;
    return sendDigest(w, `/provisioning/${file}`, c.username, c.password, { headers: { 'User-Agent': b.userAgent } });
  };
  const put = (b: Boot, file: string, body: string) => {
    const c = creds.get(b.mac)!;
    return sendDigest(w, `/provisioning/${file}`, c.username, c.password, {
      method: 'PUT',
      body: Buffer.from(body),
      headers: { 'User-Agent': b.userAgent, 'Content-Type': 'text/plain' },
    });
  };
  const anonymous = (b: Boot, file: string) =>
    send(w, `/provisioning/${file}`, { headers: { 'User-Agent': b.userAgent } });

  async function expectTokenStored(b: Boot, url: string | undefined) {
    const token = /\/phone-apps\/([A-Za-z0-9_-]{43})\//.exec(url ?? '')?.[1];
    expect(token, 'phone-app token in URL').to.be.a('string');
    expect(token).to.not.contain(b.mac);
    const device = await w.devices.byAppTokenHash(appTokenHash(token!));
    expect(device?.mac, 'token hash stored for phone apps').to.equal(b.mac);
  }

  async function expectSeen(b: Boot) {
    const d = await w.devices.byMac({ kind: 'system' }, b.mac);
    expect(d.lastIp).to.equal('127.0.0.1');
    expect(d.lastUserAgent).to.equal(b.userAgent);
    expect(d.lastSeenAt).to.be.instanceOf(Date);
  }

  for (const b of boots().filter((x) => x.profile.vendor === 'polycom')) {
    it(`${b.profile.id} — "${b.userAgent}"`, async () => {
      const p = b.profile;
      // 1. No per-phone master known to the phone yet: the shared one works for anybody.
      const generic = xmlRoot(ok(await anonymous(b, '000000000000.cfg'), 'generic master'));
      expect(generic.nodeName).to.equal('APPLICATION');

      // 2. Its own master: per-phone, so a challenge first, then the file.
      expect((await anonymous(b, `${b.mac}.cfg`)).status).to.equal(401);
      const master = xmlRoot(ok(await get(b, `${b.mac}.cfg`), 'master'));
      const attr = (n: string) => Array.from(master.attributes).find((a) => a.name === n)?.value;
      expect(attr('APP_FILE_PATH')).to.equal(`${w.base}/provisioning/firmware/sip.ld`);
      const configFiles = (attr('CONFIG_FILES') ?? '').split(',').map((s) => s.trim());
      expect(configFiles).to.deep.equal([`${b.mac}-user.cfg`, `common-${p.id}.cfg`]);

      // 3. Firmware: the phone asks for its own part number next to APP_FILE_PATH; streamed from DATA_DIR/firmware.
      const fw = p.firmware.files[0]!;
      const firmware = await anonymous(b, `firmware/${fw}`);
      expect(firmware.status).to.equal(200);
      expect(firmware.body.equals(firmwareBytes(fw))).to.equal(true);
      expect(firmware.headers['content-type']).to.equal('application/octet-stream');

      // 4. Updater uploads its boot log.
      expect((await put(b, `${b.mac}-boot.log`, 'updater: ok\n')).status).to.equal(204);

      // 5. CONFIG_FILES left to right, as the application does.
      const bodies = new Map<string, string>();
      for (const f of configFiles) bodies.set(f, ok(await get(b, f), f));
      const phone = polycomParams(bodies.get(`${b.mac}-user.cfg`)!);
      polycomParams(bodies.get(`common-${p.id}.cfg`)!);
      const domain = w.pbx.domain;
      expect(phone.get('reg.1.address')).to.equal(`201@${domain}`);
      expect(phone.get('reg.1.auth.userId')).to.equal('201');
      expect(phone.get('reg.1.auth.password')).to.equal(w.ext['201']!.sipPassword);
      expect(phone.get('reg.1.displayName')).to.equal('Alice Agent');
      expect(phone.get('reg.1.server.1.address')).to.equal(domain);
      expect(phone.get('msg.mwi.1.subscribe'), 'MWI').to.equal(`201@${domain}`);
      expect(phone.get('msg.mwi.1.callBack')).to.equal('*98');
      if (p.lines >= 2) expect(phone.get('msg.mwi.2.subscribe'), 'extra mailbox').to.equal(`203@${domain}`);
      const keysLeft =
        p.lineKeys + p.expansionModules.max * p.expansionModules.keysPerModule - 1 - Math.min(1, p.lines - 1);
      if (keysLeft >= 1) expect(phone.get('attendant.resourceList.1.address'), 'BLF').to.equal(`202@${domain}`);
      if (keysLeft >= 2) expect(phone.get('attendant.resourceList.2.address'), 'park').to.equal(`park+701@${domain}`);
      expect(phone.get('voIpProt.SIP.alertInfo.1.value'), 'intercom').to.equal(ALERT_INFO);
      expect(phone.get('voIpProt.SIP.alertInfo.5.value'), 'intercom token').to.equal('Ring Answer');
      expect(phone.get('voIpProt.SIP.alertInfo.1.class')).to.equal('ringAutoAnswer');
      expect(phone.get('call.directedCallPickupString')).to.equal('*8');
      const softkeys = [...phone].filter(([k]) => /^softkey\.\d+\.label$/.test(k)).map(([, v]) => v);
      expect(softkeys, 'agent key').to.include('Agent');
      expect(phone.get('mb.idleDisplay.home'), 'agent status on the idle screen').to.match(/\/agent\/idle$/);
      await expectTokenStored(b, phone.get('mb.idleDisplay.home'));
      expect(phone.get('tcpIpApp.sntp.gmtOffset'), 'New York standard time').to.equal('-18000');
      expect(phone.get('tcpIpApp.sntp.daylightSavings.enable')).to.equal('1');
      expect(phone.get('device.auth.localAdminPassword')).to.equal(w.pbx.phoneAdminPassword);
      expect(phone.get('device.prov.serverName')).to.equal(`127.0.0.1:${w.port}/provisioning`);
      expect(phone.has('device.prov.password'), 'digest fetch: credentials not re-sent').to.equal(false);

      // 6. Contacts with buddy-watch flags.
      const dir = xmlRoot(ok(await get(b, `${b.mac}-directory.xml`), 'directory'));
      const items = Array.from(dir.getElementsByTagName('item'));
      expect(items.map((i) => i.getElementsByTagName('ct')[0]?.textContent)).to.deep.equal(['202', '701']);
      expect(items[0]!.getElementsByTagName('bw')[0]?.textContent).to.equal('1');

      // 7. Application log, overrides back and forth, license absent.
      expect((await put(b, `${b.mac}-app.log`, 'app: registered\n')).status).to.equal(204);
      expect((await get(b, `${b.mac}-phone.cfg`)).status, 'no override yet').to.equal(404);
      const override =
        '<?xml version="1.0"?><PHONE_CONFIG><OVERRIDES up.backlight.idleIntensity="1"/></PHONE_CONFIG>\n';
      expect((await put(b, `${b.mac}-phone.cfg`, override)).status).to.equal(204);
      expect(ok(await get(b, `${b.mac}-phone.cfg`), 'override')).to.equal(override);
      expect((await anonymous(b, `${b.mac}-license.cfg`)).status).to.equal(404);
      await expectSeen(b);
    });
  }

  for (const b of boots().filter((x) => x.profile.vendor === 'yealink')) {
    it(`${b.profile.id} — "${b.userAgent}"`, async () => {
      const p = b.profile;
      // 1. The per-model common file: no secrets, anybody.
      const common = ok(await anonymous(b, `y${p.modelCode!.padStart(12, '0')}.cfg`), 'common');
      const commonParams = yealinkParams(common);
      expect(
        [...commonParams.keys()].some((k) => /password/.test(k)),
        'no secret in the common file',
      ).to.equal(false);

      // 2. <mac>.cfg: challenge, then the phone's file.
      expect((await anonymous(b, `${b.mac}.cfg`)).status).to.equal(401);
      const cfg = yealinkParams(ok(await get(b, `${b.mac}.cfg`), 'mac.cfg'));
      expect(cfg.get('account.1.enable')).to.equal('1');
      expect(cfg.get('account.1.user_name')).to.equal('201');
      expect(cfg.get('account.1.auth_name')).to.equal('201');
      expect(cfg.get('account.1.password')).to.equal(w.ext['201']!.sipPassword);
      expect(cfg.get('account.1.sip_server.1.address')).to.equal(w.pbx.domain);
      expect(cfg.get('account.1.subscribe_mwi'), 'MWI').to.equal('1');
      expect(cfg.get('voice_mail.number.1')).to.equal('*98');
      expect(cfg.get('linekey.1.type'), 'line key').to.equal('15');
      expect(cfg.get('linekey.2.type'), 'BLF').to.equal('16');
      expect(cfg.get('linekey.2.value')).to.equal('202');
      if (p.lineKeys >= 3) expect(cfg.get('linekey.3.type'), 'park').to.equal('10');
      if (p.lineKeys >= 4) {
        expect(cfg.get('linekey.4.type'), 'agent key').to.equal('27');
        expect(cfg.get('linekey.4.label')).to.equal('Agent');
        await expectTokenStored(b, cfg.get('linekey.4.value'));
      }
      expect(cfg.get('features.intercom.allow'), 'intercom').to.equal('1');
      expect(cfg.get('features.intercom.feature_access_code')).to.equal('*1');
      expect(cfg.get('features.pickup.direct_pickup_code')).to.equal('*8');
      expect(cfg.get('push_xml.sip_notify'), 'agent status pushed to the idle screen').to.equal('1');
      expect(cfg.get('local_time.time_zone'), 'New York').to.equal('-5');
      expect(cfg.get('local_time.summer_time')).to.equal('1');
      expect(cfg.get('local_time.ntp_server1')).to.equal('pool.ntp.org');
      expect(cfg.get('static.security.user_password admin')).to.equal(`admin:${w.pbx.phoneAdminPassword}`);
      expect(cfg.get('static.auto_provision.server.url')).to.equal(`${w.base}/provisioning/`);
      expect(cfg.has('static.auto_provision.server.password'), 'digest fetch: credentials not re-sent').to.equal(false);
      const firmwareUrl = cfg.get('static.firmware.url')!;
      expect(firmwareUrl).to.equal(`${w.base}/provisioning/firmware/${p.firmware.files[0]}`);

      // 3. Firmware as the phone requests it (parentheses and commas percent-encoded).
      const path = new URL(firmwareUrl).pathname;
      const firmware = await anonymous(b, path.slice('/provisioning/'.length));
      expect(firmware.status).to.equal(200);
      expect(firmware.body.equals(firmwareBytes(p.firmware.files[0]!))).to.equal(true);

      // 4. Unchanged file: the same ETag, and 304 when the phone asks conditionally.
      const again = await get(b, `${b.mac}.cfg`);
      expect(again.headers.etag).to.match(/^"[0-9a-f]{32}"$/);
      const c = creds.get(b.mac)!;
      const conditional = await sendDigest(w, `/provisioning/${b.mac}.cfg`, c.username, c.password, {
        headers: { 'User-Agent': b.userAgent, 'If-None-Match': String(again.headers.etag) },
      });
      expect(conditional.status).to.equal(304);

      // 5. The phone's own changes, uploaded.
      expect((await put(b, `${b.mac}-local.cfg`, '#!version:1.0.0.1\n')).status).to.equal(204);
      expect((await anonymous(b, `${b.mac}.boot`)).status, 'boot files are not used').to.equal(404);
      await expectSeen(b);
    });
  }

  it('serves the same bytes for the same data (deterministic), with Content-Type and no-store', async () => {
    const b = boots().find((x) => x.profile.id === 'yealink-t54w')!;
    const one = await get(b, `${b.mac}.cfg`);
    const two = await get(b, `${b.mac}.cfg`);
    expect(one.body.equals(two.body)).to.equal(true);
    expect(one.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(one.headers['cache-control']).to.equal('no-store');
    const pb = boots().find((x) => x.profile.id === 'polycom-vvx450')!;
    expect((await get(pb, `${pb.mac}-user.cfg`)).headers['content-type']).to.equal('application/xml; charset=utf-8');
  });

  it('logs every file with credentials it serves (mac, ip, file, via)', () => {
    const served = w.logs.filter((l) => l.msg === 'provisioning: file with credentials served');
    expect(served.length).to.be.greaterThan(boots().length - 1);
    expect(served[0]!.fields).to.include({ ip: '127.0.0.1', via: 'digest' });
    expect(served[0]!.fields.mac).to.match(/^[0-9a-f]{12}$/);
  });
});
