// Streaming a file FreeSWITCH wrote (a voicemail message) out of its host, locally or over SFTP, a byte range at a
// time: what the portal's player and a download need without holding the whole WAV in memory.
//
// Like recording-source.ts, only a regular file is served (no symlink followed, no FIFO waited on), and a file
// larger than the caller's bound is refused before a byte is read.
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { NotARecordingError, RecordingTooLargeError } from './recording-source';
import { call, openSftp, type SftpTarget } from './sftp-push';

export interface AudioFile {
  readonly size: number;
  /** Bytes `start`..`end` inclusive (default the whole file); the stream ends after `end` even if the file grew. */
  stream(start?: number, end?: number): Readable;
  /** Frees the file (and the SFTP session); safe to call twice. Streams already handed out are cut. */
  close(): Promise<void>;
}

export interface AudioFileSource {
  /** The file, or null when it does not exist. Throws NotARecordingError / RecordingTooLargeError. */
  open(path: string, maxBytes: number): Promise<AudioFile | null>;
}

const tooLarge = (path: string, size: number, max: number) =>
  new RecordingTooLargeError(`${path} is ${size} bytes (at most ${max})`);

function checkRange(size: number, start = 0, end = size - 1): [number, number] {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end >= size) {
    throw new RangeError(`bytes ${start}-${end} are outside a file of ${size} bytes`);
  }
  return [start, end];
}

/** FreeSWITCH's storage directory is readable here under the same path. */
export function localAudioFileSource(): AudioFileSource {
  return {
    async open(path, maxBytes) {
      const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
      const handle: FileHandle | null = await open(path, flags).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
        if (err.code === 'ELOOP') throw new NotARecordingError(`${path} is a symbolic link`);
        throw err;
      });
      if (!handle) return null;
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw new NotARecordingError(`${path} is not a regular file`);
        if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes);
        const streams = new Set<Readable>();
        let closed = false;
        return {
          size: stats.size,
          stream(start, end) {
            const [from, to] = checkRange(stats.size, start, end);
            const s = handle.createReadStream({ start: from, end: to, autoClose: false });
            streams.add(s);
            s.once('close', () => streams.delete(s));
            return s;
          },
          async close() {
            if (closed) return;
            closed = true;
            for (const s of streams) s.destroy();
            await handle.close();
          },
        };
      } catch (err) {
        await handle.close();
        throw err;
      }
    },
  };
}

/** Longest we wait for an SFTP session and the file's attributes before giving up. */
const SFTP_OPEN_TIMEOUT_MS = 15_000;

/** The storage directory is on the FreeSWITCH host: one SFTP session per opened file, ended by close(). */
export function sftpAudioFileSource(
  target: Omit<SftpTarget, 'remoteDir'>,
  timeoutMs = SFTP_OPEN_TIMEOUT_MS,
): AudioFileSource {
  return {
    async open(path, maxBytes) {
      const opening = new AbortController();
      const timer = setTimeout(() => opening.abort(), timeoutMs);
      let session: Awaited<ReturnType<typeof openSftp>> | undefined;
      try {
        session = await openSftp(target, opening.signal);
        const { sftp } = session;
        const stats = await call<{ size: number; isFile(): boolean }>((cb) => sftp.lstat(path, cb as never)).catch(
          (err: { code?: number }) => {
            if (err.code === 2) return null; // SSH_FX_NO_SUCH_FILE
            throw err;
          },
        );
        if (opening.signal.aborted) throw new Error(`opening ${path} over SFTP took more than ${timeoutMs} ms`);
        if (!stats) {
          session.end();
          return null;
        }
        if (!stats.isFile()) throw new NotARecordingError(`${path} is not a regular file`);
        if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes);
        const open = session;
        const streams = new Set<Readable>();
        let closed = false;
        return {
          size: stats.size,
          stream(start, end) {
            const [from, to] = checkRange(stats.size, start, end);
            // Through a PassThrough so a caller's destroy() also stops the SFTP read.
            const out = new PassThrough();
            const remote = sftp.createReadStream(path, { start: from, end: to });
            remote.on('error', (err: Error) => out.destroy(err));
            out.once('close', () => remote.destroy());
            remote.pipe(out);
            streams.add(out);
            out.once('close', () => streams.delete(out));
            return out;
          },
          async close() {
            if (closed) return;
            closed = true;
            for (const s of streams) s.destroy();
            open.end();
          },
        };
      } catch (err) {
        session?.destroy();
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
