// Streaming voicemail WAVs out of FreeSWITCH's storage: locally and over a real SFTP server on loopback, by byte
// range, refusing links, FIFOs and oversized files, and freeing the file when asked.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { expect } from 'chai';
import {
  type AudioFileSource,
  localAudioFileSource,
  sftpAudioFileSource,
} from '../../src/freeswitch/audio-file-source';
import { NotARecordingError, RecordingTooLargeError } from '../../src/freeswitch/recording-source';
import { sftpServerAvailable, startSftpServer, type TestSftpServer } from '../fakes/sftp-server';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function behavesLikeAnAudioSource(source: () => AudioFileSource, dir: () => string) {
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));

  it('streams the whole file and any byte range of it', async () => {
    writeFileSync(join(dir(), 'msg_a.wav'), bytes);
    const file = (await source().open(join(dir(), 'msg_a.wav'), 1_000_000))!;
    try {
      expect(file.size).to.equal(bytes.length);
      expect((await collect(file.stream())).equals(bytes)).to.equal(true);
      expect((await collect(file.stream(1000, 1999))).equals(bytes.subarray(1000, 2000))).to.equal(true);
      expect((await collect(file.stream(199_999))).equals(bytes.subarray(199_999))).to.equal(true);
      expect(() => file.stream(0, 200_000)).to.throw(RangeError);
    } finally {
      await file.close();
      await file.close();
    }
  });

  it('answers null for a message that is gone', async () => {
    expect(await source().open(join(dir(), 'msg_gone.wav'), 1000)).to.equal(null);
  });

  it('refuses a symbolic link, a FIFO and a file over the bound', async () => {
    writeFileSync(join(dir(), 'secret'), Buffer.alloc(10));
    symlinkSync(join(dir(), 'secret'), join(dir(), 'msg_link.wav'));
    expect(
      await source()
        .open(join(dir(), 'msg_link.wav'), 1000)
        .catch((e) => e),
    ).to.be.instanceOf(NotARecordingError);
    execFileSync('mkfifo', [join(dir(), 'msg_fifo.wav')]);
    expect(
      await source()
        .open(join(dir(), 'msg_fifo.wav'), 1000)
        .catch((e) => e),
    ).to.be.instanceOf(NotARecordingError);
    writeFileSync(join(dir(), 'msg_big.wav'), Buffer.alloc(2049));
    expect(
      await source()
        .open(join(dir(), 'msg_big.wav'), 2048)
        .catch((e) => e),
    ).to.be.instanceOf(RecordingTooLargeError);
  });

  it('cuts a stream that is still running when the file is closed', async () => {
    writeFileSync(join(dir(), 'msg_b.wav'), bytes);
    const file = (await source().open(join(dir(), 'msg_b.wav'), 1_000_000))!;
    const stream = file.stream();
    await file.close();
    await new Promise<void>((resolve) => {
      if (stream.destroyed) resolve();
      else stream.once('close', () => resolve());
    });
    expect(stream.destroyed).to.equal(true);
  });
}

describe('audio file sources (voicemail messages)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-vm-audio-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('local file system', () => {
    behavesLikeAnAudioSource(localAudioFileSource, () => dir);
  });

  it('gives up an SFTP host that accepts the connection and then says nothing', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const source = sftpAudioFileSource({ host: '127.0.0.1', port, username: 'x', password: 'y' }, 200);
      const err = await source
        .open('/var/lib/freeswitch/storage/voicemail/default/d/1/msg_x.wav', 1000)
        .catch((e) => e);
      expect(err).to.be.instanceOf(Error);
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
    behavesLikeAnAudioSource(
      () =>
        sftpAudioFileSource({
          host: '127.0.0.1',
          port: server.port,
          username: server.username,
          password: server.password,
        }),
      () => dir,
    );
  });
});
