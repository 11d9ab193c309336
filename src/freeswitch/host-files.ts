// Read access to the FreeSWITCH host's files, for checks before a tree is delivered: this machine, or over SFTP.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { SFTPWrapper } from 'ssh2';
import type { HostFiles } from './host-sounds';
import { call } from './sftp-push';

const MAX_TEXT = 4 * 1024 * 1024;

export function localHostFiles(): HostFiles {
  return {
    isFile: (path) =>
      stat(path).then(
        (s) => s.isFile(),
        () => false,
      ),
    read: async (path) => {
      try {
        if ((await stat(path)).size > MAX_TEXT) return null;
        return await readFile(path, 'utf8');
      } catch {
        return null;
      }
    },
    list: (dir) => readdir(dir).catch(() => null),
  };
}

export function sftpHostFiles(sftp: SFTPWrapper): HostFiles {
  return {
    isFile: (path) =>
      call<{ isFile(): boolean }>((cb) => sftp.stat(path, cb as never)).then(
        (s) => s.isFile(),
        () => false,
      ),
    read: (path) =>
      call<Buffer>((cb) => sftp.readFile(path, cb as never)).then(
        (b) => (b.length > MAX_TEXT ? null : b.toString('utf8')),
        () => null,
      ),
    list: (dir) =>
      call<Array<{ filename: string }>>((cb) => sftp.readdir(dir, cb as never)).then(
        (entries) => entries.map((e) => e.filename),
        () => null,
      ),
  };
}
