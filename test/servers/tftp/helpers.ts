// Test helpers for the TFTP server: a server over an in-memory/disk file map, a raw UDP peer, and running client binaries.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { bufferFile, diskFile, type TftpFile } from '../../../src/servers/tftp/file-source';
import type { TftpLogEntry } from '../../../src/servers/tftp/log';
import { parsePacket, type TftpPacket } from '../../../src/servers/tftp/packet';
import { createTftpServer, type TftpServer, type TftpServerOptions } from '../../../src/servers/tftp/server';

export const HOST = '127.0.0.1';

export interface Harness {
  readonly server: TftpServer;
  readonly port: number;
  readonly logs: TftpLogEntry[];
  /** Every name the source was asked for, in order. */
  readonly opened: string[];
  /** Files whose close() ran. */
  readonly closed: string[];
}

/** A server whose source serves `files` (a Buffer from memory, a string as a path on disk). */
export async function startServer(
  files: Record<string, Buffer | { path: string }>,
  options: Partial<TftpServerOptions> = {},
): Promise<Harness> {
  const logs: TftpLogEntry[] = [];
  const opened: string[] = [];
  const closed: string[] = [];
  const server = await createTftpServer({
    address: HOST,
    port: 0,
    logger: (entry) => logs.push(entry),
    source: {
      async open(filename): Promise<TftpFile | null> {
        opened.push(filename);
        const entry = Object.hasOwn(files, filename) ? files[filename] : undefined;
        if (entry === undefined) return null;
        const file = Buffer.isBuffer(entry) ? bufferFile(entry) : await diskFile(entry.path);
        return {
          size: file.size,
          read: (offset, length) => file.read(offset, length),
          close: async () => {
            await file.close?.();
            closed.push(filename);
          },
        };
      },
    },
    ...options,
  });
  return { server, port: server.address().port, logs, opened, closed };
}

export interface Received {
  readonly packet: TftpPacket;
  readonly raw: Buffer;
  readonly port: number;
}

/** A bare UDP socket speaking TFTP by hand, for the cases a well-behaved client never produces. */
export class RawPeer {
  private readonly queue: Received[] = [];
  private waiter: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('message', (raw, rinfo) => {
      this.queue.push({ packet: parsePacket(raw), raw, port: rinfo.port });
      this.waiter?.();
    });
  }

  static async open(): Promise<RawPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
    return new RawPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(buf: Buffer, port: number): void {
    this.socket.send(buf, port, HOST);
  }

  /** The next datagram; rejects after `timeoutMs` so no test can hang. */
  async next(timeoutMs = 5000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no datagram within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.queue.shift() as Received;
  }

  /** The DATA packet for `block`, skipping retransmissions of the block before it (a slow test may cause them). */
  async nextData(block: number, timeoutMs = 5000): Promise<Received & { data: Buffer }> {
    for (let skipped = 0; skipped < 10; skipped++) {
      const r = await this.next(timeoutMs);
      if (r.packet.op === 'data' && r.packet.block === block) return { ...r, data: r.packet.data };
      const isResend = r.packet.op === 'data' && r.packet.block === ((block - 1) & 0xffff);
      if (!isResend) throw new Error(`expected DATA ${block}, got ${JSON.stringify(r.packet).slice(0, 80)}`);
    }
    throw new Error(`DATA ${block} never came`);
  }

  /** Datagrams that arrived and were not consumed yet. */
  pending(): number {
    return this.queue.length;
  }

  close(): void {
    this.socket.close();
  }
}

export const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

/** Deterministic non-repeating content, so a misplaced block shows up in the hash. */
export function pattern(size: number, seed = 1): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
  return buf;
}

export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

export interface ToolResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a client binary with a hard timeout; never rejects, the exit code tells. */
export function runTool(cmd: string, args: string[], timeoutMs = 60000, cwd?: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, cwd, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Waits until `predicate` holds, checking every 10 ms, at most `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
