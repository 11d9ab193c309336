// Reads sipp's -message_file trace: every SIP message a sipp process sent or received, with its headers and body.
import { existsSync, readFileSync } from 'node:fs';

export interface SipMessage {
  direction: 'sent' | 'received';
  /** Request method (INVITE, NOTIFY, ...) or undefined for a response. */
  method?: string;
  /** Response status (200, 486, ...) or undefined for a request. */
  status?: number;
  /** The request URI of a request. */
  uri?: string;
  startLine: string;
  /** Header values by lower-case name, in order (a repeated header keeps every value). */
  headers: Record<string, string[]>;
  body: string;
  /** The exact UDP payload, cut from the trace by the byte count sipp prints. */
  raw: Buffer;
}

/** First value of a header (case-insensitive name), or undefined. */
export function header(m: SipMessage, name: string): string | undefined {
  return m.headers[name.toLowerCase()]?.[0];
}

const BLOCK = /-{20,} [^\n]*\n(?:UDP|TCP) message (sent|received) (?:\((\d+) bytes\)|\[(\d+)\] bytes) ?:\n\n/g;

/** Parses the whole trace file; a missing file is an empty list (sipp writes it on its first message). */
export function readSipLog(file: string): SipMessage[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  const out: SipMessage[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const start = (m.index ?? 0) + m[0].length;
    const length = Number(m[2] ?? m[3]);
    const raw = bytes.subarray(start, start + length);
    if (raw.length < length) break; // still being written
    const parsed = parseMessage(raw, m[1] as 'sent' | 'received');
    if (parsed) out.push(parsed);
  }
  return out;
}

function parseMessage(raw: Buffer, direction: 'sent' | 'received'): SipMessage | null {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n') >= 0 ? text.indexOf('\r\n\r\n') : text.indexOf('\n\n');
  const head = (end >= 0 ? text.slice(0, end) : text).split(/\r?\n/);
  const startLine = head[0]?.trim() ?? '';
  if (!startLine) return null;
  const headers: Record<string, string[]> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers[name] ?? [];
    values.push(line.slice(colon + 1).trim());
    headers[name] = values;
  }
  const body = end >= 0 ? text.slice(end + (text[end] === '\r' ? 4 : 2)) : '';
  const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  return {
    direction,
    startLine,
    ...(response ? { status: Number(response[1]) } : {}),
    ...(request ? { method: request[1], uri: request[2] } : {}),
    headers,
    body,
    raw,
  };
}

/** `"Name" <sip:user@host>;tag=x` -> { name, user }: what a phone shows for the caller. */
export function nameAndUser(value: string | undefined): { name: string; user: string } {
  const v = value ?? '';
  const quoted = /^\s*"((?:[^"\\]|\\.)*)"/.exec(v);
  const bare = /^\s*([^<"]*?)\s*</.exec(v);
  const user = /sips?:([^@;>]*)@/.exec(v)?.[1] ?? '';
  return { name: quoted ? quoted[1].replace(/\\(.)/g, '$1') : (bare?.[1] ?? ''), user };
}
