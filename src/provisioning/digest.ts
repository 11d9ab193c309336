// HTTP Digest authentication, server side (RFC 7616 MD5 with qop=auth, RFC 2617 compatible) for provisioning requests.
//
// Phones only speak MD5 digest, so that is what we check; the password itself is never stored: only
// HA1 = MD5(username:realm:password). Nonces are stateless: "<issue time>.<HMAC of it>" with an in-memory key, valid for
// `lifetimeSeconds`. The issue time is rounded down to `bucketSeconds`, so every challenge given within one bucket is the
// same string — which is what makes the answers for "unknown MAC" and "wrong password" byte-identical.
import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The fixed realm of provisioning credentials (part of every stored HA1: changing it invalidates them all). */
export const DIGEST_REALM = 'dialtone-provisioning';

const MAX_HEADER = 2048;

/** crypto.hash, one call: a third of createHash().update().digest()'s time, and every per-phone request makes two. */
export function md5Hex(text: string): string {
  return hash('md5', text, 'hex');
}

/** HA1 = MD5(username:realm:password), what the device table stores. */
export function digestHa1(username: string, password: string, realm: string = DIGEST_REALM): string {
  return md5Hex(`${username}:${realm}:${password}`);
}

/** The fields of an `Authorization: Digest …` header a server needs. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  qop: string | null;
  nc: string | null;
  cnonce: string | null;
  algorithm: string | null;
}

/** JavaScript's `\s` (what String#trim removes), by code unit. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** What a regex `.` does not match. */
const isLineTerminator = (c: number) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isNameChar = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d;

/**
 * Parses `Authorization: Digest k=v, k="v"…`; null for anything else or anything malformed. Never throws.
 * A scanner rather than a regex loop: every phone request carries this header, and the match arrays of a
 * `/…/gy` loop were the largest allocation of a boot storm's hot path. The grammar is the regex's, to the character
 * (a differential test holds the two together): `\s*name\s*=\s*("quoted"|token)\s*(,|end)`, repeated.
 */
export function parseDigestAuthorization(header: string | undefined): DigestCredentials | null {
  if (!header || header.length > MAX_HEADER) return null;
  const h = header.trim();
  if (h.length < 7 || h.slice(0, 6).toLowerCase() !== 'digest' || !isSpace(h.charCodeAt(6))) return null;
  let i = 7;
  while (i < h.length && isSpace(h.charCodeAt(i))) i++;
  const fields = new Map<string, string>();
  const end = h.length;
  while (i < end) {
    while (i < end && isSpace(h.charCodeAt(i))) i++;
    const nameStart = i;
    if (i >= end || !isLetter(h.charCodeAt(i))) return null;
    i++;
    while (i < end && isNameChar(h.charCodeAt(i))) i++;
    const name = h.slice(nameStart, i).toLowerCase();
    while (i < end && isSpace(h.charCodeAt(i))) i++;
    if (h.charCodeAt(i) !== 0x3d) return null; // =
    i++;
    while (i < end && isSpace(h.charCodeAt(i))) i++;
    let value: string;
    if (h.charCodeAt(i) === 0x22) {
      // "quoted": any character but " and \, or \ followed by anything a regex `.` matches
      i++;
      const valueStart = i;
      let escaped = false;
      for (;;) {
        if (i >= end) return null;
        const c = h.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c) {
          if (i + 1 >= end || isLineTerminator(h.charCodeAt(i + 1))) return null;
          escaped = true;
          i += 2;
        } else i++;
      }
      value = h.slice(valueStart, i);
      if (escaped) value = value.replace(/\\(.)/g, '$1');
      i++;
    } else {
      const valueStart = i;
      while (i < end) {
        const c = h.charCodeAt(i);
        if (isSpace(c) || c === 0x22 || c === 0x2c) break;
        i++;
      }
      if (i === valueStart) return null;
      value = h.slice(valueStart, i);
    }
    while (i < end && isSpace(h.charCodeAt(i))) i++;
    if (i < end) {
      if (h.charCodeAt(i) !== 0x2c) return null; // ,
      i++;
    }
    if (fields.has(name)) return null;
    fields.set(name, value);
  }
  const username = fields.get('username');
  const realm = fields.get('realm');
  const nonce = fields.get('nonce');
  const uri = fields.get('uri');
  const response = fields.get('response');
  if (!username || realm === undefined || !nonce || !uri || !response) return null;
  return {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    qop: fields.get('qop') ?? null,
    nc: fields.get('nc') ?? null,
    cnonce: fields.get('cnonce') ?? null,
    algorithm: fields.get('algorithm') ?? null,
  };
}

/** The expected `response` for qop=auth. */
export function digestResponse(
  ha1: string,
  method: string,
  c: Pick<DigestCredentials, 'nonce' | 'uri' | 'nc' | 'cnonce' | 'qop'>,
): string {
  const ha2 = md5Hex(`${method}:${c.uri}`);
  return md5Hex(`${ha1}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`);
}

/**
 * True when the credentials prove knowledge of the password behind `ha1` for this method. Requires qop=auth (with nc and
 * cnonce), MD5 and our realm; the nonce and the request URI are checked by the caller.
 */
export function verifyDigest(c: DigestCredentials, method: string, ha1: string, realm: string = DIGEST_REALM): boolean {
  if (c.realm !== realm || c.qop !== 'auth' || !c.nc || !/^[0-9a-fA-F]{8}$/.test(c.nc) || !c.cnonce) return false;
  if (c.algorithm !== null && c.algorithm.toUpperCase() !== 'MD5') return false;
  if (!/^[0-9a-f]{32}$/.test(c.response) || !/^[0-9a-f]{32}$/.test(ha1)) return false;
  const expected = Buffer.from(digestResponse(ha1, method, c), 'hex');
  return timingSafeEqual(expected, Buffer.from(c.response, 'hex'));
}

/**
 * The `uri` of the credentials names the request actually made (RFC 7616 §3.4: the server MUST check it), as the raw
 * request target or as an absolute URL with the same path and query.
 */
export function digestUriMatches(digestUri: string, requestTarget: string): boolean {
  if (digestUri === requestTarget) return true;
  if (!/^https?:\/\//i.test(digestUri)) return false;
  try {
    const u = new URL(digestUri);
    return `${u.pathname}${u.search}` === requestTarget;
  } catch {
    return false;
  }
}

export type NonceState = 'valid' | 'stale' | 'invalid';

export interface NonceOptions {
  /** HMAC key; random per process when omitted (a restart makes old nonces "invalid", phones simply retry). */
  key?: Buffer;
  lifetimeSeconds?: number;
  bucketSeconds?: number;
}

/** Issues and checks stateless nonces. */
export class NonceIssuer {
  private readonly key: Buffer;
  private readonly lifetime: number;
  private readonly bucket: number;
  /** Signatures of recent issue times: every request of a boot storm checks one of a handful of nonces. */
  private readonly signed = new Map<number, string>();
  /** Nonces whose signature was checked, with their issue time (same bound as `signed`: only times it holds). */
  private readonly proven = new Map<string, number>();

  constructor(options: NonceOptions = {}) {
    this.key = options.key ?? randomBytes(32);
    this.lifetime = options.lifetimeSeconds ?? 300;
    this.bucket = options.bucketSeconds ?? 60;
  }

  private sign(issued: number): string {
    return createHmac('sha256', this.key).update(`nonce:${issued}`).digest('base64url').slice(0, 22);
  }

  /** sign(), remembered for issue times that can still be valid or stale (so forged times cannot fill the memo). */
  private signature(issued: number, nowMs: number): string {
    const known = this.signed.get(issued);
    if (known !== undefined) return known;
    const sig = this.sign(issued);
    const age = nowMs / 1000 - issued;
    if (age >= -this.bucket && age <= this.lifetime + this.bucket) {
      if (this.signed.size >= 64) this.signed.clear();
      this.signed.set(issued, sig);
    }
    return sig;
  }

  issue(nowMs: number): string {
    const issued = Math.floor(nowMs / 1000 / this.bucket) * this.bucket;
    return `${issued.toString(36)}.${this.signature(issued, nowMs)}`;
  }

  check(nonce: string, nowMs: number): NonceState {
    let issued = this.proven.get(nonce);
    if (issued === undefined) {
      const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
      if (!m) return 'invalid';
      issued = Number.parseInt(m[1] as string, 36);
      const want = Buffer.from(this.signature(issued, nowMs));
      const got = Buffer.from(m[2] as string);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid';
      // Only nonces of issue times the signature memo keeps (those that can still be valid or stale).
      if (this.signed.has(issued)) {
        if (this.proven.size >= 64) this.proven.clear();
        this.proven.set(nonce, issued);
      }
    }
    const age = nowMs / 1000 - issued;
    if (age < -this.bucket) return 'invalid';
    return age > this.lifetime ? 'stale' : 'valid';
  }
}

/** The WWW-Authenticate value of a challenge. */
export function digestChallenge(nonce: string, stale = false, realm: string = DIGEST_REALM): string {
  return `Digest realm="${realm}", qop="auth", algorithm=MD5, nonce="${nonce}"${stale ? ', stale=true' : ''}`;
}
