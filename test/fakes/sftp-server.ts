// A real SFTP server on loopback: ssh2 handles SSH, Debian's OpenSSH sftp-server binary speaks SFTP to the real filesystem.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Server, utils } from 'ssh2';

export const SFTP_SERVER_BIN = '/usr/lib/openssh/sftp-server';

export interface TestSftpServer {
  port: number;
  username: string;
  password: string;
  close(): Promise<void>;
}

export function sftpServerAvailable(): boolean {
  return existsSync(SFTP_SERVER_BIN);
}

// ssh2's keygen drops a key's leading zero byte about once in 250 keys and then cannot parse its own output
// (seen in CI as "Malformed OpenSSH private key"), so draw until a key parses; bounded, and it fails loudly.
function ed25519HostKey(): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const key = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
  throw new Error('ssh2 produced 20 unparsable ed25519 host keys in a row');
}

export async function startSftpServer(username = 'deploy', password = 'correct-horse-42'): Promise<TestSftpServer> {
  const hostKey = ed25519HostKey();
  // The ident says OpenSSH because the SFTP side is OpenSSH's: ssh2 clients then apply its (reversed) symlink argument order.
  const server = new Server({ hostKeys: [hostKey], ident: 'OpenSSH_9.2p1 Debian-2+deb12u6' }, (client) => {
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('subsystem', (acceptSub, _reject, info) => {
          if (info.name !== 'sftp') return;
          const channel = acceptSub();
          const child = spawn(SFTP_SERVER_BIN, ['-e'], { stdio: ['pipe', 'pipe', 'ignore'] });
          channel.pipe(child.stdin);
          child.stdout.pipe(channel);
          child.on('exit', () => channel.close());
          channel.on('close', () => child.kill());
        });
      });
    });
    client.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    username,
    password,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
