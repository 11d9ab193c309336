// Thin UDP TFTP server: validates read requests on the listening port and hands each transfer its own port and session.
import type { RemoteInfo, Socket, SocketType } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import type { TftpClient, TftpFile, TftpFileSource } from './file-source';
import { checkFilename } from './filename';
import type { TftpLogEntry, TftpLogger } from './log';
import { negotiate } from './options';
import { ErrorCode, encodeError, encodeOack, parsePacket, type RequestPacket, TftpPacketError } from './packet';
import { ReadSession, type SessionEnd } from './session';
import { type Slot, TransferSlots } from './slots';
import { ReadTransfer } from './transfer';
import { bindSocket } from './udp';

export interface TftpServerOptions {
  /** Explicit address to listen on (e.g. 127.0.0.1, a LAN address, ::1). Transfer ports bind to the same address. */
  readonly address: string;
  /** UDP port; 69 in production, 0 for an ephemeral port in tests. */
  readonly port: number;
  readonly source: TftpFileSource;
  /** Largest blksize granted (RFC 2348); default 1468, which fills a 1500-byte Ethernet MTU. */
  readonly maxBlksize?: number;
  /** Largest windowsize granted (RFC 7440: blocks per ACK) to a client that asks; default 16; 1 turns it off. */
  readonly maxWindowsize?: number;
  /** Retransmission timeout when the client does not negotiate one (RFC 2349 timeout); default 1000 ms. */
  readonly timeoutMs?: number;
  /** Largest retransmission timeout a client may negotiate, in seconds (RFC 2349 allows up to 255); default 10. */
  readonly maxClientTimeoutSeconds?: number;
  /** Retransmissions of one packet before the transfer is abandoned; default 5. */
  readonly maxRetries?: number;
  /** Longest a transfer may last, however steadily its client acknowledges; default 10 minutes. */
  readonly maxTransferMs?: number;
  /** Transfers in progress at once, all clients together; default 1024. */
  readonly maxTransfers?: number;
  /**
   * Transfers in progress at once from one IP address (phones behind one NAT share it); default 64, so it takes at
   * least 16 addresses to fill the server (and unproven transfers are taken back anyway, see slots.ts).
   */
  readonly maxTransfersPerAddress?: number;
  /** Bytes read from the source at a time, sliced into blocks; default 256 kB. */
  readonly readChunkBytes?: number;
  readonly logger?: TftpLogger;
}

export interface TftpServer {
  address(): { address: string; port: number; family: string };
  /** Transfers in progress (including requests waiting for the source to open the file). */
  activeTransfers(): number;
  /** Stops listening, aborts transfers in progress (telling their clients) and resolves when every socket is closed. */
  close(): Promise<void>;
}

const MODES = new Set(['octet', 'netascii']);
const ILLEGAL = encodeError(ErrorCode.ILLEGAL_OPERATION, 'Illegal TFTP operation');

/**
 * Starts a read-only TFTP server (RFC 1350 with RFC 2347 options: blksize 2348, tsize and timeout 2349, windowsize 7440).
 *
 * Decisions, for operators and reviewers:
 * - Only RRQ is served. WRQ gets error 2 "Write requests are refused" (access violation: the operation is valid
 *   TFTP, we just do not allow it). Modes: octet; netascii is served as the stored bytes unconverted (our files are
 *   LF-only text or binaries, and a netascii client only rewrites CR sequences); anything else ("mail") gets error 4.
 * - Names must pass checkFilename (relative, at most 3 segments of [A-Za-z0-9._(),-]) or get error 2 before the
 *   source is asked; the source answers null for error 1. The server itself never touches the filesystem.
 * - Refusals are sent from the listening port; every accepted transfer gets its own ephemeral port (its TID) on the
 *   same address, connected to the client (only its datagrams arrive there; others are dropped by the kernel, not
 *   answered with error 5). Bind a specific address on multi-homed hosts: replies leave from the bound address.
 * - A client asking windowsize N (RFC 7440) gets windows of min(N, maxWindowsize) blocks per ACK; a lost block makes
 *   the client acknowledge the last one it got in order and the window is sent again from there.
 * - Lost packets are resent after the negotiated timeout (or `timeoutMs`) up to `maxRetries` times; duplicate ACKs
 *   are ignored, not answered; block numbers wrap after 65535 to 0, so any size transfers at any blksize.
 * - Flood resistance (an RRQ is one datagram from a possibly forged address): a client may negotiate a timeout of at
 *   most `maxClientTimeoutSeconds`, a transfer lasts at most `maxTransferMs`, one address holds at most
 *   `maxTransfersPerAddress` slots, and a transfer whose client never acknowledged anything gives its slot to the next
 *   request when the server or its address is full (slots.ts). The source's files are opened lazily (diskFile).
 */
export async function createTftpServer(options: TftpServerOptions): Promise<TftpServer> {
  if (isIP(options.address) === 0) throw new TypeError(`TFTP address must be an IP address, got ${options.address}`);
  const type: SocketType = isIPv6(options.address) ? 'udp6' : 'udp4';
  const maxBlksize = options.maxBlksize ?? 1468;
  const maxWindowsize = options.maxWindowsize ?? 16;
  const defaultTimeoutMs = options.timeoutMs ?? 1000;
  const maxRetries = options.maxRetries ?? 5;
  const maxTimeoutSeconds = options.maxClientTimeoutSeconds ?? 10;
  const maxTransferMs = options.maxTransferMs ?? 10 * 60_000;
  const maxTransfers = options.maxTransfers ?? 1024;
  const maxPerAddress = options.maxTransfersPerAddress ?? 64;
  const readChunkBytes = options.readChunkBytes ?? 256 * 1024;
  const log = options.logger ?? (() => {});

  const main = await bindSocket(type, options.port, options.address);
  /** Keyed by client address|port: one transfer per client TID, so a retransmitted RRQ does not start a second one. */
  const slots = new TransferSlots(maxTransfers, maxPerAddress, defaultTimeoutMs);
  const settling = new Set<Promise<void>>();
  let closed = false;

  const safeLog = (entry: TftpLogEntry) => {
    try {
      log(entry);
    } catch {
      // a broken logger must not break transfers
    }
  };

  const reply = (buf: Buffer, client: TftpClient) => {
    if (!closed) main.send(buf, client.port, client.address);
  };

  const refuse = (client: TftpClient, code: number, message: string, reason: string, filename?: string) => {
    safeLog({ event: 'refused', client, filename, code, reason });
    reply(encodeError(code, message), client);
  };

  const release = (slot: Slot) => slots.release(slot);

  const track = (p: Promise<unknown>) => {
    const settled = p.then(
      () => {},
      () => {},
    );
    settling.add(settled);
    settled.finally(() => settling.delete(settled));
  };

  const closeFile = (file: TftpFile, client: TftpClient, filename: string) => {
    track(
      Promise.resolve()
        .then(() => file.close?.())
        .catch((error: unknown) => safeLog({ event: 'source-error', client, filename, error })),
    );
  };

  async function startTransfer(request: RequestPacket, client: TftpClient, slot: Slot): Promise<void> {
    const { filename } = request;
    let file: TftpFile | null;
    try {
      file = await options.source.open(filename, client);
    } catch (error) {
      safeLog({ event: 'source-error', client, filename, error });
      release(slot);
      refuse(client, ErrorCode.NOT_DEFINED, 'Internal error', 'source failed', filename);
      return;
    }
    if (file === null) {
      release(slot);
      refuse(client, ErrorCode.FILE_NOT_FOUND, 'File not found', 'not found', filename);
      return;
    }
    if (slot.released) {
      // Taken back for a newer request (or past its lifetime) while the source opened the file.
      closeFile(file, client, filename);
      return;
    }
    if (closed || !Number.isSafeInteger(file.size) || file.size < 0) {
      if (!closed) safeLog({ event: 'source-error', client, filename, error: new Error(`bad size ${file.size}`) });
      closeFile(file, client, filename);
      release(slot);
      if (!closed) refuse(client, ErrorCode.NOT_DEFINED, 'Internal error', 'bad file size', filename);
      return;
    }

    const negotiated = negotiate(request.options, file.size, { maxBlksize, maxTimeoutSeconds, maxWindowsize });
    const transfer = new ReadTransfer({
      size: file.size,
      blksize: negotiated.blksize,
      oack: negotiated.accepted.length > 0,
      maxRetries,
      windowsize: negotiated.windowsize,
    });
    let socket: Socket;
    try {
      socket = await bindSocket(type, 0, options.address, client);
    } catch (error) {
      safeLog({ event: 'source-error', client, filename, error });
      closeFile(file, client, filename);
      release(slot);
      refuse(client, ErrorCode.NOT_DEFINED, 'Internal error', 'no transfer port', filename);
      return;
    }
    if (closed || slot.released) {
      socket.close();
      closeFile(file, client, filename);
      release(slot);
      return;
    }

    const started = Date.now();
    const openFile = file;
    const session = new ReadSession({
      socket,
      client,
      file,
      transfer,
      oack: negotiated.accepted.length > 0 ? encodeOack(negotiated.accepted) : undefined,
      timeoutMs: negotiated.timeoutMs ?? defaultTimeoutMs,
      readChunkBytes,
      onProven: () => slots.prove(slot),
      onEnd: (end: SessionEnd) => {
        release(slot);
        closeFile(openFile, client, filename);
        const blocks = end.ok ? transfer.blockCount : Math.max(0, transfer.block - 1);
        safeLog({
          event: 'transfer-end',
          client,
          filename,
          ok: end.ok,
          reason: end.ok ? undefined : end.reason,
          detail: end.ok ? undefined : end.detail,
          bytes: end.ok ? openFile.size : Math.min(openFile.size, blocks * negotiated.blksize),
          blocks,
          retransmits: transfer.retransmits,
          ms: Date.now() - started,
        });
      },
    });
    track(session.closed);
    slot.session = session;
    safeLog({
      event: 'transfer-start',
      client,
      filename,
      size: file.size,
      blksize: negotiated.blksize,
      windowsize: negotiated.windowsize,
      timeoutMs: negotiated.timeoutMs ?? defaultTimeoutMs,
      accepted: negotiated.accepted,
      ignored: negotiated.ignored,
      port: socket.address().port,
    });
    session.start();
  }

  function onRequest(msg: Buffer, rinfo: RemoteInfo): void {
    const client: TftpClient = { address: rinfo.address, port: rinfo.port };
    let packet: ReturnType<typeof parsePacket>;
    try {
      packet = parsePacket(msg);
    } catch (err) {
      if (!(err instanceof TftpPacketError)) throw err;
      safeLog({ event: 'malformed', client, reason: err.message });
      reply(ILLEGAL, client);
      return;
    }
    if (packet.op !== 'rrq' && packet.op !== 'wrq') {
      // Not answered: an ERROR answered with an ERROR can ping-pong between two servers, and tftp-hpa ACKs the
      // ERROR that refused its request, which would otherwise earn it a second error it never reads.
      safeLog({ event: 'stray', client, op: packet.op });
      return;
    }
    const { filename, mode } = packet;
    safeLog({ event: 'request', op: packet.op, client, filename, mode, options: packet.options });
    if (packet.op === 'wrq') {
      refuse(client, ErrorCode.ACCESS_VIOLATION, 'Write requests are refused', 'write request', filename);
      return;
    }
    if (!MODES.has(mode.toLowerCase())) {
      refuse(client, ErrorCode.ILLEGAL_OPERATION, 'Unsupported transfer mode', `mode ${mode}`, filename);
      return;
    }
    const check = checkFilename(filename);
    if (!check.ok) {
      refuse(client, ErrorCode.ACCESS_VIOLATION, 'Access violation', `filename refused: ${check.reason}`, filename);
      return;
    }
    const key = `${client.address}|${client.port}`;
    if (slots.get(key)) {
      // The client retransmitted its RRQ; the transfer already answering it will retransmit on its own.
      safeLog({ event: 'duplicate-request', client, filename });
      return;
    }
    const granted = slots.take(key, client.address, Date.now());
    if (!granted) {
      refuse(client, ErrorCode.NOT_DEFINED, 'Server busy, try again', 'too many transfers', filename);
      return;
    }
    const { slot, taken } = granted;
    if (taken) {
      const port = Number(taken.key.slice(taken.key.lastIndexOf('|') + 1));
      safeLog({ event: 'taken-back', client: { address: taken.address, port }, by: client });
      taken.session?.abort('Server busy, try again');
    }
    track(
      startTransfer(packet, client, slot).catch((error: unknown) => {
        safeLog({ event: 'internal-error', client, error });
        if (!slot.session) release(slot);
      }),
    );
  }

  main.on('message', (msg, rinfo) => {
    if (!closed) onRequest(msg, rinfo);
  });
  main.on('error', (error) => safeLog({ event: 'socket-error', error }));

  // Ends transfers older than maxTransferMs: a client acknowledging just inside every timeout would otherwise keep a
  // slot for as long as it likes. One sweep for all transfers keeps the per-ACK path free of clock reads.
  const sweep = setInterval(
    () => {
      const limit = Date.now() - maxTransferMs;
      for (const slot of [...slots.values()]) {
        if (slot.startedAt > limit) continue;
        if (slot.session) slot.session.abort('Transfer took too long', 'timeout');
        else release(slot);
      }
    },
    Math.max(50, Math.min(5000, maxTransferMs / 4)),
  );
  sweep.unref();

  const bound = main.address();
  return {
    address: () => ({ ...bound }),
    activeTransfers: () => slots.size,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      await new Promise<void>((resolve) => main.close(() => resolve()));
      for (const slot of [...slots.values()]) slot.session?.abort('Server shutting down');
      // Opening requests notice `closed` when the source answers; wait for them and for every socket and file.
      while (settling.size > 0) await Promise.all([...settling]);
    },
  };
}
