// Rendering a whole PBX for publishing: the complete file set each phone fetches, in a safe upload order, byte-identical
// to what the HTTP/TFTP file source serves, without provisioning credentials, deterministic, bad devices skipped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DeviceSchema } from '../../src/domain/model';
import { appTokenHash } from '../../src/provisioning/app-token';
import { fileClass } from '../../src/provisioning/policy';
import { ProvisioningFiles } from '../../src/provisioning/provisioning-files';
import { renderPbxFiles, renderPbxForPublishing } from '../../src/provisioning/publish';
import { SYSTEM } from '../../src/services/actor';
import { identifyDevice } from '../../src/vendors/identify-device';
import { openPublishWorld, PHONES, type PublishWorld, provisioningFilesDeps, SITE_URL } from './publish-fixture';

describe('publishing: render every file of a PBX', function () {
  this.timeout(30_000);
  let w: PublishWorld;
  let dir: string;
  before(async () => {
    w = await openPublishWorld();
    dir = mkdtempSync(join(tmpdir(), 'dialtone-publish-render-'));
  });
  after(async () => {
    await w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the shared files once and every file of every phone, referenced files before the files naming them', async () => {
    const { files, skipped } = await renderPbxForPublishing(w.deps, w.pbx.id);
    expect(skipped).to.deep.equal([]);
    expect([...files.keys()]).to.deep.equal([
      'common.cfg',
      'common-polycom-vvx250.cfg',
      'common-polycom-vvx450.cfg',
      'y000000000108.cfg',
      'y000000000096.cfg',
      '0004f2000001-user.cfg',
      '0004f2000001-directory.xml',
      '0004f2000002-user.cfg',
      '0004f2000002-directory.xml',
      '805ec0000003.cfg',
      '805ec0000004.cfg',
      '0004f2000001.cfg',
      '0004f2000002.cfg',
      '000000000000.cfg',
    ]);
    // Every name in a master's CONFIG_FILES is uploaded before that master.
    const names = [...files.keys()];
    let masters = 0;
    for (const [name, body] of files) {
      const listed = /CONFIG_FILES="([^"]*)"/.exec(body)?.[1];
      if (!listed) continue;
      masters++;
      for (const ref of listed.split(',').map((s) => s.trim()))
        expect(names.indexOf(ref), `${ref} before ${name}`).to.be.within(0, names.indexOf(name) - 1);
    }
    expect(masters).to.equal(3);
  });

  it('renders the same bytes the provisioning server serves for each file', async () => {
    const { files } = await renderPbxForPublishing(w.deps, w.pbx.id);
    const source = new ProvisioningFiles({ store: w.devices, ...provisioningFilesDeps(w, dir) });
    for (const [name, body] of files) {
      const { request } = identifyDevice(null, name, w.catalog);
      const served =
        fileClass(request, 'GET') === 'shared'
          ? await source.sharedFile(request, 'http')
          : await source.deviceFile(request, (await w.devices.deviceByMac((request as { mac: string }).mac))!);
      expect(served?.type, name).to.equal('body');
      if (served?.type === 'body') expect(served.body.equals(Buffer.from(body, 'utf8')), name).to.equal(true);
    }
  });

  it('configures every line, points the phones at the site server, and never includes provisioning credentials', async () => {
    const { files } = await renderPbxForPublishing(w.deps, w.pbx.id);
    const polycom = files.get('0004f2000001-user.cfg')!;
    expect(polycom).to.contain(`reg.1.auth.password="${w.ext['201']!.sipPassword}"`);
    expect(polycom).to.contain('device.prov.serverName="prov.site.test/phones"');
    expect(polycom).to.not.match(/device\.prov\.(user|password)=/);
    const yealink = files.get('805ec0000003.cfg')!;
    expect(yealink).to.contain(`account.1.password = ${w.ext['203']!.sipPassword}`);
    expect(yealink).to.contain(`static.auto_provision.server.url = ${SITE_URL}/`);
    expect(yealink).to.not.match(/static\.auto_provision\.server\.(username|password)/);
    for (const [name, body] of files)
      if (!/^[0-9a-f]{12}(-user)?\.cfg$/.test(name) || name === '000000000000.cfg')
        expect(body, name).to.not.match(/password/i);
  });

  it('stores the phone-app token hash of each published phone, so the phone apps accept the token in its URLs', async () => {
    const { files } = await renderPbxForPublishing(w.deps, w.pbx.id);
    for (const phone of PHONES) {
      const body = files.get(phone.profileId.startsWith('polycom') ? `${phone.mac}-user.cfg` : `${phone.mac}.cfg`)!;
      const token = /\/phone-apps\/([A-Za-z0-9_-]{43})\//.exec(body)?.[1];
      expect(token, phone.mac).to.be.a('string');
      expect((await w.devices.byAppTokenHash(appTokenHash(token!)))?.mac).to.equal(phone.mac);
    }
  });

  it('is deterministic, and leaves phone apps out without a key', async () => {
    const a = await renderPbxForPublishing(w.deps, w.pbx.id);
    const b = await renderPbxForPublishing(w.deps, w.pbx.id);
    expect([...a.files]).to.deep.equal([...b.files]);
    const snapshot = await w.devices.snapshot(w.pbx.id);
    const none = renderPbxFiles({ ...w.deps, snapshot, appToken: () => null });
    expect(none.files.get('805ec0000003.cfg')).to.not.contain('/phone-apps/');
  });

  it('skips a phone whose data cannot be rendered, names it and why, and renders the others', async () => {
    const em = w.services.orm.em.fork();
    await em.nativeUpdate(DeviceSchema, { mac: '0004f2000002' }, { profileId: 'polycom-vvx999' });
    await em.nativeUpdate(DeviceSchema, { mac: '805ec0000004' }, { extensionIds: [] });
    try {
      const { files, skipped } = await renderPbxForPublishing(w.deps, w.pbx.id);
      expect(skipped).to.deep.equal([
        { mac: '0004f2000002', reason: 'unknown firmware profile polycom-vvx999' },
        { mac: '805ec0000004', reason: 'device 805ec0000004 has no line' },
      ]);
      expect([...files.keys()].filter((n) => n.includes('0004f2000002') || n.includes('805ec0000004'))).to.deep.equal(
        [],
      );
      expect(files.has('common-polycom-vvx250.cfg'), 'no common file for a model nobody uses').to.equal(false);
      expect(files.has('y000000000108.cfg')).to.equal(false);
      expect(files.has('0004f2000001-user.cfg')).to.equal(true);
    } finally {
      await em.nativeUpdate(DeviceSchema, { mac: '0004f2000002' }, { profileId: 'polycom-vvx250' });
      await em.nativeUpdate(DeviceSchema, { mac: '805ec0000004' }, { extensionIds: [w.ext['201']!.id] });
    }
  });

  it('renders nothing for a PBX without phones', async () => {
    const other = await w.services.pbx.create(SYSTEM, { context: 'empty', name: 'Empty' });
    const { files, skipped } = await renderPbxForPublishing(w.deps, other.id);
    expect(files.size).to.equal(0);
    expect(skipped).to.deep.equal([]);
  });
});
