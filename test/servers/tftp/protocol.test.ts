// TFTP server over real UDP, driven by hand: TIDs, retransmission, duplicate ACKs, wrong TIDs, refusals, malformed packets.
import { expect } from 'chai';
import { encodeAck, encodeError, encodeRequest, type TftpOption } from '../../../src/servers/tftp/packet';
import { type Harness, pattern, RawPeer, startServer, waitUntil } from './helpers';

const rrq = (name: string, options: TftpOption[] = [], mode = 'octet') => encodeRequest('rrq', name, mode, options);

describe('tftp server protocol (raw UDP peer)', () => {
  const file = pattern(4 * 512 + 100); // 5 blocks of 512
  let h: Harness;
  let peer: RawPeer;
  let other: RawPeer;

  async function setUp(options: Parameters<typeof startServer>[1] = {}) {
    h = await startServer({ 'a.cfg': file, 'empty.cfg': Buffer.alloc(0) }, options);
  }
  beforeEach(async () => {
    peer = await RawPeer.open();
    other = await RawPeer.open();
  });
  afterEach(async () => {
    peer.close();
    other.close();
    await h.server.close();
  });

  it('answers each transfer from its own new port (TID), never the listening port', async () => {
    await setUp();
    peer.send(rrq('a.cfg'), h.port);
    other.send(rrq('a.cfg'), h.port);
    const a = await peer.next();
    const b = await other.next();
    expect(a.packet).to.include({ op: 'data', block: 1 });
    expect(a.port).to.not.equal(h.port);
    expect(b.port).to.not.equal(h.port);
    expect(a.port).to.not.equal(b.port);
  });

  it('retransmits a DATA block whose ACK was lost, then carries on to the end', async () => {
    await setUp({ timeoutMs: 100 });
    peer.send(rrq('a.cfg'), h.port);
    const first = await peer.next();
    // Drop the ACK for block 1: the server must send the same block again.
    const again = await peer.next();
    expect(again.raw).to.deep.equal(first.raw);
    expect(again.port).to.equal(first.port);
    if (again.packet.op !== 'data') throw new Error('expected DATA');
    const received: Buffer[] = [again.packet.data];
    for (let i = 1; i < 5; i++) {
      peer.send(encodeAck(i), first.port);
      received.push((await peer.nextData(i + 1)).data);
    }
    peer.send(encodeAck(5), first.port);
    expect(Buffer.concat(received)).to.deep.equal(file);
    await waitUntil(() => h.logs.some((e) => e.event === 'transfer-end'));
    const end = h.logs.find((e) => e.event === 'transfer-end');
    expect(end).to.include({ ok: true, bytes: file.length, blocks: 5 });
    expect((end as { retransmits: number }).retransmits).to.be.at.least(1);
  });

  it('retransmits the OACK until ACK 0 arrives and honours the negotiated options', async () => {
    await setUp({ timeoutMs: 100 });
    peer.send(
      rrq('a.cfg', [
        { name: 'blksize', value: '1024' },
        { name: 'tsize', value: '0' },
      ]),
      h.port,
    );
    const oack = await peer.next();
    expect(oack.packet).to.deep.equal({
      op: 'oack',
      options: [
        { name: 'blksize', value: '1024' },
        { name: 'tsize', value: String(file.length) },
      ],
    });
    expect((await peer.next()).raw).to.deep.equal(oack.raw);
    peer.send(encodeAck(0), oack.port);
    let next = await peer.next();
    while (next.packet.op === 'oack') next = await peer.next(); // a retransmission may have crossed our ACK
    expect(next.packet).to.include({ op: 'data', block: 1 });
    expect((next.packet as { data: Buffer }).data.length).to.equal(1024);
  });

  it('does not answer a duplicate ACK with a duplicate DATA (no Sorcerer’s Apprentice)', async () => {
    await setUp({ timeoutMs: 5000 });
    peer.send(rrq('a.cfg'), h.port);
    const d1 = await peer.next();
    peer.send(encodeAck(1), d1.port);
    peer.send(encodeAck(1), d1.port);
    peer.send(encodeAck(2), d1.port);
    // Datagrams on loopback keep their order: a resend caused by the duplicate would sit between DATA 2 and DATA 3.
    expect((await peer.next()).packet).to.include({ op: 'data', block: 2 });
    expect((await peer.next()).packet).to.include({ op: 'data', block: 3 });
  });

  it('never hears a stranger on the transfer port (connected to its client): no answer, and the transfer finishes', async () => {
    await setUp();
    peer.send(rrq('a.cfg'), h.port);
    const d1 = await peer.next();
    // A stranger's ACK for the block in flight would move a transfer that listened to it.
    other.send(encodeAck(1), d1.port);
    const answered = await other.next(300).catch(() => null);
    expect(answered, 'the stranger got an answer').to.equal(null);
    expect(peer.pending(), 'the stranger moved the transfer').to.equal(0);
    const parts: Buffer[] = [(d1.packet as { data: Buffer }).data];
    for (let i = 1; i < 5; i++) {
      peer.send(encodeAck(i), d1.port);
      parts.push((await peer.nextData(i + 1)).data);
    }
    peer.send(encodeAck(5), d1.port);
    expect(Buffer.concat(parts)).to.deep.equal(file);
    await waitUntil(() => h.logs.some((e) => e.event === 'transfer-end'));
    expect(h.logs.find((e) => e.event === 'transfer-end')).to.include({ ok: true });
  });

  it('gives up after the retry budget, frees the transfer and closes the file', async () => {
    await setUp({ timeoutMs: 30, maxRetries: 2 });
    peer.send(rrq('a.cfg'), h.port);
    for (let i = 0; i < 3; i++) expect((await peer.next()).packet).to.include({ op: 'data', block: 1 });
    await waitUntil(() => h.closed.length === 1);
    const end = h.logs.find((e) => e.event === 'transfer-end');
    expect(end).to.include({ ok: false, reason: 'timeout', retransmits: 2 });
    expect(h.server.activeTransfers()).to.equal(0);
  });

  it('stops when the client sends an ERROR (e.g. refusing our OACK)', async () => {
    await setUp({ timeoutMs: 5000 });
    peer.send(rrq('a.cfg', [{ name: 'blksize', value: '9000' }]), h.port);
    const oack = await peer.next();
    peer.send(encodeError(8, 'blksize too small'), oack.port);
    await waitUntil(() => h.server.activeTransfers() === 0 && h.closed.length === 1);
    expect(h.logs.find((e) => e.event === 'transfer-end')).to.include({ ok: false, reason: 'client-error' });
  });

  it('serves an empty file as one empty DATA block', async () => {
    await setUp();
    peer.send(rrq('empty.cfg'), h.port);
    const d = await peer.next();
    expect(d.packet).to.deep.equal({ op: 'data', block: 1, data: Buffer.alloc(0) });
    peer.send(encodeAck(1), d.port);
    await waitUntil(() => h.logs.some((e) => e.event === 'transfer-end'));
    expect(h.logs.find((e) => e.event === 'transfer-end')).to.include({ ok: true, bytes: 0, blocks: 1 });
  });

  it('starts one transfer for a retransmitted RRQ from the same client port', async () => {
    await setUp({ timeoutMs: 5000 });
    peer.send(rrq('a.cfg'), h.port);
    peer.send(rrq('a.cfg'), h.port);
    const d1 = await peer.next();
    await waitUntil(() => h.logs.some((e) => e.event === 'duplicate-request'));
    expect(h.logs.filter((e) => e.event === 'transfer-start')).to.have.length(1);
    expect(peer.pending()).to.equal(0);
    expect(d1.packet).to.include({ block: 1 });
  });

  it('refuses write requests with error 2 and never asks the source', async () => {
    await setUp();
    peer.send(encodeRequest('wrq', 'a.cfg', 'octet'), h.port);
    const r = await peer.next();
    expect(r.packet).to.deep.equal({ op: 'error', code: 2, message: 'Write requests are refused' });
    expect(r.port).to.equal(h.port);
    expect(h.opened).to.deep.equal([]);
  });

  it('answers file not found with error 1', async () => {
    await setUp();
    peer.send(rrq('nope.cfg'), h.port);
    expect((await peer.next()).packet).to.deep.equal({ op: 'error', code: 1, message: 'File not found' });
    expect(h.opened).to.deep.equal(['nope.cfg']);
  });

  const hostile = [
    '../etc/passwd',
    '/etc/passwd',
    'a/../../etc/passwd',
    '..\\..\\boot.ini',
    'a\x01b',
    'a\nb',
    '.bashrc',
    'caf\u00e9.cfg',
    '${system(id)}',
    `${'x'.repeat(300)}.cfg`,
    'a/b/c/d.cfg',
  ];
  for (const name of hostile) {
    it(`refuses ${JSON.stringify(name).slice(0, 40)} with error 2 before the source sees it`, async () => {
      await setUp();
      peer.send(rrq(name), h.port);
      expect((await peer.next()).packet).to.deep.equal({ op: 'error', code: 2, message: 'Access violation' });
      expect(h.opened).to.deep.equal([]);
    });
  }

  it('refuses malformed datagrams and unknown modes on the listening port with error 4', async () => {
    await setUp();
    peer.send(Buffer.from([0, 1, 0x61, 0x62]), h.port); // RRQ without terminator
    expect((await peer.next()).packet).to.deep.include({ op: 'error', code: 4 });
    peer.send(Buffer.from([0, 9, 0, 0]), h.port);
    expect((await peer.next()).packet).to.deep.include({ op: 'error', code: 4 });
    peer.send(rrq('a.cfg', [], 'mail'), h.port);
    expect((await peer.next()).packet).to.deep.include({ op: 'error', code: 4 });
    expect(h.logs.filter((e) => e.event === 'malformed')).to.have.length(2);
  });

  it('ignores ACK, DATA, OACK and ERROR on the listening port (no error ping-pong)', async () => {
    await setUp();
    peer.send(encodeAck(3), h.port);
    peer.send(encodeError(0, 'hello'), h.port);
    peer.send(Buffer.from([0, 3, 0, 1, 0x61]), h.port);
    peer.send(Buffer.from([0, 6, 0x61, 0, 0x62, 0]), h.port);
    // Loopback keeps order: the first reply is the one to this request.
    peer.send(rrq('missing.cfg'), h.port);
    expect((await peer.next()).packet).to.deep.include({ op: 'error', code: 1 });
    expect(h.logs.filter((e) => e.event === 'stray').map((e) => (e as { op: string }).op)).to.deep.equal([
      'ack',
      'error',
      'data',
      'oack',
    ]);
  });

  it('serves netascii requests as the stored bytes, unconverted', async () => {
    await setUp();
    peer.send(rrq('a.cfg', [], 'NetASCII'), h.port);
    const d = await peer.next();
    expect((d.packet as { data: Buffer }).data).to.deep.equal(file.subarray(0, 512));
  });

  it('logs each request with its options exactly as sent', async () => {
    await setUp();
    const options = [
      { name: 'BLKSIZE', value: '1428' },
      { name: 'multicast', value: '' },
    ];
    peer.send(rrq('a.cfg', options), h.port);
    const oack = await peer.next();
    expect(oack.packet).to.deep.equal({ op: 'oack', options: [{ name: 'BLKSIZE', value: '1428' }] });
    expect(h.logs[0]).to.deep.equal({
      event: 'request',
      op: 'rrq',
      client: { address: '127.0.0.1', port: peer.port },
      filename: 'a.cfg',
      mode: 'octet',
      options,
    });
    const start = h.logs.find((e) => e.event === 'transfer-start');
    expect(start).to.deep.include({ ignored: [{ name: 'multicast', value: '' }], blksize: 1428, windowsize: 1 });
  });
});
