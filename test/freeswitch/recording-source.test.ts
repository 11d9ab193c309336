// Reading what FreeSWITCH recorded: from this machine's file system, or from the FreeSWITCH host over SFTP (a real
// SFTP server on loopback), with missing files and oversized files told apart from errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  localRecordingSource,
  NotARecordingError,
  type RecordingSource,
  RecordingTooLargeError,
  sftpRecordingSource,
} from '../../src/freeswitch/recording-source';
import { sftpServerAvailable, startSftpServer, type TestSftpServer } from '../fakes/sftp-server';

function behavesLikeARecordingSource(source: () => RecordingSource, dir: () => string) {
  it('reads a recording whole', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    writeFileSync(join(dir(), 'phone-mailbox-1-busy.wav'), bytes);
    const got = await source().read(join(dir(), 'phone-mailbox-1-busy.wav'), 100_000);
    expect(got?.equals(bytes)).to.equal(true);
  });

  it('answers null for a recording that was never made', async () => {
    expect(await source().read(join(dir(), 'phone-mailbox-1-name.wav'), 100_000)).to.equal(null);
  });

  it('refuses a symbolic link and a FIFO instead of following or waiting on them', async () => {
    writeFileSync(join(dir(), 'secret'), Buffer.alloc(100));
    symlinkSync(join(dir(), 'secret'), join(dir(), 'phone-attendant-9.wav'));
    const link = await source()
      .read(join(dir(), 'phone-attendant-9.wav'), 1000)
      .catch((e) => e);
    expect(link).to.be.instanceOf(NotARecordingError);
    execFileSync('mkfifo', [join(dir(), 'phone-attendant-8.wav')]);
    const fifo = await source()
      .read(join(dir(), 'phone-attendant-8.wav'), 1000)
      .catch((e) => e);
    expect(fifo).to.be.instanceOf(NotARecordingError);
  });

  it('refuses a file over the limit without reading it', async () => {
    writeFileSync(join(dir(), 'phone-attendant-2.wav'), Buffer.alloc(2049));
    const err = await source()
      .read(join(dir(), 'phone-attendant-2.wav'), 2048)
      .catch((e) => e);
    expect(err).to.be.instanceOf(RecordingTooLargeError);
  });
}

describe('recording sources', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-recordings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('local file system', () => {
    behavesLikeARecordingSource(localRecordingSource, () => dir);
  });

  it('gives up an SFTP read whose host accepts the connection and then says nothing', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const source = sftpRecordingSource({ host: '127.0.0.1', port, username: 'x', password: 'y' }, 200);
      const err = await source.read('/var/lib/dialtone/audio/a/phone-attendant-1.wav', 1000).catch((e) => e);
      expect(String(err?.message)).to.contain('took more than 200 ms');
    } finally {
      silent.close();
    }
  });

  describe('SFTP (real SFTP server on loopback)', function () {
    this.timeout(30000);
    let server: TestSftpServer;
    before(async function () {
      if (!sftpServerAvailable()) this.skip();
      server = await startSftpServer();
    });
    after(async () => server?.close());
    const source = () =>
      sftpRecordingSource({
        host: '127.0.0.1',
        port: server.port,
        username: server.username,
        password: server.password,
      });
    behavesLikeARecordingSource(source, () => dir);

    it('fails (so the call record is posted again later) when the host refuses us', async () => {
      writeFileSync(join(dir, 'phone-attendant-3.wav'), Buffer.alloc(100));
      const refused = sftpRecordingSource({
        host: '127.0.0.1',
        port: server.port,
        username: server.username,
        password: 'wrong-password',
      });
      const err = await refused.read(join(dir, 'phone-attendant-3.wav'), 1000).catch((e) => e);
      expect(err).to.be.instanceOf(Error);
      expect(err).to.not.be.instanceOf(RecordingTooLargeError);
    });
  });
});
