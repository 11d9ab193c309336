// A minimal keep-alive HTTP/1.1 GET client over one socket (the boot-storm bench's second load generator).
// node:http's client costs 100–170 µs of CPU per request on this machine, which on 2 shared cores caps what any server can
// be shown to do; this one only writes a request and reads a Content-Length body, so the server's limit becomes visible.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  body: Buffer;
  /** WWW-Authenticate, when sent. */
  challenge: string | undefined;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class RawHttpConnection {
  private socket: Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly port: number,
    private readonly host = '127.0.0.1',
  ) {}

  /** Opens the connection now (a storm measures responses, not 200 handshakes racing the first requests). */
  async connect(): Promise<void> {
    await this.open();
  }

  private open(): Promise<Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port }, () => {
        socket.setNoDelay(true);
        this.socket = socket;
        resolve(socket);
      });
      socket.on('data', (chunk: Buffer) => {
        this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
        this.parse();
      });
      const fail = (err: Error) => {
        this.socket = null;
        this.buffer = Buffer.alloc(0);
        const w = this.waiting;
        this.waiting = null;
        w?.reject(err);
        reject(err);
      };
      socket.on('error', fail);
      socket.on('close', () => fail(new Error('connection closed')));
    });
  }

  private parse(): void {
    const end = this.buffer.indexOf(HEADER_END);
    if (end === -1 || !this.waiting) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const total = end + 4 + length;
    if (this.buffer.length < total) return;
    const body = this.buffer.subarray(end + 4, total);
    this.buffer = this.buffer.subarray(total);
    const challenge = /\r\nwww-authenticate:\s*([^\r]*)/i.exec(head)?.[1];
    const w = this.waiting;
    this.waiting = null;
    w.resolve({ status, body, challenge });
  }

  async get(path: string, headers: Record<string, string>): Promise<RawResponse> {
    const socket = await this.open();
    let text = `GET ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
    for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(`${text}\r\n`);
    });
  }

  close(): void {
    this.socket?.removeAllListeners('close');
    this.socket?.destroy();
    this.socket = null;
  }
}
