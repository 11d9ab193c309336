// A real FTP server on loopback for tests: Debian's python3-pyftpdlib as a child process (plain FTP, or FTPS with
// explicit TLS required on control and data connections, using a throwaway self-signed certificate from openssl).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';

export interface TestFtpServer {
  port: number;
  username: string;
  password: string;
  /** The folder the FTP user sees as "/". */
  root: string;
  /** FTPS only: the server's self-signed certificate (PEM), for the client to trust. */
  cert: Buffer | null;
  close(): Promise<void>;
}

/** True when python3 with pyftpdlib is installed (Debian python3-pyftpdlib). */
export function ftpServerAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import pyftpdlib'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when FTPS can be served too (python3-openssl and the openssl tool). */
export function ftpsServerAvailable(): boolean {
  if (!ftpServerAvailable()) return false;
  try {
    execFileSync(PYTHON, ['-c', 'from pyftpdlib.handlers import TLS_FTPHandler'], { stdio: 'ignore' });
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Explicit FTPS (AUTH TLS) with TLS required on both channels; pyftpdlib's command line has no TLS switch.
// pyftpdlib 1.5.7 (Debian 12) closes a data channel that is polled before its transfer starts — which is always the
// case while the channel's TLS handshake runs — so every FTPS transfer failed with a reset; DTP keeps it open until then.
// Kept open, a data connection that never carried a transfer (the client's, after "550" to RETR of a missing file)
// would answer its close with "226 Transfer complete." out of turn; DTP closes those silently, as plain FTP does.
const TLS_SERVER = `
import sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import TLS_FTPHandler, TLS_DTPHandler
from pyftpdlib.servers import FTPServer
class DTP(TLS_DTPHandler):
    def readable(self):
        if self._ssl_requested and not self._ssl_established:
            return True
        return super().readable()
    def handle_close(self):
        if not self._initialized:
            self.close()
            return
        super().handle_close()
port, user, password, root, cert, key = sys.argv[1:7]
auth = DummyAuthorizer()
auth.add_user(user, password, root, perm='elradfmwMT')
handler = TLS_FTPHandler
handler.authorizer = auth
handler.dtp_handler = DTP
handler.certfile = cert
handler.keyfile = key
handler.tls_control_required = True
handler.tls_data_required = True
FTPServer(('127.0.0.1', int(port)), handler).serve_forever()
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the server sends its 220 greeting; bounded by `timeoutMs`. */
async function waitForGreeting(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FTP server exited with status ${child.exitCode}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(500, () => done(false));
      socket.once('data', (d) => done(d.toString().startsWith('220')));
      socket.once('error', () => done(false));
    });
    if (greeted) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('FTP server did not start in time');
}

export interface FtpServerOptions {
  username?: string;
  password?: string;
  tls?: boolean;
}

export async function startFtpServer(options: FtpServerOptions = {}): Promise<TestFtpServer> {
  const username = options.username ?? 'user';
  const password = options.password ?? 'pass-word-9';
  const root = mkdtempSync(join(tmpdir(), 'dialtone-ftp-root-'));
  const certDir = options.tls ? mkdtempSync(join(tmpdir(), 'dialtone-ftp-cert-')) : null;
  let cert: Buffer | null = null;
  if (certDir) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(certDir, 'key.pem'),
        '-out',
        join(certDir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(certDir, 'cert.pem'));
  }
  // A port picked free just before can be taken in between: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = certDir
      ? ['-c', TLS_SERVER, String(port), username, password, root, join(certDir, 'cert.pem'), join(certDir, 'key.pem')]
      : ['-m', 'pyftpdlib', '-i', '127.0.0.1', '-p', String(port), '-w', '-u', username, '-P', password, '-d', root];
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    try {
      await waitForGreeting(port, child, 10_000);
    } catch (err) {
      child.kill('SIGKILL');
      if (attempt === 4) {
        rmSync(root, { recursive: true, force: true });
        if (certDir) rmSync(certDir, { recursive: true, force: true });
        throw err;
      }
      continue;
    }
    return {
      port,
      username,
      password,
      root,
      cert,
      close: async () => {
        if (child.exitCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
          if (child.exitCode === null) child.kill('SIGKILL');
        }
        rmSync(root, { recursive: true, force: true });
        if (certDir) rmSync(certDir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('unreachable');
}
