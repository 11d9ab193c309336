// One read transfer on its own UDP port (the server's TID): drives ReadTransfer with ACKs, timers and file reads.
//
// The port is connect()ed to the client, as tftpd-hpa does: the kernel then delivers only the client's datagrams (a
// stranger's never reach us and get no answer, so a forged flood at transfer ports costs nothing and reflects nothing)
// and sends without looking up the route or the address each time.
import type { Socket } from 'node:dgram';
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
  /** Bound to its own port and connected to the client. */
  readonly socket: Socket;
  readonly client: TftpClient;
  readonly file: TftpFile;
  readonly transfer: ReadTransfer;
  /** Encoded OACK, when options were accepted. */
  readonly oack: Buffer | undefined;
  readonly timeoutMs: number;
  readonly readChunkBytes: number;
  /**
   * The client acknowledged what we sent, once per transfer: it receives on the address it claims, so the request was
   * not spoofed (a flood from forged addresses never gets here).
   */
  readonly onProven: () => void;
  readonly onEnd: (end: SessionEnd) => void;
}

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
    deps.socket.on('message', (msg) => this.onMessage(msg));
    // A failed send (ENOBUFS under load, an ICMP "port unreachable" the connected socket reports) surfaces here;
    // treat it like a lost datagram and let the retransmission timer retry, so a socket that keeps failing ends as a
    // timeout after maxRetries.
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
    this.send(encodeError(ErrorCode.NOT_DEFINED, message));
    this.end({ ok: false, reason, detail: message });
  }

  private onMessage(msg: Buffer): void {
    if (this.ended) return;
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
        this.send(this.deps.oack as Buffer);
        this.timer?.refresh();
        return;
      case 'send-block':
        this.timer?.refresh();
        this.sendBlocks(action.index, action.index + (action.count ?? 1) - 1);
        return;
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

  /** Sends blocks `from` … `to` of the window starting at `from`; waits for the file where a chunk is not read yet. */
  private sendBlocks(from: number, to: number): void {
    const start = this.deps.transfer.block;
    for (let i = from; i <= to; i++) {
      const datagram = this.reader.datagram(i);
      if (datagram !== undefined) {
        this.send(datagram);
        continue;
      }
      this.reading = true;
      this.reader.loadDatagram(i).then(
        () => {
          this.reading = false;
          // A timeout or an ACK may have moved the window meanwhile: then that window is being sent instead.
          if (!this.ended && this.deps.transfer.block === start) this.sendBlocks(i, to);
        },
        (err: unknown) => {
          this.reading = false;
          if (this.ended) return;
          this.deps.transfer.abort();
          this.send(encodeError(ErrorCode.NOT_DEFINED, 'Read error'));
          this.end({ ok: false, reason: 'read-error', detail: err instanceof Error ? err.message : String(err) });
        },
      );
      return;
    }
  }

  private send(buf: Buffer): void {
    try {
      this.deps.socket.send(buf);
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
