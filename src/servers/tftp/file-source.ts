// What the TFTP server reads from: a source the provisioning layer implements, plus in-memory and on-disk file helpers.
import { open } from 'node:fs/promises';

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

/**
 * A file streamed from disk (e.g. 40 MB firmware) without loading it into memory. Opens now, so a missing file
 * rejects here with the fs error (ENOENT) for the source to map to null; the size is taken once at open and the
 * open descriptor keeps reading the same bytes even if the path is atomically replaced meanwhile.
 */
export async function diskFile(path: string): Promise<TftpFile> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`${path} is not a regular file`);
    return {
      size: stat.size,
      async read(offset, length) {
        const buf = Buffer.allocUnsafe(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(buf, filled, length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === length ? buf : buf.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
