// Publishing over SFTP to a real SFTP server on loopback (ssh2 + Debian's OpenSSH sftp-server).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createPublisher, PublishError } from '../../src/provisioning/publish';
import { sftpServerAvailable, startSftpServer, type TestSftpServer } from '../fakes/sftp-server';
import { publisherContract } from './publish-contract';

if (!sftpServerAvailable())
  throw new Error('these tests need /usr/lib/openssh/sftp-server (apt-get install openssh-sftp-server)');

publisherContract('SFTP', async () => {
  const s = await startSftpServer();
  const root = mkdtempSync(join(tmpdir(), 'dialtone-sftp-root-'));
  return {
    password: s.password,
    target: (dir, password = s.password) => ({
      protocol: 'sftp',
      host: '127.0.0.1',
      port: s.port,
      username: s.username,
      password,
      // The SFTP server shows the real filesystem: the test root stands in for "/".
      dir: dir.startsWith('/') ? `${root}${dir}` : dir,
    }),
    local: (dir) => join(root, dir),
    close: async () => {
      await s.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
});

describe('SFTP publisher: host key pinning', function () {
  this.timeout(30_000);
  let s: TestSftpServer;
  let root: string;
  before(async () => {
    s = await startSftpServer();
    root = mkdtempSync(join(tmpdir(), 'dialtone-sftp-pin-'));
  });
  after(async () => {
    await s?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a server whose host key is not the pinned one, before sending the password', async () => {
    const err = await createPublisher({
      protocol: 'sftp',
      host: '127.0.0.1',
      port: s.port,
      username: s.username,
      password: s.password,
      dir: `${root}/pinned`,
      hostKeySha256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    })
      .publish({ key: 'acme', files: new Map([['805ec0000009.cfg', 'x']]) })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(err).to.be.instanceOf(PublishError);
    expect((err as PublishError).step).to.equal('connect');
  });
});
