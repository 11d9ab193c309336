// Incremental ESL frame parser: bytes in (any chunking), complete frames out. Pure: no sockets, no timers.

import { EslProtocolError } from './errors';
import { type EslFrame, type EslHeader, getHeader } from './frame';

export interface EslFrameParserOptions {
  /** Largest header block accepted before giving up on the stream (default 64 KiB; real blocks are < 200 bytes). */
  readonly maxHeaderBytes?: number;
  /** Largest Content-Length accepted (default 64 MiB; `show api as json` is about 28 KiB). */
  readonly maxBodyBytes?: number;
}

const LF = 0x0a;
const EMPTY = Buffer.alloc(0);

/**
 * Feed it whatever the socket delivers; it returns every frame completed by that chunk, in order.
 * After it throws EslProtocolError the stream is out of sync and the parser must be discarded.
 */
export class EslFrameParser {
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  /** Bytes of the header block being collected (state "head"). */
  private head: Buffer = EMPTY;
  /** Where the blank-line search resumes, so byte-at-a-time input stays linear. */
  private scanFrom = 0;
  /** Set while collecting a body (state "body"). */
  private pending: { headers: EslHeader[]; length: number; chunks: Buffer[]; have: number } | null = null;

  constructor(options: EslFrameParserOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 64 * 1024;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  }

  /** Bytes received but not yet part of a complete frame. */
  get bufferedBytes(): number {
    return this.head.length + (this.pending?.have ?? 0);
  }

  push(chunk: Buffer): EslFrame[] {
    const frames: EslFrame[] = [];
    let input = chunk;
    while (input.length > 0) {
      input = this.pending ? this.takeBody(input, frames) : this.takeHead(input, frames);
    }
    return frames;
  }

  /** Collects header bytes; returns whatever input is left after the header block (the start of the body). */
  private takeHead(input: Buffer, frames: EslFrame[]): Buffer {
    let data = this.head.length ? Buffer.concat([this.head, input]) : input;
    if (this.head.length === 0) {
      // Stray blank lines between frames carry nothing; FreeSWITCH itself skips them.
      let start = 0;
      while (start < data.length && data[start] === LF) start++;
      data = data.subarray(start);
      this.scanFrom = 0;
      if (data.length === 0) return EMPTY;
    }
    const end = data.indexOf('\n\n', this.scanFrom, 'latin1');
    if (end < 0) {
      if (data.length > this.maxHeaderBytes) {
        throw new EslProtocolError(`ESL header block longer than ${this.maxHeaderBytes} bytes without a blank line`);
      }
      this.head = Buffer.from(data);
      this.scanFrom = Math.max(0, data.length - 1);
      return EMPTY;
    }
    const headers = parseHeaderBlock(data.subarray(0, end).toString('utf8'));
    this.head = EMPTY;
    this.scanFrom = 0;
    const rest = data.subarray(end + 2);
    const length = contentLength(headers, this.maxBodyBytes);
    if (length === 0) {
      frames.push({ headers, body: EMPTY });
      return rest;
    }
    this.pending = { headers, length, chunks: [], have: 0 };
    return rest;
  }

  /** Collects body bytes; returns the input left over after the body (the next frame). */
  private takeBody(input: Buffer, frames: EslFrame[]): Buffer {
    const pending = this.pending!;
    const missing = pending.length - pending.have;
    if (input.length < missing) {
      pending.chunks.push(input);
      pending.have += input.length;
      return EMPTY;
    }
    pending.chunks.push(input.subarray(0, missing));
    // Copy so a frame never pins a large socket chunk in memory.
    const body = Buffer.concat(pending.chunks, pending.length);
    frames.push({ headers: pending.headers, body });
    this.pending = null;
    return input.subarray(missing);
  }
}

/** `Name: value` lines (LF-separated, no trailing blank line). Leading spaces of the value are dropped, as libesl does. */
export function parseHeaderBlock(text: string): EslHeader[] {
  const headers: EslHeader[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new EslProtocolError(`malformed ESL header line: ${JSON.stringify(line.slice(0, 80))}`);
    }
    headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).replace(/^ +/, '') });
  }
  return headers;
}

function contentLength(headers: readonly EslHeader[], max: number): number {
  const raw = getHeader(headers, 'Content-Length');
  if (raw === undefined) return 0;
  if (!/^\d{1,12}$/.test(raw)) throw new EslProtocolError(`bad Content-Length: ${JSON.stringify(raw)}`);
  const length = Number(raw);
  if (length > max) throw new EslProtocolError(`Content-Length ${length} exceeds the ${max}-byte limit`);
  return length;
}
