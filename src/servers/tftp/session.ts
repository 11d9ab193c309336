// One read transfer on its own UDP port (the server's TID): drives ReadTransfer with ACKs, timers and file reads.
import type { RemoteInfo, Socket } from 'node:dgram';
import { BlockReader } from './block-reader';
import type { TftpClient, TftpFile } from './file-source';
import { ErrorCode, encodeError, Opcode, parsePacket, TftpPacketError } from './packet';
import type { ReadTransfer, TransferAction } from './transfer';

export type SessionEnd =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'timeout' | 'client-error' | 'read-error' | 'closed';
      readonly detail?: string;
    };

export interface SessionDeps {
  readonly socket: Socket;
  readonly client: TftpClient;
  readonly file: TftpFile;
  readonly transfer: ReadTransfer;
  /** Encoded OACK, when options were accepted. */
  readonly oack: Buffer | undefined;
  readonly timeoutMs: number;
  readonly readChunkBytes: number;
  /** A packet arrived from an address/port that is not this transfer's client. */
  readonly onWrongTid: (from: TftpClient) => void;
  /**
   * The client acknowledged what we sent, once per transfer: it receives on the address it claims, so the request was
   * not spoofed (a flood from forged addresses never gets here).
   */
  readonly onProven: () => void;
  readonly onEnd: (end: SessionEnd) => void;
}

const UNKNOWN_TID = encodeError(ErrorCode.UNKNOWN_TID, 'Unknown transfer ID');

export class ReadSession {
  private readonly reader: BlockReader;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private ended = false;
  private proven = false;
  /** Resolves once the transfer's socket is closed. */
  readonly closed: Promise<void>;

  constructor(private readonly deps: SessionDeps) {
    this.closed = new Promise((resolve) => deps.socket.once('close', () => resolve()));
    this.reader = new BlockReader(deps.file, deps.transfer.params.blksize, deps.readChunkBytes);
    deps.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    // A failed send (ENOBUFS under load, say) surfaces here; treat it like a lost datagram and let the
    // retransmission timer retry, so a socket that keeps failing ends as a timeout after maxRetries.
    deps.socket.on('error', () => {});
  }

  start(): void {
    this.timer = setTimeout(() => this.onTimeout(), this.deps.timeoutMs);
    this.perform(this.deps.transfer.start());
  }

  /** Stops the transfer, telling the client why (server shutting down, slot taken back, lifetime over). */
  abort(message: string, reason: 'closed' | 'timeout' = 'closed'): void {
    if (this.ended) return;
    this.deps.transfer.abort();
    this.sendTo(encodeError(ErrorCode.NOT_DEFINED, message), this.deps.client);
    this.end({ ok: false, reason, detail: message });
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.ended) return;
    const { client } = this.deps;
    if (rinfo.port !== client.port || rinfo.address !== client.address) {
      // RFC 1350: answer a stranger with error 5 and carry on with the real client.
      this.sendTo(UNKNOWN_TID, rinfo);
      this.deps.onWrongTid({ address: rinfo.address, port: rinfo.port });
      return;
    }
    // Hot path: a 4-byte ACK is decoded inline, without building a packet object.
    if (msg.length === 4 && msg.readUInt16BE(0) === Opcode.ACK) {
      const action = this.deps.transfer.ack(msg.readUInt16BE(2));
      if (!this.proven && action.type !== 'wait') {
        this.proven = true;
        this.deps.onProven();
      }
      this.perform(action);
      return;
    }
    let packet: ReturnType<typeof parsePacket>;
    try {
      packet = parsePacket(msg);
    } catch (err) {
      if (err instanceof TftpPacketError) return; // garbage from the client's port is ignored, the timer still runs
      throw err;
    }
    if (packet.op === 'error') {
      this.deps.transfer.abort();
      this.end({ ok: false, reason: 'client-error', detail: `${packet.code} ${packet.message}` });
    }
    // Any other packet type from the client is ignored: only ACKs and ERRORs have a meaning here.
  }

  private onTimeout(): void {
    if (this.ended) return;
    if (this.reading) {
      // The block is still being read: count the tick towards giving up (it shows as a retransmit in the log),
      // but there is nothing to resend yet.
      const action = this.deps.transfer.timeout();
      if (action.type === 'give-up') this.end({ ok: false, reason: 'timeout', detail: 'file read too slow' });
      else this.timer?.refresh();
      return;
    }
    this.perform(this.deps.transfer.timeout());
  }

  private perform(action: TransferAction): void {
    switch (action.type) {
      case 'send-oack':
        this.sendTo(this.deps.oack as Buffer, this.deps.client);
        this.timer?.refresh();
        return;
      case 'send-block': {
        const data = this.reader.peek(action.index);
        if (data !== undefined) this.sendBlock(action.index, data);
        else this.loadAndSend(action.index);
        return;
      }
      case 'complete':
        this.end({ ok: true });
        return;
      case 'give-up':
        this.end({ ok: false, reason: 'timeout', detail: `no ACK for block ${this.deps.transfer.block}` });
        return;
      case 'wait':
        return;
    }
  }

  private loadAndSend(index: number): void {
    this.reading = true;
    this.reader.load(index).then(
      (data) => {
        this.reading = false;
        // A timeout may have resent meanwhile; only send if this block is still the one in flight.
        if (!this.ended && this.deps.transfer.block === index) this.sendBlock(index, data);
      },
      (err: unknown) => {
        this.reading = false;
        if (this.ended) return;
        this.deps.transfer.abort();
        this.sendTo(encodeError(ErrorCode.NOT_DEFINED, 'Read error'), this.deps.client);
        this.end({ ok: false, reason: 'read-error', detail: err instanceof Error ? err.message : String(err) });
      },
    );
  }

  private sendBlock(index: number, data: Buffer): void {
    // A fresh header per send (4 bytes from Node's pool): a send the kernel queued may still point at the old one.
    const header = Buffer.allocUnsafe(4);
    header.writeUInt16BE(Opcode.DATA, 0);
    header.writeUInt16BE(index & 0xffff, 2);
    const { client } = this.deps;
    this.deps.socket.send([header, data], client.port, client.address);
    this.timer?.refresh();
  }

  private sendTo(buf: Buffer, to: TftpClient): void {
    try {
      this.deps.socket.send(buf, to.port, to.address);
    } catch {
      // The socket is already closed; nothing useful left to tell anyone.
    }
  }

  private end(end: SessionEnd): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    // Close after pending sends (the final ERROR) have been handed to the kernel.
    setImmediate(() => {
      this.deps.socket.close();
    });
    this.deps.onEnd(end);
  }
}
