// TFTP packet codec (RFC 1350 + RFC 2347 option extension): pure bytes <-> typed packets, strict about structure.

export const Opcode = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

export const ErrorCode = {
  NOT_DEFINED: 0,
  FILE_NOT_FOUND: 1,
  ACCESS_VIOLATION: 2,
  DISK_FULL: 3,
  ILLEGAL_OPERATION: 4,
  UNKNOWN_TID: 5,
  FILE_EXISTS: 6,
  NO_SUCH_USER: 7,
  /** RFC 2347: the peer refuses the option negotiation. */
  OPTION_REFUSED: 8,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One name/value pair as it appeared on the wire; order and duplicates are kept so logs show what the phone really sent. */
export interface TftpOption {
  readonly name: string;
  readonly value: string;
}

export interface RequestPacket {
  readonly op: 'rrq' | 'wrq';
  readonly filename: string;
  readonly mode: string;
  readonly options: readonly TftpOption[];
}
export interface DataPacket {
  readonly op: 'data';
  readonly block: number;
  /** A view into the datagram, not a copy. */
  readonly data: Buffer;
}
export interface AckPacket {
  readonly op: 'ack';
  readonly block: number;
}
export interface ErrorPacket {
  readonly op: 'error';
  readonly code: number;
  readonly message: string;
}
export interface OackPacket {
  readonly op: 'oack';
  readonly options: readonly TftpOption[];
}
export type TftpPacket = RequestPacket | DataPacket | AckPacket | ErrorPacket | OackPacket;

/** The bytes are not a well-formed TFTP packet (or a packet cannot be encoded as asked). */
export class TftpPacketError extends Error {
  override name = 'TftpPacketError';
}

/** RFC 2348 limits for blksize. */
export const MIN_BLKSIZE = 8;
export const MAX_BLKSIZE = 65464;
/** RFC 1350 block size, used when blksize is not negotiated. */
export const DEFAULT_BLKSIZE = 512;

// latin1 maps every byte to one code unit, so hostile bytes survive decoding and are caught by validation later.
const TEXT: BufferEncoding = 'latin1';

/** Reads NUL-terminated strings from `buf` starting at `pos`. */
class StringCursor {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  next(what: string): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new TftpPacketError(`${what} is not NUL-terminated`);
    const s = this.buf.toString(TEXT, this.pos, end);
    this.pos = end + 1;
    return s;
  }
}

function parseOptions(cur: StringCursor): TftpOption[] {
  const options: TftpOption[] = [];
  while (!cur.done) {
    const name = cur.next('option name');
    if (name === '') throw new TftpPacketError('empty option name');
    const value = cur.next(`value of option ${name}`);
    options.push({ name, value });
  }
  return options;
}

/** Parses one datagram; throws TftpPacketError for anything that is not exactly a well-formed packet. */
export function parsePacket(buf: Buffer): TftpPacket {
  if (buf.length < 2) throw new TftpPacketError('packet shorter than an opcode');
  const opcode = buf.readUInt16BE(0);
  switch (opcode) {
    case Opcode.RRQ:
    case Opcode.WRQ: {
      const cur = new StringCursor(buf, 2);
      const filename = cur.next('filename');
      if (filename === '') throw new TftpPacketError('empty filename');
      const mode = cur.next('mode');
      if (mode === '') throw new TftpPacketError('empty mode');
      const options = parseOptions(cur);
      return { op: opcode === Opcode.RRQ ? 'rrq' : 'wrq', filename, mode, options };
    }
    case Opcode.DATA:
      if (buf.length < 4) throw new TftpPacketError('DATA packet without block number');
      return { op: 'data', block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case Opcode.ACK:
      if (buf.length !== 4) throw new TftpPacketError(`ACK packet of ${buf.length} bytes (must be 4)`);
      return { op: 'ack', block: buf.readUInt16BE(2) };
    case Opcode.ERROR: {
      if (buf.length < 5) throw new TftpPacketError('ERROR packet too short');
      const cur = new StringCursor(buf, 4);
      const message = cur.next('error message');
      if (!cur.done) throw new TftpPacketError('trailing bytes after error message');
      return { op: 'error', code: buf.readUInt16BE(2), message };
    }
    case Opcode.OACK: {
      const options = parseOptions(new StringCursor(buf, 2));
      if (options.length === 0) throw new TftpPacketError('OACK without options');
      return { op: 'oack', options };
    }
    default:
      throw new TftpPacketError(`unknown opcode ${opcode}`);
  }
}

function checkBlock(block: number): void {
  if (!Number.isInteger(block) || block < 0 || block > 0xffff) throw new TftpPacketError(`block ${block} out of range`);
}

function checkText(s: string, what: string, allowEmpty = false): void {
  if (!allowEmpty && s === '') throw new TftpPacketError(`empty ${what}`);
  if (s.includes('\0')) throw new TftpPacketError(`${what} contains NUL`);
  // Refuse what latin1 cannot carry instead of silently mangling it on the wire.
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) throw new TftpPacketError(`${what} has a character outside latin1`);
  }
}

function encodeStrings(opcode: Opcode, strings: readonly string[]): Buffer {
  let length = 2;
  for (const s of strings) length += Buffer.byteLength(s, TEXT) + 1;
  const buf = Buffer.alloc(length);
  buf.writeUInt16BE(opcode, 0);
  let pos = 2;
  for (const s of strings) {
    pos += buf.write(s, pos, TEXT);
    buf[pos++] = 0;
  }
  return buf;
}

function optionStrings(options: readonly TftpOption[]): string[] {
  const out: string[] = [];
  for (const { name, value } of options) {
    checkText(name, 'option name');
    checkText(value, `value of option ${name}`, true);
    out.push(name, value);
  }
  return out;
}

export function encodeRequest(
  op: 'rrq' | 'wrq',
  filename: string,
  mode: string,
  options: readonly TftpOption[] = [],
): Buffer {
  checkText(filename, 'filename');
  checkText(mode, 'mode');
  return encodeStrings(op === 'rrq' ? Opcode.RRQ : Opcode.WRQ, [filename, mode, ...optionStrings(options)]);
}

export function encodeData(block: number, data: Buffer): Buffer {
  checkBlock(block);
  const buf = Buffer.allocUnsafe(4 + data.length);
  buf.writeUInt16BE(Opcode.DATA, 0);
  buf.writeUInt16BE(block, 2);
  data.copy(buf, 4);
  return buf;
}

export function encodeAck(block: number): Buffer {
  checkBlock(block);
  const buf = Buffer.allocUnsafe(4);
  buf.writeUInt16BE(Opcode.ACK, 0);
  buf.writeUInt16BE(block, 2);
  return buf;
}

export function encodeError(code: number, message: string): Buffer {
  checkBlock(code);
  checkText(message, 'error message', true);
  const buf = Buffer.alloc(4 + Buffer.byteLength(message, TEXT) + 1);
  buf.writeUInt16BE(Opcode.ERROR, 0);
  buf.writeUInt16BE(code, 2);
  buf.write(message, 4, TEXT);
  return buf;
}

export function encodeOack(options: readonly TftpOption[]): Buffer {
  if (options.length === 0) throw new TftpPacketError('OACK without options');
  return encodeStrings(Opcode.OACK, optionStrings(options));
}

export function encodePacket(packet: TftpPacket): Buffer {
  switch (packet.op) {
    case 'rrq':
    case 'wrq':
      return encodeRequest(packet.op, packet.filename, packet.mode, packet.options);
    case 'data':
      return encodeData(packet.block, packet.data);
    case 'ack':
      return encodeAck(packet.block);
    case 'error':
      return encodeError(packet.code, packet.message);
    case 'oack':
      return encodeOack(packet.options);
  }
}
