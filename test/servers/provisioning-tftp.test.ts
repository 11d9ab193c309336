// Phones over TFTP, with a real client (curl tftp://): bootstrap only and no secrets by default; the real per-phone
// file only for a known phone of a PBX that opted in; traversal refused.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { PbxSchema } from '../../src/domain/model';
import { createTftpServer, type TftpServer } from '../../src/servers/tftp';
import { provisioningTftpSource } from '../../src/servers/tftp-provisioning';
import { openWorld, type World } from './provisioning-world';

const run = promisify(execFile);

describe('provisioning over TFTP (curl as the client)', function () {
  this.timeout(30000);
  let w: World;
  let tftp: TftpServer;
  const MAC = '0004f2a1b2c3';
  let password = '';

  const fetchTftp = async (name: string) => {
    const { port } = tftp.address();
    return run('curl', ['-s', '--max-time', '5', `tftp://127.0.0.1:${port}/${name}`], {
      encoding: 'buffer',
      maxBuffer: 1 << 24,
    }).then(
      (r) => ({ ok: true, body: r.stdout.toString() }),
      (e) => ({ ok: false, body: String(e.stdout ?? ''), code: e.code as number }),
    );
  };

  before(async () => {
    w = await openWorld();
    const added = await w.devices.add({ kind: 'system' }, w.pbx.id, {
      mac: MAC,
      profileId: 'polycom-vvx450',
      label: 'Front desk',
      extensionIds: [w.ext['201']!.id],
      lineKeys: [],
    });
    password = added.password;
    tftp = await createTftpServer({ address: '127.0.0.1', port: 0, source: provisioningTftpSource(w.server.files) });
  });
  after(async () => {
    await tftp?.close();
    await w?.close();
  });

  it('serves the generic master file to anyone', async () => {
    const r = await fetchTftp('000000000000.cfg');
    expect(r.ok).to.equal(true);
    expect(r.body).to.contain('APPLICATION');
  });

  it('gives a known phone only a bootstrap without secrets by default', async () => {
    const ext = w.ext['201']!;
    for (const name of [`${MAC}.cfg`, `${MAC}-user.cfg`]) {
      const r = await fetchTftp(name);
      expect(r.body, name).to.not.contain(ext.sipPassword);
      expect(r.body, name).to.not.contain(password);
    }
  });

  it('serves the real per-phone file only when the PBX opted in to TFTP credentials', async () => {
    const em = w.services.orm.em.fork();
    const pbx = await em.findOneOrFail(PbxSchema, { id: w.pbx.id });
    pbx.tftpCredentials = true;
    await em.flush();
    const r = await fetchTftp(`${MAC}-user.cfg`);
    expect(r.ok).to.equal(true);
    expect(r.body).to.contain(w.ext['201']!.sipPassword);
    const unknown = await fetchTftp('0004f2ffffff-user.cfg');
    expect(unknown.body).to.not.contain('reg.1.auth.password');
  });

  it('refuses traversal and odd names', async () => {
    for (const name of ['..%2f..%2fetc%2fpasswd', 'a/../../etc/passwd', '%00.cfg']) {
      const r = await fetchTftp(name);
      expect(r.ok, name).to.equal(false);
    }
  });
});
