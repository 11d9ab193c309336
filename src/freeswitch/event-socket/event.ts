// FreeSWITCH events as Dialtone sees them, decoded from text/event-plain (URL-encoded values) or text/event-json.

import { EslProtocolError } from './errors';
import { bodyText, ContentType, contentTypeOf, type EslFrame, type EslHeader, getHeader } from './frame';
import { parseHeaderBlock } from './frame-parser';

export type EslEventFormat = 'plain' | 'json';

export interface EslEvent {
  /** `Event-Name`, e.g. CHANNEL_ANSWER; CUSTOM events keep `CUSTOM` here and put the real name in `subclass`. */
  readonly name: string;
  /** `Event-Subclass` of CUSTOM events, e.g. `sofia::register`, `callcenter::info`. */
  readonly subclass: string | undefined;
  /** Every header by name, values decoded (plain) or as sent (json). A repeated name keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  /** The same headers in wire order with repeats kept (FreeSWITCH repeats e.g. Hangup-Cause in CHANNEL_HANGUP_COMPLETE). */
  readonly headerList: readonly EslHeader[];
  /** The event's own body (BACKGROUND_JOB output, ...), if it has one. */
  readonly body: string | undefined;
  readonly format: EslEventFormat;
}

export function isEventFrame(frame: EslFrame): boolean {
  const type = contentTypeOf(frame);
  return type === ContentType.eventPlain || type === ContentType.eventJson;
}

/** Decodes a text/event-plain or text/event-json frame. Throws EslProtocolError for anything else or a broken body. */
export function parseEventFrame(frame: EslFrame): EslEvent {
  const type = contentTypeOf(frame);
  if (type === ContentType.eventPlain) return parsePlainEvent(frame.body);
  if (type === ContentType.eventJson) return parseJsonEvent(bodyText(frame));
  throw new EslProtocolError(`not an event frame: Content-Type ${JSON.stringify(type)}`);
}

/**
 * A plain event body is a second header block whose values are URL-encoded, ended by a blank line;
 * events with their own body add an inner Content-Length and that many bytes after the blank line.
 */
export function parsePlainEvent(body: Buffer): EslEvent {
  const end = body.indexOf('\n\n', 0, 'latin1');
  const blockEnd = end < 0 ? trimFinalNewline(body) : end;
  const raw = parseHeaderBlock(body.subarray(0, blockEnd).toString('utf8'));
  const list = raw.map(({ name, value }) => ({ name, value: decodeValue(value) }));
  let eventBody: string | undefined;
  const innerLength = getHeader(raw, 'Content-Length');
  if (innerLength !== undefined && end >= 0) {
    if (!/^\d+$/.test(innerLength)) throw new EslProtocolError(`bad inner Content-Length: ${innerLength}`);
    const start = end + 2;
    const stop = start + Number(innerLength);
    if (stop > body.length) throw new EslProtocolError('event body shorter than its inner Content-Length');
    eventBody = body.subarray(start, stop).toString('utf8');
  }
  return makeEvent(list, eventBody, 'plain');
}

/** A JSON event is one object of string values; its body, if any, is the `_body` member. */
export function parseJsonEvent(text: string): EslEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EslProtocolError(`event-json body is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EslProtocolError('event-json body is not a JSON object');
  }
  const list: EslHeader[] = [];
  let eventBody: string | undefined;
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '_body') {
      eventBody = String(value);
      continue;
    }
    // Multi-valued headers arrive as JSON arrays; spell them as the plain format does so both formats read alike.
    const text = Array.isArray(value) ? `ARRAY::${value.map(String).join('|:')}` : String(value);
    list.push({ name, value: text });
  }
  return makeEvent(list, eventBody, 'json');
}

function makeEvent(headerList: EslHeader[], body: string | undefined, format: EslEventFormat): EslEvent {
  const headers: Record<string, string> = {};
  for (const { name, value } of headerList) headers[name] = value;
  const name = headers['Event-Name'];
  if (!name) throw new EslProtocolError('event without Event-Name');
  return { name, subclass: headers['Event-Subclass'] || undefined, headers, headerList, body, format };
}

function trimFinalNewline(body: Buffer): number {
  return body.length > 0 && body[body.length - 1] === 0x0a ? body.length - 1 : body.length;
}

/** FreeSWITCH percent-encodes UTF-8 bytes; a value with a stray `%` is kept as sent rather than dropped. */
function decodeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
