// TFTP server over real UDP with the Node client: file contents and sizes, disk files, concurrency, limits, shutdown.

import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TftpRemoteError, tftpGet } from '../../../src/servers/tftp/client';
import { diskFile, SharedFileHandles } from '../../../src/servers/tftp/file-source';
import { encodeAck, encodeRequest } from '../../../src/servers/tftp/packet';
import { createTftpServer } from '../../../src/servers/tftp/server';
import { type Harness, HOST, pattern, RawPeer, sha256, startServer, waitUntil } from './helpers';

describe('tftp server serving files (Node client)', () => {
  let dir: string;
  let h: Harness | undefined;
  const get = (filename: string, opts: Partial<Parameters<typeof tftpGet>[0]> = {}) =>
    tftpGet({ host: HOST, port: (h as Harness).port, filename, ...opts });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialtone-tftp-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await h?.server.close();
    h = undefined;
  });

  const sizes = [0, 1, 511, 512, 513, 1428, 1428 * 3, 100_000];
  for (const size of sizes) {
    for (const blksize of [undefined, 8, 1428]) {
      it(`serves ${size} bytes intact with blksize ${blksize ?? 'default (512)'}`, async () => {
        const content = pattern(size, size + 7);
        h = await startServer({ 'f.bin': content });
        const r = await get('f.bin', { blksize, tsize: blksize !== undefined });
        expect(r.data.equals(content)).to.equal(true);
        expect(r.blocks).to.equal(Math.floor(size / (blksize ?? 512)) + 1);
        const tsize = size > 0 ? { tsize: String(size) } : {};
        if (blksize !== undefined) expect(r.oack).to.deep.equal({ blksize: String(blksize), ...tsize });
        await waitUntil(() => (h as Harness).closed.length === 1);
      });
    }
  }

  it('clamps blksize to maxBlksize and answers tsize with the real size', async () => {
    const content = pattern(70_000);
    h = await startServer({ 'fw.bin': content }, { maxBlksize: 1024 });
    const r = await get('fw.bin', { blksize: 65464, tsize: true, timeout: 2 });
    expect(r.oack).to.deep.equal({ blksize: '1024', tsize: '70000', timeout: '2' });
    expect(r.data.equals(content)).to.equal(true);
  });

  it('streams a file from disk through diskFile, reading in chunks and closing the descriptor', async () => {
    const content = pattern(3 * 1024 * 1024 + 17, 3);
    const path = join(dir, 'fw.bin');
    await writeFile(path, content);
    h = await startServer({ 'fw.bin': { path } });
    const r = await get('fw.bin', { blksize: 1428, tsize: true, onData: () => {} });
    expect(r.bytes).to.equal(content.length);
    const again = await get('fw.bin', { blksize: 1428 });
    expect(sha256(again.data)).to.equal(sha256(content));
    await waitUntil(() => (h as Harness).closed.length === 2);
  });

  it('diskFile opens nothing before the first read, shares one descriptor per file and closes it with the last', async () => {
    const content = pattern(100_000, 5);
    const path = join(dir, 'shared.bin');
    await writeFile(path, content);
    const handles = new SharedFileHandles();
    const files = await Promise.all([1, 2, 3].map(() => diskFile(path, handles)));
    expect(handles.size, 'stat only').to.equal(0);
    const reads = await Promise.all(files.map((f) => f.read(10, 100)));
    for (const r of reads) expect(r.equals(content.subarray(10, 110))).to.equal(true);
    expect(handles.size).to.equal(1);
    await files[0]?.close?.();
    await files[1]?.close?.();
    expect(handles.size).to.equal(1);
    await files[2]?.close?.();
    expect(handles.size).to.equal(0);
  });

  it('diskFile fails a read rather than send other bytes when the path was replaced after the size was taken', async () => {
    const path = join(dir, 'replaced.bin');
    await writeFile(path, pattern(1000, 1));
    const file = await diskFile(path, new SharedFileHandles());
    await writeFile(`${path}.new`, pattern(2000, 2));
    await rename(`${path}.new`, path);
    const err = await file.read(0, 512).catch((e: Error) => e);
    expect((err as Error).message).to.match(/changed on disk/);
    await file.close?.();
  });

  it('diskFile rejects a missing path with the fs error, for the source to map to null', async () => {
    const err = await diskFile(join(dir, 'missing.bin')).catch((e: NodeJS.ErrnoException) => e);
    expect((err as NodeJS.ErrnoException).code).to.equal('ENOENT');
  });

  it('transfers a file over 32 MB with 512-byte blocks across the block-number rollover', async function () {
    this.timeout(120_000);
    const content = pattern(32 * 1024 * 1024 + 1000, 11);
    h = await startServer({ 'big.bin': content });
    const r = await get('big.bin', { tsize: true });
    expect(r.blocks).to.equal(65538);
    expect(sha256(r.data)).to.equal(sha256(content));
  });

  it('runs 60 transfers at once, each on its own port, all intact', async function () {
    this.timeout(60_000);
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 60; i++) files[`cfg-${i}.cfg`] = pattern(3000 + i * 97, i + 1);
    h = await startServer(files);
    const results = await Promise.all(
      Object.keys(files).map((name, i) => get(name, { blksize: [undefined, 512, 1428, 8][i % 4], tsize: i % 2 === 0 })),
    );
    results.forEach((r, i) => {
      expect(r.data.equals(files[`cfg-${i}.cfg`])).to.equal(true);
    });
    expect(new Set(results.map((r) => r.serverPort)).size).to.equal(60);
    await waitUntil(() => (h as Harness).server.activeTransfers() === 0);
    expect((h as Harness).logs.filter((e) => e.event === 'transfer-end' && e.ok)).to.have.length(60);
  });

  it('refuses a transfer over the limits with error 0 (server busy) when every slot belongs to a client that answers', async () => {
    h = await startServer({ 'a.cfg': pattern(5000) }, { maxTransfers: 1, timeoutMs: 5000 });
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('rrq', 'a.cfg', 'octet'), h.port);
      const first = await peer.next();
      peer.send(encodeAck(1), first.port); // it answers: its slot is its own
      await peer.nextData(2);
      const err = await get('a.cfg').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(TftpRemoteError);
      expect((err as TftpRemoteError).code).to.equal(0);
    } finally {
      peer.close();
    }
  });

  it('takes back the slot of a client that never answered for a new request, telling it "busy"', async () => {
    h = await startServer({ 'a.cfg': pattern(5000) }, { maxTransfers: 1, timeoutMs: 5000 });
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('rrq', 'a.cfg', 'octet'), h.port);
      await peer.next();
      const r = await get('a.cfg');
      expect(r.bytes).to.equal(5000);
      const told = await peer.next();
      expect(told.packet).to.deep.include({ op: 'error', code: 0, message: 'Server busy, try again' });
      expect(h.logs.some((e) => e.event === 'taken-back')).to.equal(true);
    } finally {
      peer.close();
    }
  });

  it('answers error 0 when the source throws, and logs it', async () => {
    const logs: unknown[] = [];
    const server = await createTftpServer({
      address: HOST,
      port: 0,
      logger: (e) => logs.push(e),
      source: {
        open: async () => {
          throw new Error('db down');
        },
      },
    });
    try {
      const err = await tftpGet({ host: HOST, port: server.address().port, filename: 'a.cfg' }).catch((e) => e);
      expect(err).to.be.instanceOf(TftpRemoteError);
      expect((err as TftpRemoteError).code).to.equal(0);
      expect(logs.some((e) => (e as { event: string }).event === 'source-error')).to.equal(true);
    } finally {
      await server.close();
    }
  });

  it('aborts with error 0 when a read fails mid-transfer, and still closes the file', async () => {
    let closed = false;
    const server = await createTftpServer({
      address: HOST,
      port: 0,
      readChunkBytes: 1024,
      source: {
        open: async () => ({
          size: 10_000,
          read: async (offset, length) => {
            if (offset >= 4096) throw new Error('EIO');
            return Buffer.alloc(length, 1);
          },
          close: () => {
            closed = true;
          },
        }),
      },
    });
    try {
      const err = await tftpGet({ host: HOST, port: server.address().port, filename: 'a.bin' }).catch((e) => e);
      expect(err).to.be.instanceOf(TftpRemoteError);
      await waitUntil(() => closed);
    } finally {
      await server.close();
    }
  });

  it('close() tells clients in the middle of a transfer, closes their files and frees every port', async () => {
    h = await startServer({ 'a.cfg': pattern(5000) }, { timeoutMs: 5000 });
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('rrq', 'a.cfg', 'octet'), h.port);
      const d1 = await peer.next();
      await h.server.close();
      expect((await peer.next()).packet).to.deep.equal({ op: 'error', code: 0, message: 'Server shutting down' });
      expect(h.closed).to.deep.equal(['a.cfg']);
      expect(h.server.activeTransfers()).to.equal(0);
      // The transfer's port is closed: nothing answers there any more.
      peer.send(Buffer.from([0, 4, 0, 1]), d1.port);
      await new Promise((r) => setTimeout(r, 50));
      expect(peer.pending()).to.equal(0);
    } finally {
      peer.close();
    }
  });

  it('requires an IP address to listen on', async () => {
    const err = await createTftpServer({ address: 'localhost', port: 0, source: { open: async () => null } }).catch(
      (e) => e,
    );
    expect(err).to.be.instanceOf(TypeError);
  });

  it('works over IPv6 loopback when the host has it', async function () {
    let server: Awaited<ReturnType<typeof createTftpServer>>;
    try {
      server = await createTftpServer({
        address: '::1',
        port: 0,
        source: { open: async () => ({ size: 3, read: async () => Buffer.from('abc') }) },
      });
    } catch {
      this.skip();
      return;
    }
    try {
      const r = await tftpGet({ host: '::1', port: server.address().port, filename: 'a.cfg', blksize: 1428 });
      expect(r.data.toString()).to.equal('abc');
    } finally {
      await server.close();
    }
  });
});
