// Where Dialtone reads a file FreeSWITCH wrote (a greeting recorded by phone): the FreeSWITCH host's audio directory,
// either on this machine's file system (FreeSWITCH on the same host, or the directory shared) or over SFTP.
//
// Only a regular file is read (no symlink followed, no FIFO waited on), at most `maxBytes` of it whatever its size
// turns out to be while it is read, and an SFTP read that stalls is given up after a while.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { call, openSftp, type SftpTarget } from './sftp-push';

export interface RecordingSource {
  /**
   * The file's bytes; null when it does not exist (a caller who hung up before the beep leaves none). A file larger
   * than `maxBytes`, or anything but a regular file, is refused with an error, without reading it.
   */
  read(path: string, maxBytes: number): Promise<Buffer | null>;
}

export class RecordingTooLargeError extends Error {
  override name = 'RecordingTooLargeError';
}

export class NotARecordingError extends Error {
  override name = 'NotARecordingError';
}

const tooLarge = (path: string, size: number, max: number) =>
  new RecordingTooLargeError(`${path} is ${size} bytes (at most ${max})`);

/** FreeSWITCH's audio directory is readable here under the same path. */
export function localRecordingSource(): RecordingSource {
  return {
    async read(path, maxBytes) {
      const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
      const handle = await open(path, flags).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        if (err.code === 'ELOOP') throw new NotARecordingError(`${path} is a symbolic link`);
        throw err;
      });
      if (!handle) return null;
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw new NotARecordingError(`${path} is not a regular file`);
        if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes);
        // Bounded even if the file grew since the stat.
        const buffer = Buffer.alloc(Math.min(maxBytes, stats.size) + 1);
        let length = 0;
        while (length < buffer.length) {
          const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
          if (bytesRead === 0) break;
          length += bytesRead;
        }
        if (length > maxBytes) throw tooLarge(path, length, maxBytes);
        return buffer.subarray(0, length);
      } finally {
        await handle.close();
      }
    },
  };
}

/** An SFTP read that takes longer than this is given up (the call record is then posted again later). */
const SFTP_READ_TIMEOUT_MS = 30_000;

/** The audio directory is on the FreeSWITCH host, read over SFTP (one session per file: recordings are rare). */
export function sftpRecordingSource(
  target: Omit<SftpTarget, 'remoteDir'>,
  timeoutMs = SFTP_READ_TIMEOUT_MS,
): RecordingSource {
  return {
    async read(path, maxBytes) {
      // The clock covers the whole read, opening the session included (the SFTP subsystem has no timeout of its own).
      const held: { session?: Awaited<ReturnType<typeof openSftp>>; timedOut?: boolean } = {};
      const opening = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          held.timedOut = true;
          opening.abort();
          held.session?.destroy();
          reject(new Error(`reading ${path} over SFTP took more than ${timeoutMs} ms`));
        }, timeoutMs);
      });
      const read = async (): Promise<Buffer | null> => {
        held.session = await openSftp(target, opening.signal);
        if (held.timedOut) held.session.destroy(); // opened after the clock ran out: nobody waits for it
        const { sftp } = held.session;
        const stats = await call<{ size: number; isFile(): boolean }>((cb) => sftp.lstat(path, cb as never)).catch(
          (err: { code?: number }) => {
            if (err.code === 2) return null; // SSH_FX_NO_SUCH_FILE
            throw err;
          },
        );
        if (!stats) return null;
        if (!stats.isFile()) throw new NotARecordingError(`${path} is not a regular file`);
        if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes);
        const chunks: Buffer[] = [];
        let length = 0;
        await new Promise<void>((resolve, reject) => {
          // Bounded even if the file grew since the stat.
          const stream = sftp.createReadStream(path, { start: 0, end: maxBytes });
          stream.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            length += chunk.length;
          });
          stream.once('error', reject);
          stream.once('end', () => resolve());
        });
        if (length > maxBytes) throw tooLarge(path, length, maxBytes);
        return Buffer.concat(chunks, length);
      };
      const reading = read();
      reading.catch(() => {}); // lost the race to the timeout: its error is not news
      try {
        return await Promise.race([reading, timeout]);
      } finally {
        clearTimeout(timer);
        held.session?.end();
      }
    },
  };
}
