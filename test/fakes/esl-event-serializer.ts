// How FreeSWITCH 1.10 writes an event onto the socket (plain and json), for the fake server. Checked against the captures.

import { encodeFrame } from '../../src/freeswitch/event-socket/frame';

/** Header name/value pairs in the order FreeSWITCH added them. */
export type EventHeaders = ReadonlyArray<readonly [string, string]>;

const URL_UNSAFE = new Set(' "#%&+:;<=>?@[\\]^`{|}');
const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * switch_url_encode as switch_event_serialize calls it: control bytes, bytes above `~` and the unsafe set
 * become %XX (upper case); a `%` already followed by two hex digits is left alone (no double encoding).
 */
export function freeswitchUrlEncode(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const char = String.fromCharCode(byte);
    const alreadyEncoded = char === '%' && HEX.test(bytes.subarray(i + 1, i + 3).toString('latin1'));
    if (!alreadyEncoded && (byte < 0x20 || byte > 0x7e || URL_UNSAFE.has(char))) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += char;
    }
  }
  return out;
}

/** switch_event_serialize(encode=true): `Name: value\n` lines, then `Content-Length: N\n\n<body>` or a bare `\n`. */
export function serializePlainEventBody(headers: EventHeaders, body?: string): string {
  let text = headers.map(([name, value]) => `${name}: ${freeswitchUrlEncode(value)}\n`).join('');
  if (body !== undefined) {
    text += `Content-Length: ${Buffer.byteLength(body, 'utf8')}\n\n${body}`;
  } else {
    text += '\n';
  }
  return text;
}

/**
 * switch_event_serialize_json: one object of strings, array headers (`ARRAY::a|:b` in plain) as JSON arrays,
 * the body (if any) as `_body`.
 */
export function serializeJsonEventBody(headers: EventHeaders, body?: string): string {
  const object: Record<string, string | string[]> = {};
  for (const [name, value] of headers) object[name] = value.startsWith('ARRAY::') ? value.slice(7).split('|:') : value;
  if (body !== undefined) object._body = body;
  return JSON.stringify(object);
}

/** The whole frame: event frames put Content-Length before Content-Type (unlike api/response). */
export function eventFrame(format: 'plain' | 'json', serialized: string): Buffer {
  const body = Buffer.from(serialized, 'utf8');
  return encodeFrame(
    [
      { name: 'Content-Length', value: String(body.length) },
      { name: 'Content-Type', value: `text/event-${format}` },
    ],
    body,
  );
}
