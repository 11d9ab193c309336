// Publishing over FTP and FTPS to a real FTP server (Debian's python3-pyftpdlib) on loopback.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createPublisher, PublishError } from '../../src/provisioning/publish';
import { ftpServerAvailable, ftpsServerAvailable, startFtpServer, type TestFtpServer } from '../fakes/ftp-server';
import { publisherContract } from './publish-contract';

// Missing servers fail the run rather than skip it: a silently skipped publisher test proves nothing.
if (!ftpServerAvailable())
  throw new Error('these tests need /usr/bin/python3 with pyftpdlib (apt-get install python3-pyftpdlib)');
if (!ftpsServerAvailable())
  throw new Error('the FTPS tests need python3-openssl and the openssl tool (apt-get install python3-openssl openssl)');

publisherContract('FTP', async () => {
  const s = await startFtpServer();
  return {
    password: s.password,
    target: (dir, password = s.password) => ({
      protocol: 'ftp',
      host: '127.0.0.1',
      port: s.port,
      username: s.username,
      password,
      dir,
    }),
    local: (dir) => join(s.root, dir),
    close: () => s.close(),
  };
});

publisherContract('FTPS', async () => {
  const s = await startFtpServer({ tls: true });
  return {
    password: s.password,
    target: (dir, password = s.password) => ({
      protocol: 'ftp',
      host: '127.0.0.1',
      port: s.port,
      username: s.username,
      password,
      dir,
      ftps: true,
      ca: s.cert!,
    }),
    local: (dir) => join(s.root, dir),
    close: () => s.close(),
  };
});

describe('FTPS publisher: the server must prove who it is', function () {
  this.timeout(60_000);
  let s: TestFtpServer;
  before(async () => {
    s = await startFtpServer({ tls: true });
  });
  after(async () => s?.close());

  const files = new Map([['805ec0000009.cfg', '#!version:1.0.0.1\n']]);
  const base = () => ({
    protocol: 'ftp' as const,
    host: '127.0.0.1',
    port: s.port,
    username: s.username,
    password: s.password,
    dir: '/tls',
  });

  it('refuses a certificate it does not trust, before logging in', async () => {
    const err = await createPublisher({ ...base(), ftps: true })
      .publish({ key: 'acme', files })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(err).to.be.instanceOf(PublishError);
    expect((err as PublishError).step).to.equal('connect');
    expect(err!.message).to.match(/certificate/i);
  });

  it('publishes once the certificate is trusted; plain FTP is refused by a TLS-only server', async () => {
    const result = await createPublisher({ ...base(), ftps: true, ca: s.cert! }).publish({ key: 'acme', files });
    expect(result.uploaded).to.deep.equal(['805ec0000009.cfg']);
    expect(result.target).to.equal(`ftp://user@127.0.0.1:${s.port}/tls (FTPS)`);
    expect(readFileSync(join(s.root, 'tls', '805ec0000009.cfg'), 'utf8')).to.equal('#!version:1.0.0.1\n');
    const plain = await createPublisher(base())
      .publish({ key: 'acme', files })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(plain).to.be.instanceOf(PublishError);
  });
});
