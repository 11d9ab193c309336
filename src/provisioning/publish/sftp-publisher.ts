// SFTP publisher (ssh2): write to a temporary name, then posix-rename@openssh.com over the file (atomic replace).
import { posix } from 'node:path';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { printable } from '../../domain/printable';
import {
  checkPublishSet,
  PublishError,
  type Publisher,
  type PublishResult,
  type PublishSet,
  publishTo,
  type RemoteDir,
} from './publisher';
import { checkSecret, describeTarget, type PublishTarget, PublishTargetError, remoteDir } from './target';

const NAME = /^[.A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
// SFTP status codes (draft-ietf-secsh-filexfer-02): no such file.
const NO_SUCH_FILE = 2;

function call<T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))));
}

function missing(err: unknown): boolean {
  return (err as { code?: number })?.code === NO_SUCH_FILE;
}

class SftpDir implements RemoteDir {
  /** posix-rename@openssh.com replaces the target atomically; plain SFTP rename refuses an existing target. */
  private posixRename = true;

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly dir: string,
  ) {}

  private path(name: string): string {
    if (!NAME.test(name) || name.includes('..'))
      throw new PublishTargetError(`refusing remote name "${printable(name, 60)}"`);
    return posix.join(this.dir, name);
  }

  async replace(tmp: string, name: string, body: Buffer): Promise<void> {
    const from = this.path(tmp);
    const to = this.path(name);
    try {
      await call<void>((cb) => this.sftp.writeFile(from, body, { mode: 0o644 }, (e) => cb(e)));
    } catch (err) {
      await call<void>((cb) => this.sftp.unlink(from, (e) => cb(e))).catch(() => {});
      throw new PublishError('upload', `SFTP upload of ${name} failed: ${(err as Error).message}`);
    }
    try {
      if (this.posixRename) {
        try {
          await call<void>((cb) => this.sftp.ext_openssh_rename(from, to, (e) => cb(e)));
          return;
        } catch (err) {
          // ssh2 throws this before sending anything when the server did not announce the extension.
          if (!/does not support/.test((err as Error).message)) throw err;
          this.posixRename = false;
        }
      }
      // Without the extension: delete, then rename — the name is missing for one round trip, never half-written.
      await call<void>((cb) => this.sftp.unlink(to, (e) => cb(e))).catch((e) => {
        if (!missing(e)) throw e;
      });
      await call<void>((cb) => this.sftp.rename(from, to, (e) => cb(e)));
    } catch (err) {
      await call<void>((cb) => this.sftp.unlink(from, (e) => cb(e))).catch(() => {});
      throw new PublishError('rename', `SFTP rename of ${name} failed: ${(err as Error).message}`);
    }
  }

  async read(name: string): Promise<Buffer | null> {
    try {
      return await call<Buffer>((cb) => this.sftp.readFile(this.path(name), cb));
    } catch (err) {
      if (missing(err)) return null;
      throw new PublishError('read', `SFTP read of ${name} failed: ${(err as Error).message}`);
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await call<void>((cb) => this.sftp.unlink(this.path(name), (e) => cb(e)));
    } catch (err) {
      if (!missing(err)) throw new PublishError('prune', `SFTP delete of ${name} failed: ${(err as Error).message}`);
    }
  }

  async list(): Promise<string[]> {
    const entries = await call<Array<{ filename: string }>>((cb) => this.sftp.readdir(this.dir, cb as never)).catch(
      (err: Error) => {
        throw new PublishError('directory', `SFTP listing of ${this.dir} failed: ${err.message}`);
      },
    );
    return entries.map((e) => e.filename);
  }
}

async function mkdirp(sftp: SFTPWrapper, dir: string): Promise<void> {
  if (dir === '/') return;
  const exists = await call<{ isDirectory(): boolean }>((cb) => sftp.stat(dir, cb)).then(
    (s) => s.isDirectory(),
    () => null,
  );
  if (exists === true) return;
  if (exists === false) throw new Error(`${dir} exists and is not a directory`);
  await mkdirp(sftp, posix.dirname(dir));
  await call<void>((cb) => sftp.mkdir(dir, (e) => cb(e)));
}

export class SftpPublisher implements Publisher {
  readonly target: string;

  constructor(private readonly t: PublishTarget) {
    if (t.protocol !== 'sftp') throw new PublishTargetError('SftpPublisher needs an sftp:// target');
    remoteDir(t.dir);
    if (t.password === undefined && t.privateKey === undefined)
      throw new PublishTargetError('SFTP needs a password or a private key');
    if (t.password !== undefined) checkSecret(t.password, 'password');
    this.target = describeTarget(t);
  }

  async publish(set: PublishSet): Promise<PublishResult> {
    // A set with a bad name is refused before connecting: nothing is created or uploaded.
    checkPublishSet(set);
    const t = this.t;
    const conn = new Client();
    const pin = t.hostKeySha256?.replace(/^SHA256:/, '').replace(/=+$/, '');
    const config: ConnectConfig = {
      host: t.host,
      port: t.port,
      username: t.username,
      password: t.password,
      privateKey: t.privateKey,
      readyTimeout: t.timeoutMs ?? 15_000,
      ...(pin
        ? {
            hostHash: 'sha256',
            hostVerifier: (hash: string) => Buffer.from(hash, 'hex').toString('base64').replace(/=+$/, '') === pin,
          }
        : {}),
    } as ConnectConfig;
    try {
      await new Promise<void>((resolve, reject) => {
        conn.once('ready', () => resolve());
        conn.once('error', reject);
        conn.connect(config);
      });
    } catch (err) {
      const e = err as Error & { level?: string };
      const refused = e.level === 'client-authentication';
      conn.end();
      throw new PublishError(
        refused ? 'login' : 'connect',
        refused
          ? `SFTP login to ${t.host}:${t.port} as ${t.username} refused (${e.message})`
          : `SFTP connection to ${t.host}:${t.port} failed: ${e.message}`,
      );
    }
    // A connection lost later must not become an unhandled 'error' event.
    conn.on('error', () => {});
    try {
      const sftp = await call<SFTPWrapper>((cb) => conn.sftp(cb)).catch((err: Error) => {
        throw new PublishError('connect', `SFTP subsystem refused by ${t.host}:${t.port}: ${err.message}`);
      });
      await mkdirp(sftp, t.dir).catch((err: Error) => {
        throw new PublishError('directory', `SFTP directory ${t.dir} cannot be used: ${err.message}`);
      });
      return await publishTo(new SftpDir(sftp, t.dir), set, this.target);
    } finally {
      conn.end();
    }
  }
}
