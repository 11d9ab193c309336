// RFC 7440 windowsize: the server sends a window of blocks per ACK to a client that asks, our client asks and answers
// by the RFC, and both recover from lost blocks and lost ACKs (a relay on loopback that drops datagrams).
import { createSocket, type Socket } from 'node:dgram';
import { expect } from 'chai';
import { tftpGet } from '../../../src/servers/tftp/client';
import { encodeAck, encodeRequest, Opcode } from '../../../src/servers/tftp/packet';
import { type Harness, HOST, pattern, RawPeer, sha256, startServer, waitUntil } from './helpers';

/**
 * A UDP relay between a client and the server that drops the datagrams `drop` picks: the client talks to `port`, the
 * relay follows the server to its transfer port (one transfer at a time).
 */
async function lossyRelay(
  serverPort: number,
  drop: (dir: 'to-client' | 'to-server', datagram: Buffer) => boolean,
): Promise<{ port: number; dropped: number; close: () => void }> {
  const bind = async () => {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, HOST, r));
    return s;
  };
  const front: Socket = await bind(); // the client's side: requests, ACKs
  const back: Socket = await bind(); // the server's side
  let client: { port: number } | null = null;
  let transferPort = serverPort;
  const relay = {
    port: front.address().port,
    dropped: 0,
    close: () => {
      front.close();
      back.close();
    },
  };
  front.on('message', (msg, rinfo) => {
    client = { port: rinfo.port };
    if (drop('to-server', msg)) relay.dropped++;
    else back.send(msg, msg.readUInt16BE(0) === Opcode.RRQ ? serverPort : transferPort, HOST);
  });
  back.on('message', (msg, rinfo) => {
    transferPort = rinfo.port;
    if (!client) return;
    if (drop('to-client', msg)) relay.dropped++;
    else front.send(msg, client.port, HOST);
  });
  return relay;
}

describe('tftp windowsize (RFC 7440)', function () {
  this.timeout(120_000);
  const file = pattern(50 * 512 + 100); // 51 blocks of 512
  let h: Harness;
  afterEach(async () => h?.server.close());

  it('sends a window of blocks per ACK and starts again after the block a partial ACK names', async () => {
    h = await startServer({ 'a.bin': file }, { timeoutMs: 5000 });
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('rrq', 'a.bin', 'octet', [{ name: 'windowsize', value: '4' }]), h.port);
      const oack = await peer.next();
      expect(oack.packet).to.deep.equal({ op: 'oack', options: [{ name: 'windowsize', value: '4' }] });
      peer.send(encodeAck(0), oack.port);
      for (let b = 1; b <= 4; b++) expect((await peer.next()).packet).to.include({ op: 'data', block: b });
      await new Promise((r) => setTimeout(r, 50));
      expect(peer.pending(), 'nothing beyond the window before its ACK').to.equal(0);
      // Block 3 "lost": the client acknowledges 2, and the server goes on from 3.
      peer.send(encodeAck(2), oack.port);
      for (let b = 3; b <= 6; b++) expect((await peer.next()).packet).to.include({ op: 'data', block: b });
    } finally {
      peer.close();
    }
  });

  it('our client asks for a window and gets every size intact, across the block-number rollover', async () => {
    const sizes = { empty: 0, one: 1, exact: 16 * 1428, odd: 1_000_003, rollover: 65_536 * 512 + 700 };
    const files = Object.fromEntries(Object.entries(sizes).map(([k, n], i) => [k, pattern(n, i + 1)]));
    h = await startServer(files, { maxTransfersPerAddress: 64 });
    for (const [name, content] of Object.entries(files)) {
      const blksize = name === 'rollover' ? 512 : 1428;
      const r = await tftpGet({ host: HOST, port: h.port, filename: name, blksize, windowsize: 16, tsize: true });
      expect(sha256(r.data), name).to.equal(sha256(content));
      if (content.length > 0) expect(r.oack.windowsize, name).to.equal('16');
    }
    await waitUntil(() => h.logs.filter((e) => e.event === 'transfer-end').length === Object.keys(files).length);
    for (const e of h.logs) if (e.event === 'transfer-end') expect(e, e.filename).to.include({ ok: true });
  });

  it('recovers from lost blocks and lost ACKs: the file arrives intact', async () => {
    h = await startServer({ 'a.bin': file }, { timeoutMs: 200 });
    const lost = new Set<string>();
    const relay = await lossyRelay(h.port, (dir, d) => {
      const op = d.readUInt16BE(0);
      const block = d.length >= 4 ? d.readUInt16BE(2) : -1;
      // Lose DATA 5 and 23 once each (gaps in a window), and the first ACK past block 30 (the server's timer sends
      // that window again).
      const ackPast30 = dir === 'to-server' && op === Opcode.ACK && block > 30;
      const key = ackPast30 ? 'ack' : `${op} ${block}`;
      const pick = (dir === 'to-client' && op === Opcode.DATA && (block === 5 || block === 23)) || ackPast30;
      if (!pick || lost.has(key)) return false;
      lost.add(key);
      return true;
    });
    try {
      const r = await tftpGet({ host: HOST, port: relay.port, filename: 'a.bin', windowsize: 8, retryMs: 300 });
      expect(sha256(r.data)).to.equal(sha256(file));
      expect(relay.dropped).to.equal(3);
      await waitUntil(() => h.logs.some((e) => e.event === 'transfer-end'));
      const end = h.logs.find((e) => e.event === 'transfer-end');
      expect(end).to.include({ ok: true, blocks: 51 });
      expect((end as { retransmits: number }).retransmits).to.be.at.least(1);
    } finally {
      relay.close();
    }
  });

  it('a server without windowsize (no OACK entry) is read lock-step by our client', async () => {
    h = await startServer({ 'a.bin': file }, { maxWindowsize: 1 });
    const r = await tftpGet({ host: HOST, port: h.port, filename: 'a.bin', windowsize: 8, blksize: 1024 });
    expect(sha256(r.data)).to.equal(sha256(file));
    expect(r.oack).to.deep.equal({ blksize: '1024' });
  });
});
