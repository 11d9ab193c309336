// RFC 2347/2348/2349/7440 option negotiation for read requests: requested options + file size -> what we answer in the OACK.
import { DEFAULT_BLKSIZE, MAX_BLKSIZE, MIN_BLKSIZE, type TftpOption } from './packet';

export interface NegotiationLimits {
  /** Largest blksize we agree to; bigger requests are clamped to it (RFC 2348 lets the server answer smaller). */
  readonly maxBlksize: number;
  /**
   * Largest retransmission timeout (seconds) a client may ask for. RFC 2349 allows 1-255 and has the OACK echo the
   * value unchanged, so a larger request is left out of the OACK (the server keeps its own timeout): a client asking
   * 255 s and never acknowledging would otherwise hold a transfer slot for 255 s per try. Default 10.
   */
  readonly maxTimeoutSeconds?: number;
  /**
   * Largest windowsize (RFC 7440: blocks sent per ACK) we agree to; a larger request is answered with this. Default
   * 16. 1 turns windowing off (the option is then left out of the OACK).
   */
  readonly maxWindowsize?: number;
}

export interface Negotiated {
  readonly blksize: number;
  /** Retransmission timeout the client asked for (RFC 2349), in ms; undefined when it asked for none. */
  readonly timeoutMs: number | undefined;
  /** Blocks sent before waiting for an ACK (RFC 7440); 1 (lock-step) unless the client asked for more. */
  readonly windowsize: number;
  /** Options for the OACK, in the order the client sent them; empty means no OACK (plain RFC 1350 transfer). */
  readonly accepted: readonly TftpOption[];
  /** Options we did not accept (unknown, malformed or out of range), for the log. */
  readonly ignored: readonly TftpOption[];
}

const DECIMAL = /^[0-9]{1,10}$/;

/**
 * Picks the answer to each option. The first occurrence of a name wins (names are case-insensitive, RFC 2347);
 * options we cannot honour are left out of the OACK rather than failing the request, which RFC 2347 allows.
 */
export function negotiate(requested: readonly TftpOption[], fileSize: number, limits: NegotiationLimits): Negotiated {
  const maxBlksize = Math.min(Math.max(limits.maxBlksize, MIN_BLKSIZE), MAX_BLKSIZE);
  const maxTimeout = Math.min(Math.max(limits.maxTimeoutSeconds ?? 10, 1), 255);
  const maxWindow = Math.min(Math.max(limits.maxWindowsize ?? 16, 1), 65535);
  let blksize = DEFAULT_BLKSIZE;
  let windowsize = 1;
  let timeoutMs: number | undefined;
  const accepted: TftpOption[] = [];
  const ignored: TftpOption[] = [];
  const seen = new Set<string>();

  for (const option of requested) {
    const name = option.name.toLowerCase();
    if (seen.has(name)) {
      ignored.push(option);
      continue;
    }
    seen.add(name);
    const n = DECIMAL.test(option.value) ? Number(option.value) : Number.NaN;
    if (name === 'blksize' && n >= MIN_BLKSIZE) {
      blksize = Math.min(n, maxBlksize);
      accepted.push({ name: option.name, value: String(blksize) });
    } else if (name === 'timeout' && n >= 1 && n <= maxTimeout) {
      timeoutMs = n * 1000;
      accepted.push({ name: option.name, value: String(n) });
    } else if (name === 'windowsize' && n >= 1 && n <= 65535 && maxWindow > 1) {
      // RFC 7440: the server may answer a smaller window than asked, never a larger one.
      windowsize = Math.min(n, maxWindow);
      accepted.push({ name: option.name, value: String(windowsize) });
    } else if (name === 'tsize' && !Number.isNaN(n) && fileSize > 0) {
      // In a read request the client sends 0 and the server answers the real size (RFC 2349). An empty file's
      // tsize is left out: curl (7.88) rejects "tsize 0" in an OACK as invalid and aborts the transfer.
      accepted.push({ name: option.name, value: String(fileSize) });
    } else {
      ignored.push(option);
    }
  }
  return { blksize, timeoutMs, windowsize, accepted, ignored };
}
