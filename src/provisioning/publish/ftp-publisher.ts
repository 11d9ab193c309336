// FTP/FTPS publisher (basic-ftp): one control connection per publish, STOR to a temporary name, RNFR/RNTO over the file.
import { Readable, Writable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
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

function checkName(name: string): string {
  if (!NAME.test(name) || name.includes('..'))
    throw new PublishTargetError(`refusing remote name "${printable(name, 60)}"`);
  return name;
}

/** FTP "file unavailable / not found" (550) and "name not allowed" (553): for a read or delete, the file is not there. */
function isMissing(err: unknown): boolean {
  return err instanceof FTPError && (err.code === 550 || err.code === 553 || err.code === 450);
}

function reason(err: unknown): string {
  if (err instanceof FTPError) return `${err.code} ${err.message.replace(/^\d{3}[ -]/, '').trim()}`;
  return (err as Error)?.message ?? String(err);
}

class FtpDir implements RemoteDir {
  constructor(private readonly client: Client) {}

  async replace(tmp: string, name: string, body: Buffer): Promise<void> {
    checkName(tmp);
    checkName(name);
    try {
      await this.client.uploadFrom(Readable.from([body]), tmp);
    } catch (err) {
      await this.client.remove(tmp, true).catch(() => {});
      throw new PublishError('upload', `FTP upload of ${name} failed: ${reason(err)}`);
    }
    try {
      await this.client.rename(tmp, name);
    } catch (first) {
      // RNTO onto an existing file is a POSIX rename on most servers (vsftpd, proftpd, pure-ftpd, pyftpdlib); some
      // (IIS) refuse it: then delete and rename, which leaves the name missing for one round trip — never half a file.
      try {
        await this.client.remove(name);
        await this.client.rename(tmp, name);
      } catch {
        await this.client.remove(tmp, true).catch(() => {});
        throw new PublishError('rename', `FTP rename of ${name} failed: ${reason(first)}`);
      }
    }
  }

  async read(name: string): Promise<Buffer | null> {
    checkName(name);
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        done();
      },
    });
    try {
      await this.client.downloadTo(sink, name);
      return Buffer.concat(chunks);
    } catch (err) {
      if (isMissing(err)) return null;
      throw new PublishError('read', `FTP download of ${name} failed: ${reason(err)}`);
    }
  }

  async remove(name: string): Promise<void> {
    checkName(name);
    try {
      await this.client.remove(name);
    } catch (err) {
      if (!isMissing(err)) throw new PublishError('prune', `FTP delete of ${name} failed: ${reason(err)}`);
    }
  }

  async list(): Promise<string[]> {
    try {
      return (await this.client.list()).map((f) => f.name);
    } catch (err) {
      throw new PublishError('directory', `FTP listing failed: ${reason(err)}`);
    }
  }
}

export class FtpPublisher implements Publisher {
  readonly target: string;

  constructor(private readonly t: PublishTarget) {
    if (t.protocol !== 'ftp') throw new PublishTargetError('FtpPublisher needs an ftp:// target');
    remoteDir(t.dir);
    if (t.password === undefined) throw new PublishTargetError('FTP needs a password');
    checkSecret(t.password, 'password');
    checkSecret(t.username, 'user name');
    this.target = `${describeTarget(t)}${t.ftps ? ' (FTPS)' : ''}`;
  }

  async publish(set: PublishSet): Promise<PublishResult> {
    // A set with a bad name is refused before connecting: nothing is created or uploaded.
    checkPublishSet(set);
    const t = this.t;
    const client = new Client(t.timeoutMs ?? 15_000);
    try {
      try {
        await client.access({
          host: t.host,
          port: t.port,
          user: t.username,
          password: t.password,
          secure: t.ftps === true,
          secureOptions: t.ftps ? { ca: t.ca, servername: /^[0-9.:]+$/.test(t.host) ? undefined : t.host } : undefined,
        });
      } catch (err) {
        const refused = err instanceof FTPError && err.code === 530;
        throw new PublishError(
          refused ? 'login' : 'connect',
          refused
            ? `FTP login to ${t.host}:${t.port} as ${t.username} refused (${reason(err)})`
            : `FTP connection to ${t.host}:${t.port} failed: ${reason(err)}`,
        );
      }
      try {
        await client.ensureDir(t.dir);
      } catch (err) {
        throw new PublishError('directory', `FTP directory ${t.dir} cannot be used: ${reason(err)}`);
      }
      return await publishTo(new FtpDir(client), set, this.target);
    } finally {
      client.close();
    }
  }
}
