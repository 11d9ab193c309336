// Minimal TFTP read client over dgram (octet, RFC 2347-2349 options, rollover): for tests, the bench and diagnostics.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import {
  DEFAULT_BLKSIZE,
  ErrorCode,
  encodeAck,
  encodeError,
  encodeRequest,
  parsePacket,
  type TftpOption,
  TftpPacketError,
} from './packet';
import { literalLookup } from './udp';

export interface TftpGetOptions {
  /** Server IP address, not a name: replies are checked to come from exactly this address. */
  readonly host: string;
  readonly port: number;
  readonly filename: string;
  readonly mode?: 'octet' | 'netascii';
  /** Ask for this blksize (RFC 2348). */
  readonly blksize?: number;
  /** Ask for the transfer size (RFC 2349 tsize=0). */
  readonly tsize?: boolean;
  /** Ask the server to use this retransmission timeout, in seconds (RFC 2349). */
  readonly timeout?: number;
  /** Extra raw options, sent after the ones above. */
  readonly extraOptions?: readonly TftpOption[];
  /** Our own retransmission timer; default 1000 ms. */
  readonly retryMs?: number;
  /** Retransmissions before giving up; default 5. */
  readonly maxRetries?: number;
  /** Receives each block's payload in order; when given, the result's `data` is empty (nothing is buffered). */
  readonly onData?: (chunk: Buffer) => void;
}

export interface TftpGetResult {
  /** The file, unless onData was given. */
  readonly data: Buffer;
  readonly bytes: number;
  readonly blocks: number;
  /** Options the server acknowledged in its OACK (lower-case names); empty if it sent none. */
  readonly oack: Readonly<Record<string, string>>;
  /** The port the server answered from (its TID). */
  readonly serverPort: number;
}

/** The server answered with an ERROR packet. */
export class TftpRemoteError extends Error {
  override name = 'TftpRemoteError';
  constructor(
    readonly code: number,
    readonly remoteMessage: string,
  ) {
    super(`TFTP error ${code}: ${remoteMessage}`);
  }
}

export class TftpTimeoutError extends Error {
  override name = 'TftpTimeoutError';
}

export function tftpGet(opts: TftpGetOptions): Promise<TftpGetResult> {
  if (isIP(opts.host) === 0) return Promise.reject(new TypeError(`host must be an IP address, got ${opts.host}`));
  const requested: TftpOption[] = [];
  if (opts.blksize !== undefined) requested.push({ name: 'blksize', value: String(opts.blksize) });
  if (opts.tsize) requested.push({ name: 'tsize', value: '0' });
  if (opts.timeout !== undefined) requested.push({ name: 'timeout', value: String(opts.timeout) });
  requested.push(...(opts.extraOptions ?? []));
  const rrq = encodeRequest('rrq', opts.filename, opts.mode ?? 'octet', requested);
  const retryMs = opts.retryMs ?? 1000;
  const maxRetries = opts.maxRetries ?? 5;
  const socket = createSocket({ type: isIPv6(opts.host) ? 'udp6' : 'udp4', lookup: literalLookup });

  return new Promise<TftpGetResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let serverPort = 0;
    let blksize = DEFAULT_BLKSIZE;
    const oack: Record<string, string> = {};
    let expected = 1; // absolute index of the next block we want
    let bytes = 0;
    let last = rrq; // what to resend when the timer fires
    let retries = 0;
    let finished = false;
    let pendingSends = 0;

    const transmit = (buf: Buffer, port: number) => {
      pendingSends++;
      socket.send(buf, port, opts.host, () => {
        if (--pendingSends === 0 && finished) socket.close();
      });
    };
    const send = (buf: Buffer) => {
      last = buf;
      transmit(buf, serverPort || opts.port);
      timer.refresh();
    };
    const finish = (err: Error | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Close only after the final ACK has left: closing earlier silently drops a send still being dispatched.
      if (pendingSends === 0) socket.close();
      if (err) reject(err);
      else
        resolve({
          data: opts.onData ? Buffer.alloc(0) : Buffer.concat(chunks),
          bytes,
          blocks: expected - 1,
          oack,
          serverPort,
        });
    };
    const timer = setTimeout(() => {
      if (retries++ >= maxRetries) return finish(new TftpTimeoutError(`no answer after ${maxRetries} retries`));
      transmit(last, serverPort || opts.port);
      timer.refresh();
    }, retryMs);

    socket.on('error', (err) => finish(err));
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      if (finished || rinfo.address !== opts.host) return;
      if (serverPort !== 0 && rinfo.port !== serverPort) {
        transmit(encodeError(ErrorCode.UNKNOWN_TID, 'Unknown transfer ID'), rinfo.port);
        return;
      }
      let packet: ReturnType<typeof parsePacket>;
      try {
        packet = parsePacket(msg);
      } catch (err) {
        if (err instanceof TftpPacketError) return;
        throw err;
      }
      if (packet.op === 'error') return finish(new TftpRemoteError(packet.code, packet.message));
      if (packet.op === 'oack' && serverPort === 0) {
        serverPort = rinfo.port;
        for (const { name, value } of packet.options) oack[name.toLowerCase()] = value;
        if (oack.blksize !== undefined) blksize = Number(oack.blksize);
        retries = 0;
        return send(encodeAck(0));
      }
      if (packet.op !== 'data') return;
      if (serverPort === 0) serverPort = rinfo.port;
      if (packet.block === (expected & 0xffff)) {
        bytes += packet.data.length;
        if (opts.onData) opts.onData(packet.data);
        else chunks.push(packet.data);
        retries = 0;
        send(encodeAck(packet.block));
        expected++;
        if (packet.data.length < blksize) finish(undefined);
      } else if (packet.block === ((expected - 1) & 0xffff)) {
        send(encodeAck(packet.block)); // our ACK was lost: acknowledge the duplicate again
      }
    });
    transmit(rrq, opts.port);
  });
}
