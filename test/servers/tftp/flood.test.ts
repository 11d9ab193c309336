// The audit's attack on TFTP: read requests asking timeout=255 that never acknowledge, from many (spoofable) source
// addresses. 127.0.0.2… are all loopback on Linux, so each flood socket binds its own source address. A real client
// (curl) must still get its file within seconds, and the flood must not hold a file descriptor per transfer.
import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { encodeAck, encodeRequest } from '../../../src/servers/tftp/packet';
import { type Harness, HOST, hasBinary, pattern, RawPeer, runTool, startServer, waitUntil } from './helpers';

/** Descriptors of this process open on `path` (the server runs in-process). */
function descriptorsOn(path: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // closed while listing
    }
  }
  return n;
}

/** `count` UDP sockets bound on each of `addresses` (one source port each), closed by the caller. */
async function floodSockets(addresses: string[], count: number): Promise<Socket[]> {
  const out: Socket[] = [];
  for (const address of addresses)
    for (let i = 0; i < count; i++) {
      const s = createSocket('udp4');
      s.on('error', () => {});
      s.on('message', () => {}); // OACKs, DATA and errors for the flood are read and dropped
      await new Promise<void>((resolve) => s.bind(0, address, resolve));
      out.push(s);
    }
  return out;
}

const hostileRrq = (name: string) =>
  encodeRequest('rrq', name, 'octet', [
    { name: 'timeout', value: '255' },
    { name: 'blksize', value: '1468' },
    { name: 'tsize', value: '0' },
  ]);

describe('tftp under a flood of read requests that never acknowledge', function () {
  this.timeout(120_000);
  let dir: string;
  let firmware: string;
  let h: Harness | undefined;
  let flood: Socket[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialtone-tftp-flood-'));
    firmware = join(dir, 'fw.bin');
    await writeFile(firmware, pattern(3 * 1024 * 1024, 9));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const s of flood) s.close();
    flood = [];
    await h?.server.close();
    h = undefined;
  });

  /** Sends one RRQ from each socket, 50 at a time, waiting until the server has read each batch (no drops). */
  async function send(sockets: Socket[], name: string): Promise<void> {
    const x = h as Harness;
    const requests = () => x.logs.filter((e) => e.event === 'request').length;
    const before = requests();
    for (let i = 0; i < sockets.length; i += 50) {
      for (const s of sockets.slice(i, i + 50)) s.send(hostileRrq(name), x.port, HOST);
      const want = before + Math.min(sockets.length, i + 50);
      await waitUntil(() => requests() >= want, 10_000);
    }
  }

  const config = Buffer.from('# bootstrap\nAPP_FILE_PATH="sip.ld"\n'.repeat(40));

  it('serves curl within seconds while 20 addresses flood every slot, with one descriptor for the firmware', async function () {
    if (!hasBinary('curl')) this.skip();
    // The production limits (main.ts passes none).
    h = await startServer({ 'fw.bin': { path: firmware }, 'phone.cfg': config });
    const addresses = Array.from({ length: 20 }, (_, i) => `127.0.0.${i + 2}`);
    flood = await floodSockets(addresses, 64);
    await send(flood, 'fw.bin');
    // Every slot the server has is taken (or the flood is refused as busy): the old server held them ~25 minutes.
    await waitUntil(() => (h as Harness).server.activeTransfers() === 1024, 10_000);

    // The flood goes on (the same sockets ask again) while a real client fetches its file.
    let sending = true;
    const keepFlooding = (async () => {
      for (let round = 0; sending && round < 50; round++) {
        for (const s of flood.slice((round * 40) % flood.length, ((round * 40) % flood.length) + 40))
          s.send(hostileRrq('fw.bin'), (h as Harness).port, HOST);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const out = join(dir, 'got.cfg');
    const started = Date.now();
    const r = await runTool('curl', ['-sS', '--max-time', '10', '-o', out, `tftp://127.0.0.1:${h.port}/phone.cfg`]);
    sending = false;
    await keepFlooding;
    expect(r.code, `curl: ${r.stderr}`).to.equal(0);
    expect((await readFile(out)).equals(config)).to.equal(true);
    expect(Date.now() - started, 'within seconds').to.be.below(10_000);
    const takenFor = (h.logs.find((e) => e.event === 'taken-back' && e.by.address === '127.0.0.1') ?? {}) as {
      client?: { address: string };
    };
    expect(takenFor.client?.address, 'curl took back a slot of the flood').to.match(/^127\.0\.0\.([2-9]|1\d|2[01])$/);

    // A flood of transfers of one file holds at most one descriptor on it (opened lazily, shared, closed on release).
    expect(descriptorsOn(firmware)).to.be.at.most(1);
    // The timeout a client may ask for is capped: nobody holds a slot for 255 s per try.
    const starts = h.logs.filter((e) => e.event === 'transfer-start') as Array<{ timeoutMs: number }>;
    expect(Math.max(...starts.map((s) => s.timeoutMs))).to.be.at.most(10_000);
  });

  it('keeps one address to a small share of the slots', async () => {
    h = await startServer({ 'phone.cfg': config });
    flood = await floodSockets(['127.0.0.2'], 100);
    await send(flood, 'phone.cfg');
    await waitUntil(() => (h as Harness).server.activeTransfers() > 0, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.server.activeTransfers()).to.equal(64);
  });

  it('ends a transfer that outlives its lifetime even though its client keeps acknowledging', async () => {
    h = await startServer({ 'big.bin': pattern(512 * 200) }, { maxTransferMs: 300, timeoutMs: 1000 });
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('rrq', 'big.bin', 'octet'), h.port);
      let block = 1;
      let ended = false;
      // A client that acknowledges each block late (just under the retransmission timeout) never times out.
      for (let i = 0; i < 50 && !ended; i++) {
        const got = await peer.next(3000);
        if (got.packet.op === 'error') ended = true;
        else if (got.packet.op === 'data' && got.packet.block === block) {
          await new Promise((r) => setTimeout(r, 50));
          peer.send(encodeAck(block), got.port);
          block++;
        }
      }
      expect(ended, 'the server ended it').to.equal(true);
      await waitUntil(() => (h as Harness).logs.some((e) => e.event === 'transfer-end'));
      const end = h.logs.find((e) => e.event === 'transfer-end') as { ok: boolean; reason: string };
      expect(end).to.include({ ok: false, reason: 'timeout' });
      expect(block).to.be.below(30);
    } finally {
      peer.close();
    }
  });
});
