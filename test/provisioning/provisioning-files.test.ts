// The file source TFTP reuses: bootstrap files only by default (same bytes for known and unknown MACs), real files
// only for PBXs that opted in to credentials over TFTP, firmware from disk, nothing for hostile names.
import { expect } from 'chai';
import type { ProvisioningFile } from '../../src/provisioning/provisioning-files';
import { SYSTEM } from '../../src/services/actor';
import { openWorld, type World } from '../servers/provisioning-world';
import { polycomParams, xmlRoot, yealinkParams } from './render-fixtures';

const POLY = '0004f2000001';
const YEA = '805ec0000002';
const client = { address: '192.0.2.10' };

function text(file: ProvisioningFile | null): string {
  expect(file, 'a file').to.not.equal(null);
  expect(file!.type).to.equal('body');
  return (file as Extract<ProvisioningFile, { type: 'body' }>).body.toString('utf8');
}

describe('provisioning files over TFTP', function () {
  this.timeout(30_000);
  let w: World;
  before(async () => {
    w = await openWorld();
    for (const [mac, profileId] of [
      [POLY, 'polycom-vvx450'],
      [YEA, 'yealink-t54w'],
    ] as const)
      await w.devices.add(SYSTEM, w.pbx.id, { mac, profileId, extensionIds: [w.ext['201']!.id] });
  });
  after(async () => w?.close());
  const open = (path: string, secretsAllowed = false) => w.server.files.open(path, client, null, { secretsAllowed });

  it('Polycom master files point at bootstrap.cfg only, the same bytes for every MAC', async () => {
    const generic = text(await open('000000000000.cfg'));
    const attrs = Array.from(xmlRoot(generic).attributes);
    expect(attrs.find((a) => a.name === 'CONFIG_FILES')?.value).to.equal('bootstrap.cfg');
    expect(text(await open(`${POLY}.cfg`))).to.equal(generic);
    expect(text(await open('0004f2999999.cfg')), 'unknown MAC').to.equal(generic);
  });

  it('bootstrap.cfg moves the phone to HTTP provisioning, without secrets', async () => {
    const params = polycomParams(text(await open('bootstrap.cfg')));
    expect(params.get('device.prov.serverName')).to.equal(`127.0.0.1:${w.port}/provisioning`);
    expect([...params.keys()].some((k) => /password/i.test(k))).to.equal(false);
  });

  it('Yealink common and MAC files are the bootstrap, the same for known and unknown MACs', async () => {
    const common = yealinkParams(text(await open('y000000000096.cfg')));
    expect(common.get('static.auto_provision.server.url')).to.equal(`${w.base}/provisioning/`);
    const known = text(await open(`${YEA}.cfg`));
    expect(known).to.equal(text(await open('805ec0999999.cfg')));
    expect(known).to.not.contain(w.ext['201']!.sipPassword);
    expect(yealinkParams(known).get('static.auto_provision.server.url')).to.equal(`${w.base}/provisioning/`);
  });

  it('serves no per-phone file with secrets by default, nor for a PBX that did not opt in', async () => {
    expect(await open(`${POLY}-user.cfg`)).to.equal(null);
    expect(await open(`${POLY}-directory.xml`)).to.equal(null);
    expect(await open(`${POLY}-user.cfg`, true), 'PBX not opted in').to.equal(null);
    expect(text(await open(`${YEA}.cfg`, true))).to.not.contain(w.ext['201']!.sipPassword);
  });

  it('with the PBX opted in and secrets allowed: the real files, logged and recorded', async () => {
    await w.services.pbx.update(SYSTEM, w.pbx.id, { tftpCredentials: true });
    try {
      const phone = polycomParams(text(await open(`${POLY}-user.cfg`, true)));
      expect(phone.get('reg.1.auth.password')).to.equal(w.ext['201']!.sipPassword);
      const cfg = yealinkParams(text(await open(`${YEA}.cfg`, true)));
      expect(cfg.get('account.1.password')).to.equal(w.ext['201']!.sipPassword);
      expect(await open(`${POLY}-user.cfg`), 'still not without secretsAllowed').to.equal(null);
      expect(await open('0004f2999999-user.cfg', true), 'unknown MAC').to.equal(null);
      const served = w.logs.filter((l) => l.fields.via === 'tftp-opt-in');
      expect(served.map((l) => l.fields.mac)).to.include.members([POLY, YEA]);
      expect((await w.devices.byMac(SYSTEM, POLY)).lastIp).to.equal('192.0.2.10');
    } finally {
      await w.services.pbx.update(SYSTEM, w.pbx.id, { tftpCredentials: false });
    }
  });

  it('firmware comes from DATA_DIR/firmware as a file to stream', async () => {
    const file = await open('3111-48840-001.sip.ld');
    expect(file).to.deep.include({ type: 'disk', contentType: 'application/octet-stream' });
    expect((file as { path: string }).path).to.match(/firmware\/3111-48840-001\.sip\.ld$/);
    expect(await open('3111-00000-001.sip.ld')).to.equal(null);
  });

  for (const bad of [
    '../dialtone.sqlite',
    '/etc/passwd',
    'firmware/../../x.rom',
    '0004f2000001.cfg\0',
    '',
    'a'.repeat(300),
  ])
    it(`nothing for ${JSON.stringify(bad.slice(0, 30))}`, async () => {
      expect(await open(bad, true)).to.equal(null);
    });
});
