// What the client writes: one command line (+ optional headers) ended by a blank line, refused if it could smuggle more.

import { EslCommandRefusedError } from './errors';
import type { EslHeader } from './frame';

/** Generous for any real command (the longest we build is an originate of a few hundred bytes). */
export const MAX_COMMAND_BYTES = 16 * 1024;

// mod_event_socket ends a command at LF and also treats CR as a line break, so either would start a new
// command; other control bytes have no business in a command either.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Throws EslCommandRefusedError unless `text` is safe to put on the wire as one command line.
 * Besides line breaks, mod_event_socket rewrites ANY command that contains both "reload" (or "unload") and
 * "mod_event_socket" into `bgapi reload mod_event_socket`, so a user-typed word could bounce the socket.
 */
export function assertSafeCommandText(text: string, what = 'command'): void {
  if (text.length === 0 || text.trim().length === 0) throw new EslCommandRefusedError(`${what} is empty`);
  const bad = CONTROL.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).padStart(2, '0');
    throw new EslCommandRefusedError(`${what} contains control character 0x${code}; refusing (command injection)`);
  }
  if (/mod_event_socket/i.test(text)) {
    throw new EslCommandRefusedError(`${what} mentions mod_event_socket, which FreeSWITCH would rewrite; refusing`);
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_COMMAND_BYTES) {
    throw new EslCommandRefusedError(`${what} is longer than ${MAX_COMMAND_BYTES} bytes`);
  }
}

/** A body FreeSWITCH takes with `sendevent` (an XML object pushed to a phone is a few kB). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * `<command>\n[Name: value\n...]\n[body]` — the exact bytes mod_event_socket's read_packet expects. With a body
 * (sendevent), `Content-Length` is added here from the body's byte length, so it can never disagree with it.
 */
export function encodeCommand(command: string, headers: readonly EslHeader[] = [], body?: string): Buffer {
  assertSafeCommandText(command);
  let text = `${command}\n`;
  for (const { name, value } of headers) {
    if (!/^[A-Za-z0-9-]+$/.test(name))
      throw new EslCommandRefusedError(`bad command header name ${JSON.stringify(name)}`);
    if (name.toLowerCase() === 'content-length')
      throw new EslCommandRefusedError('Content-Length is set from the body');
    assertSafeCommandText(value, `header ${name}`);
    text += `${name}: ${value}\n`;
  }
  if (body === undefined) return Buffer.from(`${text}\n`, 'utf8');
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new EslCommandRefusedError(`body is longer than ${MAX_BODY_BYTES} bytes`);
  return Buffer.concat([Buffer.from(`${text}Content-Length: ${bytes.length}\n\n`, 'utf8'), bytes]);
}
