// Minimal TFTP read client over dgram (octet, RFC 2347-2349 options, RFC 7440 windowsize, rollover): for tests, the
// bench and diagnostics.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import {
  DEFAULT_BLKSIZE,
  ErrorCode,
  encodeAck,
  encodeError,
  encodeRequest,
  Opcode,
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
  /** Ask for this many blocks per ACK (RFC 7440); the server may grant fewer (its OACK says) or none. */
  readonly windowsize?: number;
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
  if (opts.windowsize !== undefined) requested.push({ name: 'windowsize', value: String(opts.windowsize) });
  requested.push(...(opts.extraOptions ?? []));
  const rrq = encodeRequest('rrq', opts.filename, opts.mode ?? 'octet', requested);
  const retryMs = opts.retryMs ?? 1000;
  const maxRetries = opts.maxRetries ?? 5;
  const socket = createSocket({ type: isIPv6(opts.host) ? 'udp6' : 'udp4', lookup: literalLookup });

  return new Promise<TftpGetResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let serverPort = 0;
    let blksize = DEFAULT_BLKSIZE;
    /** Blocks the server sends per ACK: 1 unless its OACK granted a windowsize. */
    let window = 1;
    /** In-order blocks received since our last ACK. */
    let sinceAck = 0;
    /** Already told the server where a gap or a repeated window starts (once until the transfer moves again). */
    let nudged = false;
    const oack: Record<string, string> = {};
    let expected = 1; // absolute index of the next block we want
    let bytes = 0;
    let last = rrq; // what to resend when the timer fires
    let retries = 0;
    let finished = false;

    const transmit = (buf: Buffer, port: number) => socket.send(buf, port, opts.host);
    const send = (buf: Buffer) => {
      last = buf;
      transmit(buf, serverPort || opts.port);
      timer.refresh();
    };
    const finish = (err: Error | undefined, finalAck?: Buffer) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Closing drops sends libuv still holds, so the final ACK closes the socket only once it has left.
      if (finalAck) socket.send(finalAck, serverPort, opts.host, () => socket.close());
      else socket.close();
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
      if (retries++ >= maxRetries) {
        const cause = sendError ? ` (last send error: ${sendError.message})` : '';
        return finish(new TftpTimeoutError(`no answer after ${maxRetries} retries${cause}`));
      }
      // Mid-window, acknowledge what arrived in order so far: the server sends again from there (RFC 7440).
      if (serverPort !== 0 && sinceAck > 0) {
        last = encodeAck((expected - 1) & 0xffff);
        sinceAck = 0;
      }
      nudged = false;
      transmit(last, serverPort || opts.port);
      timer.refresh();
    }, retryMs);

    // A failed send is a lost datagram: the timer retries it, and a timeout reports the last such error.
    let sendError: Error | undefined;
    socket.on('error', (err) => {
      sendError = err;
    });
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      if (finished || rinfo.address !== opts.host) return;
      if (serverPort !== 0 && rinfo.port !== serverPort) {
        transmit(encodeError(ErrorCode.UNKNOWN_TID, 'Unknown transfer ID'), rinfo.port);
        return;
      }
      // Hot path: DATA is decoded inline, without building a packet object.
      if (msg.length >= 4 && msg.readUInt16BE(0) === Opcode.DATA) {
        if (serverPort === 0) serverPort = rinfo.port;
        const block = msg.readUInt16BE(2);
        const ahead = (block - expected) & 0xffff;
        if (ahead === 0) {
          const data = msg.subarray(4);
          bytes += data.length;
          if (opts.onData) opts.onData(data);
          else chunks.push(data);
          retries = 0;
          expected++;
          nudged = false;
          if (data.length < blksize) return finish(undefined, encodeAck(block));
          // The end of a window gets the ACK; inside one, only the timer is reset.
          if (++sinceAck >= window) {
            sinceAck = 0;
            send(encodeAck(block));
          } else timer.refresh();
        } else if (!nudged && (ahead < window || ahead >= 0x10000 - 2 * window)) {
          // A gap (a block of this window lost), or a block already received (our ACK was lost and the server sends
          // again): acknowledge the last block received in order, once, and the server continues from there.
          nudged = true;
          sinceAck = 0;
          send(encodeAck((expected - 1) & 0xffff));
        }
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
        if (oack.windowsize !== undefined) window = Math.max(1, Number(oack.windowsize) || 1);
        retries = 0;
        return send(encodeAck(0));
      }
    });
    transmit(rrq, opts.port);
  });
}
