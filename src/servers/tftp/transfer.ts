// Read-transfer state machine (no sockets, no timers): ACKs and timeouts in, "send this" / "done" / "give up" out.

export type TransferAction =
  | { readonly type: 'send-oack' }
  /** `index` is the absolute 1-based block number; the wire carries `index & 0xffff` (rollover after 65535 is 0). */
  | { readonly type: 'send-block'; readonly index: number; readonly retransmit: boolean }
  | { readonly type: 'wait' }
  | { readonly type: 'complete' }
  | { readonly type: 'give-up' };

export interface TransferParams {
  readonly size: number;
  readonly blksize: number;
  /** True when options were accepted: we send an OACK and wait for ACK 0 before block 1. */
  readonly oack: boolean;
  /** Retransmissions of one packet before giving up. */
  readonly maxRetries: number;
}

type State = 'new' | 'oack' | 'data' | 'complete' | 'failed';

const WAIT: TransferAction = { type: 'wait' };

export class ReadTransfer {
  /** Number of DATA blocks, including the empty last block when size is a multiple of blksize (RFC 1350). */
  readonly blockCount: number;
  private state: State = 'new';
  private current = 0;
  private retries = 0;
  /** Total retransmissions over the transfer, for the log. */
  retransmits = 0;

  constructor(readonly params: TransferParams) {
    if (!Number.isSafeInteger(params.size) || params.size < 0) throw new RangeError(`bad size ${params.size}`);
    if (!Number.isInteger(params.blksize) || params.blksize < 1) throw new RangeError(`bad blksize ${params.blksize}`);
    this.blockCount = Math.floor(params.size / params.blksize) + 1;
  }

  get finished(): boolean {
    return this.state === 'complete' || this.state === 'failed';
  }

  /** Absolute index of the block in flight (0 while waiting for the OACK's ACK). */
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
    this.current = 1;
    return { type: 'send-block', index: 1, retransmit: false };
  }

  /**
   * An ACK arrived from the client. Only the ACK for the block in flight moves us on; duplicates and stale ACKs
   * are ignored rather than answered, which is what prevents the Sorcerer's Apprentice syndrome (RFC 1123 4.2.3.1).
   */
  ack(wireBlock: number): TransferAction {
    if (this.state === 'oack') {
      if (wireBlock !== 0) return WAIT;
      this.state = 'data';
      this.current = 1;
      this.retries = 0;
      return { type: 'send-block', index: 1, retransmit: false };
    }
    if (this.state !== 'data' || wireBlock !== (this.current & 0xffff)) return WAIT;
    if (this.current === this.blockCount) {
      this.state = 'complete';
      return { type: 'complete' };
    }
    this.current++;
    this.retries = 0;
    return { type: 'send-block', index: this.current, retransmit: false };
  }

  /** The retransmission timer fired without the expected ACK. */
  timeout(): TransferAction {
    if (this.state !== 'oack' && this.state !== 'data') return WAIT;
    if (this.retries >= this.params.maxRetries) {
      this.state = 'failed';
      return { type: 'give-up' };
    }
    this.retries++;
    this.retransmits++;
    if (this.state === 'oack') return { type: 'send-oack' };
    return { type: 'send-block', index: this.current, retransmit: true };
  }

  /** The transfer ended for an outside reason (client error packet, server closing). */
  abort(): void {
    if (!this.finished) this.state = 'failed';
  }
}
