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
  /** The message exactly as sipp logged it (CRLF restored). */
  raw: string;
}

/** First value of a header (case-insensitive name), or undefined. */
export function header(m: SipMessage, name: string): string | undefined {
  return m.headers[name.toLowerCase()]?.[0];
}

/** Parses the whole trace file; a missing file is an empty list (sipp writes it on its first message). */
export function readSipLog(file: string): SipMessage[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'latin1');
  const out: SipMessage[] = [];
  for (const block of text.split(/^-{20,} .*$/m)) {
    const m = /^\s*(UDP|TCP) message (sent|received) (?:\(\d+ bytes\)|\[\d+\] bytes) ?:\n\n([\s\S]*)$/.exec(block);
    if (!m) continue;
    const parsed = parseMessage(m[3], m[2] as 'sent' | 'received');
    if (parsed) out.push(parsed);
  }
  return out;
}

function parseMessage(text: string, direction: 'sent' | 'received'): SipMessage | null {
  const lines = text.replace(/\r/g, '').split('\n');
  const startLine = lines[0]?.trim() ?? '';
  if (!startLine) return null;
  const headers: Record<string, string[]> = {};
  let i = 1;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) continue;
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const values = headers[name] ?? [];
    values.push(lines[i].slice(colon + 1).trim());
    headers[name] = values;
  }
  const length = Number(headers['content-length']?.[0] ?? '0');
  const body = lines
    .slice(i + 1)
    .join('\r\n')
    .slice(0, Math.max(length, 0));
  const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  return {
    direction,
    startLine,
    ...(response ? { status: Number(response[1]) } : {}),
    ...(request ? { method: request[1], uri: request[2] } : {}),
    headers,
    body,
    raw: lines.join('\r\n'),
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
