// Reads a captured HTTP request (head CRLF CRLF body) from test/fixtures as bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export function readCapturedRequest(relPath: string): CapturedRequest {
  const raw = readFileSync(join('test/fixtures/freeswitch', relPath));
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('latin1').split('\r\n');
  const [method, path] = head[0].split(' ');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { method, path, headers, body: raw.subarray(split + 4) };
}
