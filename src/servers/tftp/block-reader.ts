// Turns a TftpFile into DATA payloads: reads large chunks, slices blocks out of them, and reads the next chunk ahead.
import type { TftpFile } from './file-source';

export class TftpReadError extends Error {
  override name = 'TftpReadError';
}

const EMPTY = Buffer.alloc(0);

export class BlockReader {
  private readonly chunkBlocks: number;
  private readonly chunkBytes: number;
  private readonly lastChunk: number;
  private readonly ready = new Map<number, Buffer>();
  private readonly inflight = new Map<number, Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly file: TftpFile,
    private readonly blksize: number,
    chunkBytes = 256 * 1024,
  ) {
    this.chunkBlocks = Math.max(1, Math.floor(chunkBytes / blksize));
    this.chunkBytes = this.chunkBlocks * blksize;
    // The empty last block of a file whose size is a multiple of blksize lands in the chunk after the data.
    this.lastChunk = Math.floor(file.size / this.blksize / this.chunkBlocks);
  }

  /** Payload of 1-based block `index` if its chunk is already in memory (the hot path), else undefined. */
  peek(index: number): Buffer | undefined {
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
    const start = (index - 1 - k * this.chunkBlocks) * this.blksize;
    return chunk.subarray(start, Math.min(start + this.blksize, chunk.length));
  }

  /** Payload of block `index`, waiting for the read if needed; rejects with TftpReadError or the source's error. */
  async load(index: number): Promise<Buffer> {
    // Two rounds suffice: after the chunk's read settles it is either ready or failed.
    for (let round = 0; round < 3; round++) {
      const block = this.peek(index);
      if (block !== undefined) return block;
      if (this.failure !== undefined) throw this.failure;
      await this.inflight.get(Math.floor((index - 1) / this.chunkBlocks));
    }
    throw this.failure ?? new TftpReadError(`block ${index} could not be read`);
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
        this.ready.set(k, buf);
      })
      .catch((err: unknown) => {
        this.failure ??= err ?? new TftpReadError('read failed');
      })
      .finally(() => this.inflight.delete(k));
    this.inflight.set(k, done);
  }
}
