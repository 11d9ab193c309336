// Structured log entries of the TFTP server, handed to an injected logger (nobody documents which options phones send).
import type { TftpClient } from './file-source';
import type { TftpOption } from './packet';

export type TftpLogEntry =
  /** Every RRQ/WRQ as received, with options exactly as sent, before any decision. */
  | {
      readonly event: 'request';
      readonly op: 'rrq' | 'wrq';
      readonly client: TftpClient;
      readonly filename: string;
      readonly mode: string;
      readonly options: readonly TftpOption[];
    }
  /** We answered with an ERROR packet instead of starting a transfer. */
  | {
      readonly event: 'refused';
      readonly client: TftpClient;
      readonly filename: string | undefined;
      readonly code: number;
      readonly reason: string;
    }
  /** Not a TFTP packet at all; answered with error 4. */
  | { readonly event: 'malformed'; readonly client: TftpClient; readonly reason: string }
  /** A DATA/ACK/ERROR/OACK on the request port (belongs to no transfer); ignored. */
  | { readonly event: 'stray'; readonly client: TftpClient; readonly op: 'data' | 'ack' | 'error' | 'oack' }
  | { readonly event: 'duplicate-request'; readonly client: TftpClient; readonly filename: string }
  /** The server or its address was full: the oldest transfer whose client never acknowledged gave its slot to `by`. */
  | { readonly event: 'taken-back'; readonly client: TftpClient; readonly by: TftpClient }
  | {
      readonly event: 'transfer-start';
      readonly client: TftpClient;
      readonly filename: string;
      readonly size: number;
      readonly blksize: number;
      /** Blocks per ACK (RFC 7440); 1 is lock-step. */
      readonly windowsize: number;
      readonly timeoutMs: number;
      /** What went into the OACK (empty: no OACK). */
      readonly accepted: readonly TftpOption[];
      readonly ignored: readonly TftpOption[];
      /** Our port for this transfer (the server's TID). */
      readonly port: number;
    }
  | {
      readonly event: 'transfer-end';
      readonly client: TftpClient;
      readonly filename: string;
      readonly ok: boolean;
      readonly reason: string | undefined;
      readonly detail: string | undefined;
      readonly bytes: number;
      readonly blocks: number;
      readonly retransmits: number;
      readonly ms: number;
    }
  | { readonly event: 'source-error'; readonly client: TftpClient; readonly filename: string; readonly error: unknown }
  | { readonly event: 'socket-error'; readonly error: unknown }
  | { readonly event: 'internal-error'; readonly client: TftpClient; readonly error: unknown };

export type TftpLogger = (entry: TftpLogEntry) => void;
