// Recognises the one kind of request the keep-alive fast path answers itself — a plain HTTP/1.1 GET or HEAD of a
// provisioning file, as phones and load tools send it — and nothing else. Strict on purpose: whatever is unusual
// (another method or version, a body, framing headers, a duplicate, obs-fold, bare CR or LF, a byte outside printable
// ASCII) is 'other', and node:http parses it, answers it or refuses it exactly as it does without the fast path.

export interface SimpleRequest {
  kind: 'request';
  /** Bytes the request took (request line, headers and the empty line). */
  length: number;
  method: 'GET' | 'HEAD';
  /** The request target as sent: origin-form, under the mount. */
  target: string;
  userAgent: string | null;
  authorization: string | null;
  ifNoneMatch: string | null;
}

export type Recognised = SimpleRequest | { kind: 'incomplete' } | { kind: 'other' };

/** Header blocks larger than this go to node:http (its own limit, 16 KB, answers 431). */
export const MAX_SIMPLE_HEAD = 8192;
/** So do requests with more headers (node:http reads only its maxHeadersCount, 2,000, and drops the rest). */
export const MAX_SIMPLE_HEADERS = 64;

const INCOMPLETE = { kind: 'incomplete' } as const;
const OTHER = { kind: 'other' } as const;

// Origin-form, RFC 3986 path and query characters only: nothing node:http's parser might refuse or read differently.
const REQUEST_LINE = /^(GET|HEAD) (\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*) HTTP\/1\.1$/;
// token ":" value (a line starting with a space is obs-fold: no match). Both linear: no backtracking to exploit.
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):(.*)$/;
// Printable ASCII and tabs; trim() then removes exactly the optional whitespace (spaces and tabs) around it.
const HEADER_VALUE = /^[\x20-\x7e\t]*$/;
// A request with a body, or one that asks for more than a plain answer, is node:http's.
const NOT_SIMPLE = new Set(['content-length', 'transfer-encoding', 'expect', 'upgrade', 'te', 'trailer']);

/** True while `text` can still grow into `GET <prefix>` or `HEAD <prefix>`. */
function couldStart(text: string, prefix: string): boolean {
  for (const method of ['GET ', 'HEAD ']) {
    const start = method + prefix;
    const n = Math.min(text.length, start.length);
    if (text.slice(0, n) === start.slice(0, n)) return true;
  }
  return false;
}

/**
 * `text` holds the connection's unread bytes as latin1 (one char per byte). `prefix` is the mount with its slash
 * ("/provisioning/"): requests for anything else are 'other' as soon as their first bytes say so.
 */
export function recogniseSimpleRequest(text: string, prefix: string): Recognised {
  if (!couldStart(text, prefix)) return OTHER;
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return text.length > MAX_SIMPLE_HEAD ? OTHER : INCOMPLETE;
  if (end + 4 > MAX_SIMPLE_HEAD) return OTHER;
  const lines = text.slice(0, end).split('\r\n');
  const first = REQUEST_LINE.exec(lines[0] as string);
  if (!first || lines.length - 1 > MAX_SIMPLE_HEADERS) return OTHER;
  let hosts = 0;
  let userAgent: string | null = null;
  let authorization: string | null = null;
  let ifNoneMatch: string | null = null;
  let connection = false;
  for (let i = 1; i < lines.length; i++) {
    const m = HEADER_LINE.exec(lines[i] as string);
    if (!m) return OTHER;
    if (!HEADER_VALUE.test(m[2] as string)) return OTHER;
    const name = (m[1] as string).toLowerCase();
    const value = (m[2] as string).trim();
    if (NOT_SIMPLE.has(name)) return OTHER;
    switch (name) {
      case 'host':
        hosts++;
        break;
      case 'user-agent':
        if (userAgent !== null) return OTHER;
        userAgent = value;
        break;
      case 'authorization':
        if (authorization !== null) return OTHER;
        authorization = value;
        break;
      case 'if-none-match':
        if (ifNoneMatch !== null) return OTHER;
        ifNoneMatch = value;
        break;
      case 'connection':
        // Only the default of HTTP/1.1 said aloud; "close" and the rest are node:http's to honour.
        if (connection || value.toLowerCase() !== 'keep-alive') return OTHER;
        connection = true;
        break;
    }
  }
  // HTTP/1.1 requires exactly one Host (node:http answers 400 without one).
  if (hosts !== 1) return OTHER;
  return {
    kind: 'request',
    length: end + 4,
    method: first[1] as 'GET' | 'HEAD',
    target: first[2] as string,
    userAgent,
    authorization,
    ifNoneMatch,
  };
}
