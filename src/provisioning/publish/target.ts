// Where rendered files are published: ftp://user@host:port/dir or sftp://user@host:port/dir, parsed strictly.
//
// The URL is parsed by hand, not with WHATWG URL: that would silently resolve "a/../b" to "b", and a hostile or mistyped
// path must be refused, not reinterpreted. Everything that reaches an FTP command line (user, password, directory, file
// names) is checked here, because a CR/LF would start a second command on the control connection.

/** A target that cannot be used as given; the message names the part and never repeats a password. */
export class PublishTargetError extends Error {
  override name = 'PublishTargetError';
}

export type PublishProtocol = 'ftp' | 'sftp';

export interface PublishTarget {
  protocol: PublishProtocol;
  host: string;
  port: number;
  username: string;
  /**
   * Remote directory: "/" or "/a/b" ('/'-separated, no trailing slash). SFTP reads it as an absolute path; FTP as a path
   * from the server's root as the FTP user sees it (chrooted servers such as vsftpd and pyftpdlib show their own root).
   */
  dir: string;
  password?: string;
  /** SFTP: private key (PEM or OpenSSH format). */
  privateKey?: Buffer;
  /** FTP: explicit TLS (AUTH TLS) on the control and data connections; the server's certificate is verified. */
  ftps?: boolean;
  /** FTPS: certificates to trust instead of the system CAs (a site's own CA or a self-signed server). */
  ca?: Buffer;
  /** SFTP: pin the server's host key by its SHA-256 fingerprint (base64, as `ssh-keygen -lf` prints it after "SHA256:"). */
  hostKeySha256?: string;
  /** Connect/login and per-command timeout, ms (default 15 s). */
  timeoutMs?: number;
}

const URL_RE =
  /^(ftp|sftp):\/\/([^@/\s]+)@([A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::(\d{1,5}))?(\/[^?#]*)?$/;
const SEGMENT_RE = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}$/;
const USER_RE = /^[A-Za-z0-9._@+-]{1,64}$/;
/** A file name we write: a plain name without folders, dots at the start or anything a command line could carry. */
const FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const DEFAULT_PORTS: Readonly<Record<PublishProtocol, number>> = { ftp: 21, sftp: 22 };

/** The parts of a publish URL (credentials are given separately, never inside the URL). */
export function parsePublishUrl(raw: string): Pick<PublishTarget, 'protocol' | 'host' | 'port' | 'username' | 'dir'> {
  if (raw.length > 1024) throw new PublishTargetError('the target URL is too long');
  if (/[\u0000-\u001f\u007f\\]/.test(raw))
    throw new PublishTargetError('the target URL contains a control character or a backslash');
  const m = URL_RE.exec(raw);
  if (!m)
    throw new PublishTargetError('the target must look like ftp://user@host[:port]/dir or sftp://user@host[:port]/dir');
  const protocol = m[1] as PublishProtocol;
  if (m[2]!.includes(':')) throw new PublishTargetError('give the password with --password, not inside the URL');
  let username: string;
  try {
    username = decodeURIComponent(m[2]!);
  } catch {
    throw new PublishTargetError('the user name in the target URL is not valid percent-encoding');
  }
  if (!USER_RE.test(username))
    throw new PublishTargetError('the user name may hold letters, digits and . _ @ + - only');
  const port = m[4] === undefined ? DEFAULT_PORTS[protocol] : Number(m[4]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PublishTargetError('the port must be 1 to 65535');
  return { protocol, host: m[3]!.replace(/^\[|\]$/g, ''), port, username, dir: remoteDir(m[5] ?? '/') };
}

/** Checks a remote directory path and returns it without a trailing slash ("/" stays "/"). */
export function remoteDir(path: string): string {
  if (!path.startsWith('/')) throw new PublishTargetError('the remote directory must start with /');
  const segments = path.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  for (const s of segments) {
    if (s === '..' || s === '.') throw new PublishTargetError('the remote directory must not contain . or .. segments');
    if (s === '') throw new PublishTargetError('the remote directory must not contain //');
    if (!SEGMENT_RE.test(s))
      throw new PublishTargetError(
        `remote directory part "${s.slice(0, 40)}" may hold letters, digits and . _ ~ - only (not starting with .)`,
      );
  }
  return `/${segments.join('/')}`;
}

/** True for a name this module may create, replace or delete in the target directory. */
export function isPublishableName(name: string): boolean {
  return FILE_RE.test(name) && !name.includes('..');
}

/** A secret must fit on one FTP/SSH command line. */
export function checkSecret(value: string, what: string): void {
  if (value.length === 0 || value.length > 1024 || /[\u0000\r\n]/.test(value))
    throw new PublishTargetError(`the ${what} must be 1 to 1024 characters without line breaks`);
}

/** The target as people may see it: no password, no key. */
export function describeTarget(t: Pick<PublishTarget, 'protocol' | 'host' | 'port' | 'username' | 'dir'>): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.protocol}://${encodeURIComponent(t.username)}@${host}:${t.port}${t.dir}`;
}
