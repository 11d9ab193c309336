// Pushes a generated tree to a FreeSWITCH host over SFTP with the same atomic symlink swap as writeTreeAtomic.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import type { ConnectConfig, SFTPWrapper } from 'ssh2';
import { type FileText, textOf } from './pack-tree';

export interface SftpTarget {
  host: string;
  port: number;
  username: string;
  /** PEM/OpenSSH private key, or a password. */
  privateKey?: Buffer | string;
  password?: string;
  /** Absolute remote path FreeSWITCH reads its conf from (becomes a symlink). */
  remoteDir: string;
  /** Optional SHA-256 host key fingerprint (base64) to pin; connection is refused on mismatch. */
  hostKeySha256?: string;
}

export class SftpPushError extends Error {
  override name = 'SftpPushError';
}

export function call<T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))));
}

async function mkdirp(sftp: SFTPWrapper, dir: string, made: Set<string>): Promise<void> {
  if (made.has(dir) || dir === '/' || dir === '.') return;
  await mkdirp(sftp, posix.dirname(dir), made);
  try {
    await call<void>((cb) => sftp.mkdir(dir, (e) => cb(e)));
  } catch (err) {
    const exists = await call<unknown>((cb) => sftp.stat(dir, cb)).then(
      () => true,
      () => false,
    );
    if (!exists) throw err;
  }
  made.add(dir);
}

async function removeTree(sftp: SFTPWrapper, dir: string): Promise<void> {
  const entries = await call<Array<{ filename: string; attrs: { isDirectory(): boolean } }>>((cb) =>
    sftp.readdir(dir, cb as never),
  );
  for (const e of entries) {
    const p = posix.join(dir, e.filename);
    if (e.attrs.isDirectory()) await removeTree(sftp, p);
    else await call<void>((cb) => sftp.unlink(p, (err) => cb(err)));
  }
  await call<void>((cb) => sftp.rmdir(dir, (err) => cb(err)));
}

/**
 * ssh2 is loaded at the first SFTP session, not with this module: every HTTP worker imports it (voicemail audio,
 * recordings) and most never open a session; loading it was a thirtieth of a worker's start.
 */
const loadSsh2 = () => createRequire(import.meta.url)('ssh2') as typeof import('ssh2');

/** An SFTP session on the target (password or key; the host key pinned when a fingerprint is given). */
export async function openSftp(
  target: Omit<SftpTarget, 'remoteDir'>,
  signal?: AbortSignal,
): Promise<{ sftp: SFTPWrapper; end: () => void; destroy: () => void }> {
  const { Client } = loadSsh2();
  const conn = new Client();
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.username,
    privateKey: target.privateKey,
    password: target.password,
    readyTimeout: 10000,
    hostHash: target.hostKeySha256 ? 'sha256' : undefined,
    hostVerifier: target.hostKeySha256
      ? (hash: string | Buffer) =>
          Buffer.from(String(hash), 'hex').toString('base64').replace(/=+$/, '') ===
          target.hostKeySha256?.replace(/=+$/, '')
      : undefined,
  } as ConnectConfig;
  // ssh2 can emit 'error' more than once (a handshake timeout, then the lost connection): the first one rejects,
  // later ones reach the pending operation's callback; unheard, any of them would end the process (this runs
  // inside the server for phone recordings).
  let failed: ((err: Error) => void) | null = null;
  conn.on('error', (err) => failed?.(err));
  const abort = () => {
    conn.destroy();
    failed?.(new Error('SFTP session abandoned'));
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      failed = reject;
      if (signal?.aborted) return abort();
      conn.once('ready', () => resolve());
      conn.connect(config);
    });
    failed = null;
    const sftp = await call<SFTPWrapper>((cb) => conn.sftp(cb));
    sftp.on('error', () => {}); // a protocol error fails the pending operation; unheard, it would end the process
    return { sftp, end: () => conn.end(), destroy: () => conn.destroy() };
  } catch (err) {
    conn.destroy();
    throw err;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/** Uploads every file, then swaps `remoteDir` to the new version in one rename. Returns the version directory. */
export async function pushTreeSftp(target: SftpTarget, files: Map<string, FileText>, keep = 3): Promise<string> {
  if (!posix.isAbsolute(target.remoteDir) || target.remoteDir.split('/').includes('..'))
    throw new SftpPushError('remote directory must be an absolute path without ..');
  const { sftp, end } = await openSftp(target);
  try {
    const versions = `${target.remoteDir}.versions`;
    const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
    const staging = posix.join(versions, `.staging-${id}`);
    const made = new Set<string>();
    await mkdirp(sftp, staging, made);
    for (const [path, text] of files) {
      if (path.startsWith('/') || path.split('/').includes('..')) throw new SftpPushError(`unsafe path ${path}`);
      const full = posix.join(staging, path);
      await mkdirp(sftp, posix.dirname(full), made);
      await call<void>((cb) => sftp.writeFile(full, textOf(text), (err) => cb(err)));
    }
    const finalDir = posix.join(versions, id);
    await call<void>((cb) => sftp.rename(staging, finalDir, (err) => cb(err)));
    const link = `${posix.dirname(target.remoteDir)}/.${posix.basename(target.remoteDir)}.link-${id}`;
    await call<void>((cb) => sftp.symlink(finalDir, link, (err) => cb(err)));
    // posix-rename@openssh.com replaces the old link atomically; plain SFTP rename refuses to overwrite.
    await call<void>((cb) => sftp.ext_openssh_rename(link, target.remoteDir, (err) => cb(err)));
    const names = (await call<Array<{ filename: string }>>((cb) => sftp.readdir(versions, cb as never)))
      .map((e) => e.filename)
      .filter((n) => !n.startsWith('.'))
      .sort();
    for (const n of names.slice(0, Math.max(0, names.length - keep)))
      if (posix.join(versions, n) !== finalDir) await removeTree(sftp, posix.join(versions, n));
    return finalDir;
  } finally {
    end();
  }
}

export interface AudioUpload {
  /** Path below the remote audio directory: `<context>/<name>` or `<context>/moh/<group id>/<name>`. */
  path: string;
  bytes: () => Promise<Buffer>;
  sizeBytes: number;
  sha256: string;
  /** FreeSWITCH wrote this file (a recording by phone): a copy it already has is never replaced. */
  recordedThere?: boolean;
}

/**
 * Uploads audio files below `remoteAudioDir`, each under a temporary name renamed over the old one (a call playing it
 * meanwhile reads the old bytes or the new). A remote file with the same bytes is left alone; the only files deleted
 * are extras inside `exactDirs` (hold-music folders, which Dialtone owns and mod_local_stream plays whole). `folders`
 * are made when missing (each PBX's own, where FreeSWITCH records greetings by phone: `record` makes no folder).
 * Returns how many files were uploaded.
 */
export async function pushAudioSftp(
  target: Omit<SftpTarget, 'remoteDir'>,
  remoteAudioDir: string,
  files: AudioUpload[],
  exactDirs: string[] = [],
  folders: string[] = [],
): Promise<number> {
  if (!posix.isAbsolute(remoteAudioDir) || remoteAudioDir.split('/').includes('..'))
    throw new SftpPushError('remote audio directory must be an absolute path without ..');
  const unsafe = (p: string) => p.startsWith('/') || p.split('/').includes('..');
  for (const p of [...files.map((f) => f.path), ...exactDirs, ...folders])
    if (unsafe(p)) throw new SftpPushError(`unsafe path ${p}`);
  if (!files.length && !exactDirs.length && !folders.length) return 0;
  const { sftp, end } = await openSftp(target);
  try {
    const made = new Set<string>();
    for (const f of folders) {
      const dir = posix.join(remoteAudioDir, f);
      if (
        await call<unknown>((cb) => sftp.stat(dir, cb as never)).then(
          () => true,
          () => false,
        )
      )
        continue;
      await mkdirp(sftp, dir, made);
      // Group-writable and setgid like the local delivery's folders: FreeSWITCH's user records into it.
      await call<void>((cb) => sftp.chmod(dir, 0o2775, (err) => cb(err)));
    }
    let uploaded = 0;
    for (const f of files) {
      const full = posix.join(remoteAudioDir, f.path);
      const size = await call<{ size: number }>((cb) => sftp.stat(full, cb as never)).then(
        (st) => st.size,
        () => -1,
      );
      if (size >= 0 && f.recordedThere) continue;
      // Same size: compare the bytes (greetings of the same length have the same size).
      if (size === f.sizeBytes) {
        const remote = await call<Buffer>((cb) => sftp.readFile(full, cb as never));
        if (createHash('sha256').update(remote).digest('hex') === f.sha256) continue;
      }
      await mkdirp(sftp, posix.dirname(full), made);
      const tmp = `${full}.${randomBytes(6).toString('hex')}.tmp`;
      const data = await f.bytes();
      try {
        await call<void>((cb) => sftp.writeFile(tmp, data, (err) => cb(err)));
        await call<void>((cb) => sftp.ext_openssh_rename(tmp, full, (err) => cb(err)));
      } catch (err) {
        await call<void>((cb) => sftp.unlink(tmp, (e) => cb(e))).catch(() => {});
        throw err;
      }
      uploaded++;
    }
    for (const d of exactDirs) {
      const dir = posix.join(remoteAudioDir, d);
      // Every step to the folder must be a real folder (a symlink planted in <context>/ must not redirect the
      // pruning), and only plain files and links in it are removed.
      let real = true;
      const parts = d.split('/');
      for (let i = 1; i <= parts.length && real; i++) {
        const st = await call<{ isDirectory(): boolean }>((cb) =>
          sftp.lstat(posix.join(remoteAudioDir, ...parts.slice(0, i)), cb as never),
        ).catch(() => null);
        real = st?.isDirectory() ?? false;
      }
      if (!real) continue;
      const keep = new Set(files.filter((f) => f.path.startsWith(`${d}/`)).map((f) => f.path.slice(d.length + 1)));
      const entries = await call<Array<{ filename: string; attrs: { isFile(): boolean; isSymbolicLink(): boolean } }>>(
        (cb) => sftp.readdir(dir, cb as never),
      );
      for (const e of entries)
        if (!keep.has(e.filename) && (e.attrs.isFile() || e.attrs.isSymbolicLink()))
          await call<void>((cb) => sftp.unlink(posix.join(dir, e.filename), (err) => cb(err)));
    }
    return uploaded;
  } finally {
    end();
  }
}
