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
