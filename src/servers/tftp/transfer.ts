// Read-transfer state machine (no sockets, no timers): ACKs and timeouts in, "send this" / "done" / "give up" out.
// Lock-step (RFC 1350) or windowed (RFC 7440: `windowsize` blocks, then one ACK for the lot).

export type TransferAction =
  | { readonly type: 'send-oack' }
  /**
   * Send blocks `index` … `index + count - 1` (count absent: one block). `index` is the absolute 1-based block number;
   * the wire carries `index & 0xffff` (rollover after 65535 is 0).
   */
  | { readonly type: 'send-block'; readonly index: number; readonly retransmit: boolean; readonly count?: number }
  | { readonly type: 'wait' }
  | { readonly type: 'complete' }
  | { readonly type: 'give-up' };

export interface TransferParams {
  readonly size: number;
  readonly blksize: number;
  /** True when options were accepted: we send an OACK and wait for ACK 0 before block 1. */
  readonly oack: boolean;
  /** Retransmissions of one packet (or window) before giving up. */
  readonly maxRetries: number;
  /** Blocks per window (RFC 7440); default 1, lock-step. */
  readonly windowsize?: number;
}

type State = 'new' | 'oack' | 'data' | 'complete' | 'failed';

const WAIT: TransferAction = { type: 'wait' };

export class ReadTransfer {
  /** Number of DATA blocks, including the empty last block when size is a multiple of blksize (RFC 1350). */
  readonly blockCount: number;
  private readonly windowsize: number;
  private state: State = 'new';
  /** First block not yet acknowledged (the start of the window in flight). */
  private current = 0;
  /** Last block of the window in flight. */
  private sentTo = 0;
  private retries = 0;
  /** Total retransmissions over the transfer, for the log. */
  retransmits = 0;

  constructor(readonly params: TransferParams) {
    if (!Number.isSafeInteger(params.size) || params.size < 0) throw new RangeError(`bad size ${params.size}`);
    if (!Number.isInteger(params.blksize) || params.blksize < 1) throw new RangeError(`bad blksize ${params.blksize}`);
    const w = params.windowsize ?? 1;
    if (!Number.isInteger(w) || w < 1 || w > 65535) throw new RangeError(`bad windowsize ${w}`);
    this.windowsize = w;
    this.blockCount = Math.floor(params.size / params.blksize) + 1;
  }

  get finished(): boolean {
    return this.state === 'complete' || this.state === 'failed';
  }

  /** Absolute index of the first block in flight (0 while waiting for the OACK's ACK). */
  get block(): number {
    return this.current;
  }

  /** Byte range of block `index` in the file. */
  range(index: number): { offset: number; length: number } {
    const offset = (index - 1) * this.params.blksize;
    return { offset, length: Math.max(0, Math.min(this.params.blksize, this.params.size - offset)) };
  }

  start(): TransferAction {
    if (this.state !== 'new') throw new Error('transfer already started');
    if (this.params.oack) {
      this.state = 'oack';
      return { type: 'send-oack' };
    }
    this.state = 'data';
    return this.window(1, false);
  }

  /** The window starting at `from`: as many blocks as the window holds, up to the last. */
  private window(from: number, retransmit: boolean): TransferAction {
    this.current = from;
    this.sentTo = Math.min(this.blockCount, from + this.windowsize - 1);
    const count = this.sentTo - from + 1;
    return count === 1
      ? { type: 'send-block', index: from, retransmit }
      : { type: 'send-block', index: from, retransmit, count };
  }

  /**
   * An ACK arrived from the client. It acknowledges every block up to the one it names, which must lie in the window
   * in flight; the next window starts after it (a client that saw a gap acknowledges the last block it got in order,
   * and the window is sent again from there). An ACK for anything else (a duplicate, the block before the window) is
   * ignored rather than answered: that is what prevents the Sorcerer's Apprentice syndrome (RFC 1123 4.2.3.1).
   */
  ack(wireBlock: number): TransferAction {
    if (this.state === 'oack') {
      if (wireBlock !== 0) return WAIT;
      this.state = 'data';
      this.retries = 0;
      return this.window(1, false);
    }
    if (this.state !== 'data') return WAIT;
    // The window is at most 65535 blocks, so a wire number names at most one block of it.
    const acked = this.current + ((wireBlock - this.current) & 0xffff);
    if (acked > this.sentTo) return WAIT;
    if (acked === this.blockCount) {
      this.state = 'complete';
      return { type: 'complete' };
    }
    this.retries = 0;
    // A partial ACK re-sends blocks already sent once: counted as retransmissions.
    const again = this.sentTo - acked;
    if (again > 0) this.retransmits += Math.min(again, this.windowsize);
    return this.window(acked + 1, again > 0);
  }

  /** The retransmission timer fired without the expected ACK: the whole window again. */
  timeout(): TransferAction {
    if (this.state !== 'oack' && this.state !== 'data') return WAIT;
    if (this.retries >= this.params.maxRetries) {
      this.state = 'failed';
      return { type: 'give-up' };
    }
    this.retries++;
    this.retransmits++;
    if (this.state === 'oack') return { type: 'send-oack' };
    return this.window(this.current, true);
  }

  /** The transfer ended for an outside reason (client error packet, server closing). */
  abort(): void {
    if (!this.finished) this.state = 'failed';
  }
}
