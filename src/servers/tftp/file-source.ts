// What the TFTP server reads from: a source the provisioning layer implements, plus in-memory and on-disk file helpers.
import type { Stats } from 'node:fs';
import { type FileHandle, stat as fsStat, open as openFile } from 'node:fs/promises';

export interface TftpClient {
  readonly address: string;
  readonly port: number;
}

/** One readable file for the length of one transfer. */
export interface TftpFile {
  /** Exact size in bytes; it is announced in tsize and decides the last block, so it must not change mid-transfer. */
  readonly size: number;
  /** Bytes [offset, offset + length); may return fewer only at end of file. The server asks in large chunks. */
  read(offset: number, length: number): Promise<Buffer>;
  /** Called exactly once when the transfer ends, however it ends. */
  close?(): Promise<void> | void;
}

/**
 * Decides which files exist. The server validates the name first (see checkFilename) and never touches the
 * filesystem itself. Return null for "no such file"; a thrown error becomes TFTP error 0 and is logged.
 */
export interface TftpFileSource {
  open(filename: string, client: TftpClient): Promise<TftpFile | null>;
}

/** A file served from memory; reads are zero-copy views of `buf`. */
export function bufferFile(buf: Buffer): TftpFile {
  return {
    size: buf.length,
    read: async (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)),
  };
}

interface SharedHandle {
  readonly handle: Promise<FileHandle>;
  refs: number;
}

/**
 * Open descriptors shared by every transfer of the same file (same device, inode, size and mtime): a thousand
 * transfers of one firmware image hold one descriptor, and a descriptor is closed when its last transfer ends.
 */
export class SharedFileHandles {
  private readonly open = new Map<string, SharedHandle>();

  /** Descriptors open now (for tests and metrics). */
  get size(): number {
    return this.open.size;
  }

  acquire(path: string, identity: string, matches: (s: Stats) => boolean): Promise<FileHandle> {
    let entry = this.open.get(identity);
    if (!entry) {
      const handle = openFile(path, 'r').then(async (h) => {
        // The path may have been replaced since the size was taken: then these are not the bytes announced.
        const stat = await h.stat().catch(() => null);
        if (stat && matches(stat)) return h;
        await h.close();
        throw new Error(`${path} changed on disk during the transfer`);
      });
      entry = { handle, refs: 0 };
      this.open.set(identity, entry);
      // A failed open is not kept for the next transfer (it asks again).
      handle.catch(() => {
        if (this.open.get(identity) === entry) this.open.delete(identity);
      });
    }
    entry.refs++;
    return entry.handle;
  }

  async release(identity: string): Promise<void> {
    const entry = this.open.get(identity);
    if (!entry || --entry.refs > 0) return;
    this.open.delete(identity);
    const handle = await entry.handle.catch(() => null);
    await handle?.close();
  }
}

const SHARED = new SharedFileHandles();

/**
 * A file streamed from disk (e.g. 40 MB firmware) without loading it into memory. Only stats the path now (a missing
 * file rejects with the fs error, ENOENT, for the source to map to null); the descriptor is opened on the first read
 * and shared with every other transfer of the same file, so a flood of requests that never acknowledge opens none,
 * and many transfers of one image hold one. Replacing the path atomically meanwhile is noticed (device, inode, size
 * and mtime are compared) and fails the transfer rather than sending other bytes than the announced size.
 */
export async function diskFile(path: string, handles: SharedFileHandles = SHARED): Promise<TftpFile> {
  const stat = await fsStat(path);
  if (!stat.isFile()) throw new Error(`${path} is not a regular file`);
  const identity = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  const matches = (s: Stats) =>
    s.isFile() && s.dev === stat.dev && s.ino === stat.ino && s.size === stat.size && s.mtimeMs === stat.mtimeMs;
  let handle: Promise<FileHandle> | null = null;
  let closed = false;
  return {
    size: stat.size,
    async read(offset, length) {
      if (closed) throw new Error(`${path}: read after close`);
      handle ??= handles.acquire(path, identity, matches);
      const h = await handle;
      const buf = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await h.read(buf, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === length ? buf : buf.subarray(0, filled);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (handle) await handles.release(identity);
    },
  };
}
