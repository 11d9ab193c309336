// Pure decision for one CDR POST: which HTTP status to answer and, when accepted, the parsed call record.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { CallRecordInput } from './call-record';
import { parseCdrPost, UnsupportedCdrEncodingError } from './cdr-post';
import { CdrParseError } from './raw-leg';

// FreeSWITCH treats any 2xx as delivered and anything else as a failure: it retries (`retries`, `delay`) and
// then writes the record to err-log-dir. So only a record we keep gets 2xx; a record nobody could ever parse
// (malformed, an encoding we do not read, oversized) gets 400, and Dialtone keeps its body in a dead-letter folder
// (services/cdr-dead-letter.ts) as FreeSWITCH keeps it in err-log-dir: nothing is dropped silently.

export interface CdrIntakeRequest {
  method: string;
  /** Content-Type header as received. */
  contentType?: string;
  /** Authorization header as received (mod_json_cdr/mod_xml_cdr send HTTP Basic from their `cred` param). */
  authorization?: string;
  body: string | Uint8Array;
}

export interface CdrIntakeCredentials {
  username: string;
  password: string;
}

export interface CdrIntakeOptions {
  /** Largest body accepted, in bytes (default 4 MiB; real records are 5-40 KB). */
  maxBodyBytes?: number;
}

/** Why a record was refused with 400: all three are kept as dead letters, the reason says which. */
export type CdrProblem = 'malformed' | 'encoding' | 'oversized';

export type CdrIntakeDecision =
  | { status: 200; record: CallRecordInput }
  | { status: 400; reason: string; problem: CdrProblem }
  | { status: 405; reason: string }
  | { status: 401; reason: string; wwwAuthenticate: string };

export const CDR_AUTH_REALM = 'Dialtone CDR';

/** Decides the answer to a CDR POST: 405 not POST, 401 bad credentials, 400 oversized/unknown encoding/malformed, 200 accepted. */
export function decideCdrIntake(
  request: CdrIntakeRequest,
  expected: CdrIntakeCredentials,
  options: CdrIntakeOptions = {},
): CdrIntakeDecision {
  if (request.method.toUpperCase() !== 'POST') return { status: 405, reason: 'CDRs are POSTed' };
  if (!credentialsMatch(request.authorization, expected)) {
    return { status: 401, reason: 'bad or missing credentials', wwwAuthenticate: `Basic realm="${CDR_AUTH_REALM}"` };
  }
  const size = typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength;
  const max = options.maxBodyBytes ?? 4 * 1024 * 1024;
  if (size > max) return { status: 400, reason: `body of ${size} bytes is over ${max}`, problem: 'oversized' };
  try {
    return { status: 200, record: parseCdrPost(request.contentType, request.body) };
  } catch (e) {
    if (e instanceof UnsupportedCdrEncodingError) return { status: 400, reason: e.message, problem: 'encoding' };
    if (e instanceof CdrParseError) return { status: 400, reason: e.message, problem: 'malformed' };
    throw e;
  }
}

/** Constant-time check of an HTTP Basic Authorization header against the expected user and password. */
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Per credentials object: the expected digest, and the Authorization header last accepted. FreeSWITCH sends the
 * same header on every lookup, so an accepted header is recognised by string equality instead of two SHA-256s;
 * only accepted headers are remembered, so a wrong guess always takes the constant-time path.
 */
const accepted = new WeakMap<CdrIntakeCredentials, { expected: Buffer; secret: string; header?: string }>();

export function credentialsMatch(authorization: string | undefined, expected: CdrIntakeCredentials): boolean {
  if (expected.username === '' || expected.password === '') return false;
  const secret = `${expected.username}:${expected.password}`;
  let known = accepted.get(expected);
  if (!known || known.secret !== secret) {
    known = { expected: digest(secret), secret };
    accepted.set(expected, known);
  }
  if (authorization !== undefined && authorization === known.header) return true;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  const given = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const ok = timingSafeEqual(digest(given), known.expected) && match !== null;
  if (ok) known.header = authorization;
  return ok;
}
