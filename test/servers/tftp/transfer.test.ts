// Read-transfer state machine and block reader: block counts, rollover, duplicate ACKs, retries, chunked reads.
import { expect } from 'chai';
import { BlockReader, TftpReadError } from '../../../src/servers/tftp/block-reader';
import { bufferFile, type TftpFile } from '../../../src/servers/tftp/file-source';
import { ReadTransfer } from '../../../src/servers/tftp/transfer';

const transfer = (size: number, blksize = 512, oack = false, maxRetries = 3) =>
  new ReadTransfer({ size, blksize, oack, maxRetries });

describe('tftp read transfer', () => {
  it('counts blocks, including the empty last block of an exact multiple', () => {
    expect(transfer(0).blockCount).to.equal(1);
    expect(transfer(1).blockCount).to.equal(1);
    expect(transfer(511).blockCount).to.equal(1);
    expect(transfer(512).blockCount).to.equal(2);
    expect(transfer(1024).blockCount).to.equal(3);
    expect(transfer(32 * 1024 * 1024 + 1000).blockCount).to.equal(65538);
    expect(transfer(512).range(2)).to.deep.equal({ offset: 512, length: 0 });
    expect(transfer(700).range(2)).to.deep.equal({ offset: 512, length: 188 });
  });

  it('without options starts with block 1 and completes on the last ACK', () => {
    const t = transfer(600);
    expect(t.start()).to.deep.equal({ type: 'send-block', index: 1, retransmit: false });
    expect(t.ack(1)).to.deep.equal({ type: 'send-block', index: 2, retransmit: false });
    expect(t.ack(2)).to.deep.equal({ type: 'complete' });
    expect(t.finished).to.equal(true);
  });

  it('with options sends the OACK and waits for ACK 0', () => {
    const t = transfer(10, 1428, true);
    expect(t.start()).to.deep.equal({ type: 'send-oack' });
    expect(t.ack(1)).to.deep.equal({ type: 'wait' });
    expect(t.ack(0)).to.deep.equal({ type: 'send-block', index: 1, retransmit: false });
    expect(t.ack(1)).to.deep.equal({ type: 'complete' });
  });

  it('ignores duplicate and stale ACKs instead of resending (no Sorcerer’s Apprentice)', () => {
    const t = transfer(2000);
    t.start();
    expect(t.ack(1).type).to.equal('send-block');
    expect(t.ack(1)).to.deep.equal({ type: 'wait' });
    expect(t.ack(0)).to.deep.equal({ type: 'wait' });
    expect(t.ack(7)).to.deep.equal({ type: 'wait' });
    expect(t.block).to.equal(2);
  });

  it('resends on timeout a bounded number of times, then gives up', () => {
    const t = transfer(2000, 512, false, 2);
    t.start();
    t.ack(1);
    expect(t.timeout()).to.deep.equal({ type: 'send-block', index: 2, retransmit: true });
    expect(t.timeout()).to.deep.equal({ type: 'send-block', index: 2, retransmit: true });
    expect(t.timeout()).to.deep.equal({ type: 'give-up' });
    expect(t.finished).to.equal(true);
    expect(t.ack(2)).to.deep.equal({ type: 'wait' });
    expect(t.retransmits).to.equal(2);
  });

  it('an ACK resets the retry budget; the OACK is retransmitted too', () => {
    const t = transfer(2000, 512, true, 1);
    t.start();
    expect(t.timeout()).to.deep.equal({ type: 'send-oack' });
    t.ack(0);
    expect(t.timeout().type).to.equal('send-block');
    t.ack(1);
    expect(t.timeout().type).to.equal('send-block');
    expect(t.timeout()).to.deep.equal({ type: 'give-up' });
  });

  it('rolls block numbers over: the block after 65535 is 0 on the wire', () => {
    const t = transfer(65537 * 512 + 5);
    t.start();
    for (let wire = 1; wire <= 65535; wire++) expect(t.ack(wire).type).to.equal('send-block');
    expect(t.block).to.equal(65536);
    expect(t.ack(65535)).to.deep.equal({ type: 'wait' }); // duplicate of the previous one
    expect(t.ack(0)).to.deep.equal({ type: 'send-block', index: 65537, retransmit: false });
    expect(t.ack(1)).to.deep.equal({ type: 'send-block', index: 65538, retransmit: false });
    expect(t.blockCount).to.equal(65538);
    expect(t.ack(2)).to.deep.equal({ type: 'complete' });
  });
});

describe('tftp read transfer with windowsize (RFC 7440)', () => {
  const windowed = (size: number, windowsize: number, blksize = 512, maxRetries = 3) =>
    new ReadTransfer({ size, blksize, oack: true, maxRetries, windowsize });

  it('sends a window per ACK, a short last window, and completes on the last block', () => {
    const t = windowed(10 * 512 + 7, 4); // 11 blocks
    expect(t.start()).to.deep.equal({ type: 'send-oack' });
    expect(t.ack(0)).to.deep.equal({ type: 'send-block', index: 1, retransmit: false, count: 4 });
    expect(t.ack(4)).to.deep.equal({ type: 'send-block', index: 5, retransmit: false, count: 4 });
    expect(t.ack(8)).to.deep.equal({ type: 'send-block', index: 9, retransmit: false, count: 3 });
    expect(t.ack(11)).to.deep.equal({ type: 'complete' });
  });

  it('after a gap the client acknowledges the last block it got in order: the window goes again from there, once', () => {
    const t = windowed(20 * 512, 8);
    t.start();
    t.ack(0);
    // Block 4 lost: the client ACKs 3 (perhaps several times, once per out-of-order block).
    expect(t.ack(3)).to.deep.equal({ type: 'send-block', index: 4, retransmit: true, count: 8 });
    expect(t.ack(3)).to.deep.equal({ type: 'wait' });
    expect(t.ack(3)).to.deep.equal({ type: 'wait' });
    expect(t.ack(11)).to.deep.equal({ type: 'send-block', index: 12, retransmit: false, count: 8 });
    expect(t.retransmits).to.equal(5);
  });

  it('ignores ACKs outside the window in flight (stale or from the future)', () => {
    const t = windowed(20 * 512, 4);
    t.start();
    t.ack(0);
    t.ack(4);
    expect(t.ack(4)).to.deep.equal({ type: 'wait' });
    expect(t.ack(2)).to.deep.equal({ type: 'wait' });
    expect(t.ack(9)).to.deep.equal({ type: 'wait' });
    expect(t.block).to.equal(5);
  });

  it('resends the whole window on timeout, a bounded number of times', () => {
    const t = windowed(20 * 512, 4, 512, 1);
    t.start();
    t.ack(0);
    t.ack(4);
    expect(t.timeout()).to.deep.equal({ type: 'send-block', index: 5, retransmit: true, count: 4 });
    expect(t.timeout()).to.deep.equal({ type: 'give-up' });
  });

  it('rolls block numbers over inside a window', () => {
    const t = windowed(65540 * 512, 16);
    t.start();
    t.ack(0);
    let next: ReturnType<ReadTransfer['ack']> = { type: 'wait' };
    for (let acked = 16; acked <= 65520; acked += 16) next = t.ack(acked & 0xffff);
    expect(next).to.deep.equal({ type: 'send-block', index: 65521, retransmit: false, count: 16 });
    // Window 65521…65536: the last block of it is 0 on the wire.
    expect(t.ack(0)).to.deep.equal({ type: 'send-block', index: 65537, retransmit: false, count: 5 });
    expect(t.ack(65536 & 0xffff)).to.deep.equal({ type: 'wait' });
    expect(t.ack(5)).to.deep.equal({ type: 'complete' });
  });
});

describe('tftp block reader', () => {
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

  it('slices blocks out of chunks and reads the next chunk ahead', async () => {
    const reads: [number, number][] = [];
    const file: TftpFile = {
      size: data.length,
      read: async (offset, length) => {
        reads.push([offset, length]);
        return data.subarray(offset, offset + length);
      },
    };
    const reader = new BlockReader(file, 512, 1024); // 2 blocks per chunk
    expect(reader.peek(1)).to.equal(undefined);
    expect(await reader.load(1)).to.deep.equal(data.subarray(0, 512));
    expect(reader.peek(2)).to.deep.equal(data.subarray(512, 1024));
    await reader.load(3); // read ahead was already requested by the first peek
    expect(reads.slice(0, 2)).to.deep.equal([
      [0, 1024],
      [1024, 1024],
    ]);
    for (let i = 3; i <= 10; i++) {
      expect(await reader.load(i)).to.deep.equal(data.subarray((i - 1) * 512, Math.min(i * 512, data.length)));
    }
    expect(reads.every(([offset, length]) => offset + length <= data.length)).to.equal(true);
  });

  it('hands out whole DATA datagrams: header (opcode 3, block number mod 65536) and payload', async () => {
    const reader = new BlockReader(bufferFile(data), 512, 1024);
    const d = await reader.loadDatagram(3);
    expect(d.readUInt16BE(0)).to.equal(3);
    expect(d.readUInt16BE(2)).to.equal(3);
    expect(d.subarray(4)).to.deep.equal(data.subarray(1024, 1536));
    expect((await reader.loadDatagram(10)).length).to.equal(4 + (5000 - 9 * 512));
    const big = new BlockReader(bufferFile(Buffer.alloc(8 * 65537, 7)), 8, 4096);
    const rolled = await big.loadDatagram(65537);
    expect(rolled.readUInt16BE(2)).to.equal(1);
    expect(rolled.length).to.equal(12);
    expect((await big.loadDatagram(65538)).length, 'the empty last block').to.equal(4);
  });

  it('gives the empty last block of an exact multiple without reading past the end', async () => {
    const reader = new BlockReader(bufferFile(Buffer.alloc(1024, 1)), 512, 1024);
    expect((await reader.load(2)).length).to.equal(512);
    expect((await reader.load(3)).length).to.equal(0);
    expect((await new BlockReader(bufferFile(Buffer.alloc(0)), 512).load(1)).length).to.equal(0);
  });

  it('fails on a short read instead of sending a truncated file', async () => {
    const file: TftpFile = { size: 4096, read: async (_offset, length) => Buffer.alloc(Math.min(length, 100)) };
    let error: unknown;
    await new BlockReader(file, 512, 1024).load(1).catch((e) => {
      error = e;
    });
    expect(error).to.be.instanceOf(TftpReadError);
  });

  it('surfaces the source’s own read error, even from a synchronous throw', async () => {
    const file: TftpFile = {
      size: 4096,
      read: () => {
        throw new Error('disk on fire');
      },
    };
    let error: unknown;
    await new BlockReader(file, 512).load(1).catch((e) => {
      error = e;
    });
    expect((error as Error).message).to.equal('disk on fire');
  });
});
