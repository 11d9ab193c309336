// Turns a TftpFile into DATA datagrams: reads large chunks, lays each out as ready-made datagrams (4-byte DATA header
// before every block), and reads the next chunk ahead. Sending a block is then one send of one slice: no allocation,
// no header written, no list of buffers per datagram (a 40 MB firmware is 29,000 of them at blksize 1428).
import type { TftpFile } from './file-source';
import { Opcode } from './packet';

export class TftpReadError extends Error {
  override name = 'TftpReadError';
}

const EMPTY = Buffer.alloc(0);
const HEADER = 4;

/** One chunk: its blocks' datagrams back to back, each HEADER + blksize bytes (the last may be shorter). */
interface Framed {
  readonly frames: Buffer;
  readonly first: number;
}

export class BlockReader {
  private readonly chunkBlocks: number;
  private readonly chunkBytes: number;
  private readonly lastChunk: number;
  private readonly stride: number;
  private readonly ready = new Map<number, Framed>();
  private readonly inflight = new Map<number, Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly file: TftpFile,
    private readonly blksize: number,
    chunkBytes = 256 * 1024,
  ) {
    this.chunkBlocks = Math.max(1, Math.floor(chunkBytes / blksize));
    this.chunkBytes = this.chunkBlocks * blksize;
    this.stride = HEADER + blksize;
    // The empty last block of a file whose size is a multiple of blksize lands in the chunk after the data.
    this.lastChunk = Math.floor(file.size / this.blksize / this.chunkBlocks);
  }

  /** The whole DATA datagram of 1-based block `index` if its chunk is in memory (the hot path), else undefined. */
  datagram(index: number): Buffer | undefined {
    const k = Math.floor((index - 1) / this.chunkBlocks);
    const chunk = this.ready.get(k);
    if (chunk === undefined) {
      this.fetch(k);
      return undefined;
    }
    if (this.ready.size > 1) {
      for (const key of this.ready.keys()) if (key < k) this.ready.delete(key);
    }
    this.fetch(k + 1);
    const start = (index - chunk.first) * this.stride;
    return chunk.frames.subarray(start, Math.min(start + this.stride, chunk.frames.length));
  }

  /** Payload of 1-based block `index` if its chunk is already in memory, else undefined. */
  peek(index: number): Buffer | undefined {
    return this.datagram(index)?.subarray(HEADER);
  }

  /** The DATA datagram of block `index`, waiting for the read if needed; rejects with TftpReadError or the source's. */
  async loadDatagram(index: number): Promise<Buffer> {
    // Two rounds suffice: after the chunk's read settles it is either ready or failed.
    for (let round = 0; round < 3; round++) {
      const d = this.datagram(index);
      if (d !== undefined) return d;
      if (this.failure !== undefined) throw this.failure;
      await this.inflight.get(Math.floor((index - 1) / this.chunkBlocks));
    }
    throw this.failure ?? new TftpReadError(`block ${index} could not be read`);
  }

  /** Payload of block `index`, waiting for the read if needed. */
  async load(index: number): Promise<Buffer> {
    return (await this.loadDatagram(index)).subarray(HEADER);
  }

  private fetch(k: number): void {
    if (k > this.lastChunk || this.ready.has(k) || this.inflight.has(k) || this.failure !== undefined) return;
    const offset = k * this.chunkBytes;
    const length = Math.max(0, Math.min(this.chunkBytes, this.file.size - offset));
    const done = Promise.resolve()
      .then(() => (length === 0 ? EMPTY : this.file.read(offset, length)))
      .then((buf) => {
        // A short read would make the client take a truncated file for a complete one.
        if (buf.length !== length) throw new TftpReadError(`read ${buf.length} of ${length} bytes at ${offset}`);
        this.ready.set(k, this.frame(buf, k * this.chunkBlocks + 1));
      })
      .catch((err: unknown) => {
        this.failure ??= err ?? new TftpReadError('read failed');
      })
      .finally(() => this.inflight.delete(k));
    this.inflight.set(k, done);
  }

  /**
   * The chunk's blocks as datagrams, up to the last block of the file, which is empty when the size is a multiple of
   * blksize (that block may share a chunk with the last data or be a chunk of its own).
   */
  private frame(data: Buffer, first: number): Framed {
    const blockCount = Math.floor(this.file.size / this.blksize) + 1;
    const blocks = Math.min(this.chunkBlocks, blockCount - first + 1);
    const frames = Buffer.allocUnsafe(data.length + blocks * HEADER);
    for (let i = 0; i < blocks; i++) {
      const at = i * this.stride;
      frames.writeUInt16BE(Opcode.DATA, at);
      frames.writeUInt16BE((first + i) & 0xffff, at + 2);
      data.copy(frames, at + HEADER, i * this.blksize, Math.min(data.length, (i + 1) * this.blksize));
    }
    return { frames, first };
  }
}
