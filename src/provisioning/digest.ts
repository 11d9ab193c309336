// HTTP Digest authentication, server side (RFC 7616 MD5 with qop=auth, RFC 2617 compatible) for provisioning requests.
//
// Phones only speak MD5 digest, so that is what we check; the password itself is never stored: only
// HA1 = MD5(username:realm:password). Nonces are stateless: "<issue time>.<HMAC of it>" with an in-memory key, valid for
// `lifetimeSeconds`. The issue time is rounded down to `bucketSeconds`, so every challenge given within one bucket is the
// same string — which is what makes the answers for "unknown MAC" and "wrong password" byte-identical.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The fixed realm of provisioning credentials (part of every stored HA1: changing it invalidates them all). */
export const DIGEST_REALM = 'dialtone-provisioning';

const MAX_HEADER = 2048;

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
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

/** Parses `Authorization: Digest k=v, k="v"…`; null for anything else or anything malformed. Never throws. */
export function parseDigestAuthorization(header: string | undefined): DigestCredentials | null {
  if (!header || header.length > MAX_HEADER) return null;
  const m = /^Digest\s+(.*)$/is.exec(header.trim());
  if (!m) return null;
  const fields = new Map<string, string>();
  const re = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s",]+)\s*(?:,|$)/gy;
  const rest = m[1] as string;
  let match: RegExpExecArray | null;
  while (re.lastIndex < rest.length) {
    match = re.exec(rest);
    if (!match) return null;
    const name = (match[1] as string).toLowerCase();
    if (fields.has(name)) return null;
    fields.set(name, match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[2] as string));
  }
  const need = (k: string) => fields.get(k);
  const username = need('username');
  const realm = need('realm');
  const nonce = need('nonce');
  const uri = need('uri');
  const response = need('response');
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
    const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
    if (!m) return 'invalid';
    const issued = Number.parseInt(m[1] as string, 36);
    const want = Buffer.from(this.signature(issued, nowMs));
    const got = Buffer.from(m[2] as string);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid';
    const age = nowMs / 1000 - issued;
    if (age < -this.bucket) return 'invalid';
    return age > this.lifetime ? 'stale' : 'valid';
  }
}

/** The WWW-Authenticate value of a challenge. */
export function digestChallenge(nonce: string, stale = false, realm: string = DIGEST_REALM): string {
  return `Digest realm="${realm}", qop="auth", algorithm=MD5, nonce="${nonce}"${stale ? ', stale=true' : ''}`;
}
