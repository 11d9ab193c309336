// Where Dialtone reads a file FreeSWITCH wrote (a greeting recorded by phone): the FreeSWITCH host's audio directory,
// either on this machine's file system (FreeSWITCH on the same host, or the directory shared) or over SFTP.
import { open } from 'node:fs/promises';
import { call, openSftp, type SftpTarget } from './sftp-push';

export interface RecordingSource {
  /**
   * The file's bytes; null when it does not exist (a caller who hung up before the beep leaves none). A file larger
   * than `maxBytes` is refused with an error, without reading it.
   */
  read(path: string, maxBytes: number): Promise<Buffer | null>;
}

export class RecordingTooLargeError extends Error {
  override name = 'RecordingTooLargeError';
}

/** FreeSWITCH's audio directory is readable here under the same path. */
export function localRecordingSource(): RecordingSource {
  return {
    async read(path, maxBytes) {
      const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      if (!handle) return null;
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) throw new RecordingTooLargeError(`${path} is ${size} bytes (at most ${maxBytes})`);
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
  };
}

/** The audio directory is on the FreeSWITCH host, read over SFTP (one session per file: recordings are rare). */
export function sftpRecordingSource(target: Omit<SftpTarget, 'remoteDir'>): RecordingSource {
  return {
    async read(path, maxBytes) {
      const { sftp, end } = await openSftp(target);
      try {
        const stats = await call<{ size: number }>((cb) => sftp.stat(path, cb as never)).catch(
          (err: { code?: number }) => {
            if (err.code === 2) return null; // SSH_FX_NO_SUCH_FILE
            throw err;
          },
        );
        if (!stats) return null;
        if (stats.size > maxBytes)
          throw new RecordingTooLargeError(`${path} is ${stats.size} bytes (at most ${maxBytes})`);
        return await call<Buffer>((cb) => sftp.readFile(path, cb as never));
      } finally {
        end();
      }
    },
  };
}
