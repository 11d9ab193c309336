// The behaviour every Publisher must have, run against a real server per protocol (publish-ftp / publish-sftp tests).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  createPublisher,
  PublishError,
  type PublishTarget,
  PublishTargetError,
  publishPbx,
  renderPbxForPublishing,
} from '../../src/provisioning/publish';
import { SYSTEM } from '../../src/services/actor';
import { openPublishWorld, type PublishWorld } from './publish-fixture';

export interface PublishServer {
  /** A target for the remote directory `dir` ("/prov" style, below the server's test root). */
  target(dir: string, password?: string): PublishTarget;
  /** Where the remote directory `dir` is on the local filesystem. */
  local(dir: string): string;
  password: string;
  close(): Promise<void>;
}

function files(dir: string): string[] {
  return readdirSync(dir).sort();
}

function expectNoTemporaries(dir: string): void {
  expect(files(dir).filter((n) => n.includes('tmp'))).to.deep.equal([]);
}

async function expectRejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

export function publisherContract(name: string, start: () => Promise<PublishServer>): void {
  describe(`${name} publisher (real server on loopback)`, function () {
    this.timeout(60_000);
    let w: PublishWorld;
    let server: PublishServer;
    before(async () => {
      w = await openPublishWorld();
      server = await start();
    });
    after(async () => {
      await server?.close();
      await w?.close();
    });

    it('uploads every rendered file byte for byte, creating the directory, with no temporary file left', async () => {
      const expected = await renderPbxForPublishing(w.deps, w.pbx.id);
      const { result } = await publishPbx(w.deps, w.pbx.id, createPublisher(server.target('/sites/acme')));
      const local = server.local('/sites/acme');
      expect(result.uploaded).to.deep.equal([...expected.files.keys()]);
      expect(result.removed).to.deep.equal([]);
      expect(result.target.startsWith(`${server.target('/').protocol}://`)).to.equal(true);
      expect(result.target).to.not.contain(server.password);
      for (const [file, body] of expected.files)
        expect(readFileSync(join(local, file)).equals(Buffer.from(body, 'utf8')), file).to.equal(true);
      expect(files(local)).to.deep.equal([...expected.files.keys(), '.dialtone-acme.manifest'].sort());
      expectNoTemporaries(local);
    });

    it('replaces the files on a second publish by renaming new files over them', async () => {
      const local = server.local('/sites/acme');
      const inodes = new Map(files(local).map((f) => [f, statSync(join(local, f)).ino]));
      await w.services.objects.update(SYSTEM, w.pbx.id, 'extensions', w.ext['203']!.id, { name: 'Carol Renamed' });
      const expected = await renderPbxForPublishing(w.deps, w.pbx.id);
      expect(expected.files.get('805ec0000003.cfg')).to.contain('Carol Renamed');
      await publishPbx(w.deps, w.pbx.id, createPublisher(server.target('/sites/acme')));
      for (const [file, body] of expected.files) {
        expect(readFileSync(join(local, file)).equals(Buffer.from(body, 'utf8')), file).to.equal(true);
        // A new inode: the file was replaced whole (rename), not rewritten in place where a phone could read half.
        expect(statSync(join(local, file)).ino, file).to.not.equal(inodes.get(file));
      }
      expectNoTemporaries(local);
    });

    it('refuses a wrong password with a clear error that does not repeat it, and leaves the files as they were', async () => {
      const local = server.local('/sites/acme');
      const before = new Map(files(local).map((f) => [f, readFileSync(join(local, f))]));
      const wrong = 'Wrong-Pass-1234';
      const err = await expectRejects(
        publishPbx(w.deps, w.pbx.id, createPublisher(server.target('/sites/acme', wrong))),
      );
      expect(err).to.be.instanceOf(PublishError);
      expect((err as PublishError).step).to.equal('login');
      expect(err.message).to.match(/login to 127\.0\.0\.1:\d+ as \S+ refused/);
      expect(err.message).to.not.contain(wrong);
      expect(files(local)).to.deep.equal([...before.keys()]);
      for (const [f, bytes] of before) expect(readFileSync(join(local, f)).equals(bytes), f).to.equal(true);
    });

    it('refuses hostile remote directories and file names before sending anything', async () => {
      for (const dir of [
        '/sites/../etc',
        '/sites/./x',
        '/..',
        '/sites/%2e%2e',
        'sites',
        '/a//b',
        '/a\\b',
        '/a\r\nDELE x',
      ])
        expect(() => createPublisher(server.target(dir)), dir).to.throw(PublishTargetError);
      const publisher = createPublisher(server.target('/sites/hostile'));
      for (const bad of ['../evil.cfg', '.hidden.cfg', 'a/b.cfg', 'x\r\nDELE y', '..'])
        expect(
          await expectRejects(
            publisher.publish({
              key: 'acme',
              files: new Map([
                ['ok.cfg', 'ok'],
                [bad, 'x'],
              ]),
            }),
          ),
          bad,
        ).to.be.instanceOf(PublishTargetError);
      expect(await expectRejects(publisher.publish({ key: '../x', files: new Map() }))).to.be.instanceOf(
        PublishTargetError,
      );
      let exists = true;
      try {
        statSync(server.local('/sites/hostile'));
      } catch {
        exists = false;
      }
      expect(exists, 'nothing created for a refused set').to.equal(false);
    });

    it('deletes the files of a removed phone, and nothing it did not write', async () => {
      const local = server.local('/sites/shared');
      mkdirSync(local, { recursive: true });
      writeFileSync(join(local, 'site-readme.txt'), 'the site’s own file\n');
      writeFileSync(join(local, '0004f2aaaaaa.cfg'), 'a phone provisioned by someone else\n');
      // An interrupted earlier publish left a temporary file behind.
      writeFileSync(join(local, '.805ec0000003.cfg.0123456789ab.dialtone-tmp'), 'half');
      await publishPbx(w.deps, w.pbx.id, createPublisher(server.target('/sites/shared')));
      expectNoTemporaries(local);

      const phone = await w.devices.byMac(SYSTEM, '0004f2000002');
      await w.devices.delete(SYSTEM, w.pbx.id, phone.id);
      const { result } = await publishPbx(w.deps, w.pbx.id, createPublisher(server.target('/sites/shared')));
      expect(result.removed.sort()).to.deep.equal([
        '0004f2000002-directory.xml',
        '0004f2000002-user.cfg',
        '0004f2000002.cfg',
      ]);
      const left = files(local);
      for (const f of result.removed) expect(left).to.not.include(f);
      // Shared files are never pruned (another PBX publishing here may need them), even when no phone of ours uses them.
      expect(left).to.include.members(['site-readme.txt', '0004f2aaaaaa.cfg', 'common-polycom-vvx250.cfg']);
      expect(readFileSync(join(local, '.dialtone-acme.manifest'), 'utf8')).to.not.contain('0004f2000002');
      await w.devices.add(SYSTEM, w.pbx.id, {
        mac: '0004f2000002',
        profileId: 'polycom-vvx250',
        extensionIds: [w.ext['202']!.id],
        lineKeys: [{ type: 'park', slot: 701 }],
      });
    });
  });
}
