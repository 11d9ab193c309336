// What goes on the wire for a provisioning answer: status, headers in order, body. Both ways of writing it — node:http
// (listener.ts) and the keep-alive fast path (fast-path.ts) — send the same bytes because both read them from here.
import type { ProvisioningAnswer } from './answer';

const TEXT = 'text/plain; charset=utf-8';

/** Fixed short bodies: every refusal of a kind is the same bytes. */
const BODIES = {
  401: 'Authentication required\n',
  404: 'Not found\n',
  405: 'Method not allowed\n',
  413: 'Upload too large\n',
  429: 'Too many requests\n',
  500: 'Internal error\n',
} as const;

const BODY_BYTES = Object.fromEntries(Object.entries(BODIES).map(([k, v]) => [k, Buffer.from(v)])) as Record<
  keyof typeof BODIES,
  Buffer
>;

export type Header = readonly [name: string, value: string];

/** A response whose bytes are all known now. */
export interface FixedResponse {
  kind: 'fixed';
  status: number;
  headers: Header[];
  /** Sent for GET only (HEAD gets the same headers); null: no body at all. */
  body: Buffer | null;
  /** False for 401: the answers for "unknown MAC" and "wrong password" are then the very same bytes. */
  date: boolean;
}

export type ResponsePlan =
  | FixedResponse
  /** Firmware from disk: opened before the head goes out, so a file that vanished is a clean 404. */
  | { kind: 'disk'; path: string; contentType: string; cacheControl: string }
  | { kind: 'upload'; path: string; mac: string; file: string };

export function plainResponse(status: keyof typeof BODIES, headers: Header[] = []): FixedResponse {
  const body = BODY_BYTES[status];
  return {
    kind: 'fixed',
    status,
    headers: [
      ...headers,
      ['Content-Type', TEXT],
      ['Content-Length', String(body.length)],
      ['Cache-Control', 'no-store'],
    ],
    body,
    date: true,
  };
}

export function planResponse(answer: ProvisioningAnswer): ResponsePlan {
  switch (answer.status) {
    case 401:
      return { ...plainResponse(401, [['WWW-Authenticate', answer.challenge]]), date: false };
    case 404:
      return plainResponse(404);
    case 405:
      return plainResponse(405, [['Allow', answer.allow]]);
    case 429:
      return plainResponse(429, [['Retry-After', String(answer.retryAfterSeconds)]]);
    case 304:
      return {
        kind: 'fixed',
        status: 304,
        headers: [
          ['ETag', answer.etag],
          ['Cache-Control', answer.secret ? 'no-store' : 'no-cache'],
        ],
        body: null,
        date: true,
      };
    case 'upload':
      return { kind: 'upload', path: answer.path, mac: answer.mac, file: answer.file };
    case 200: {
      const file = answer.file;
      const cacheControl = answer.secret ? 'no-store' : 'no-cache';
      if (file.type === 'disk') return { kind: 'disk', path: file.path, contentType: file.contentType, cacheControl };
      return {
        kind: 'fixed',
        status: 200,
        headers: [
          ['Content-Type', file.contentType],
          ['Content-Length', String(file.body.length)],
          ['ETag', file.etag],
          ['Cache-Control', cacheControl],
        ],
        body: file.body,
        date: true,
      };
    }
  }
}

/** The head of a firmware file's 200, once its size is known (the body is the file, exactly that many bytes). */
export function diskHeaders(plan: Extract<ResponsePlan, { kind: 'disk' }>, size: number): Header[] {
  return [
    ['Content-Type', plan.contentType],
    ['Content-Length', String(size)],
    ['Cache-Control', plan.cacheControl],
  ];
}
