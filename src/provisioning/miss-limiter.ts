// Rate limit of refused per-phone requests per source: token buckets per address and per network, in fixed memory.
//
// Every refused per-phone request — the same 401 for an unknown MAC, a known one without or with wrong credentials, a
// User-Agent MAC that differs from the path — and every MAC-shaped name no phone can have takes one token, whatever the
// MAC, so the limiter cannot tell a guesser which MACs exist (a right password on an expired nonce takes none: only the
// phone can send it). When a source has no token left, its per-phone requests are refused (429) before any lookup.
// A phone's own challenge round trip costs nothing in the end: a 401 to a request without credentials remembers
// (address, MAC); one answer to it is heard even when the budget ran out meanwhile (a NAT's phones all challenged at
// once), and a valid digest login for that MAC from that address gives the token back. A wrong answer uses the
// challenge up and takes a token, so every password guess still costs two tokens: the challenge and the answer.
//
// Two budgets, both must have a token: one per address (IPv4 /32, IPv6 /64 — one site owns a whole /64) and a wider
// one per network (IPv4 /24, IPv6 /48), so many addresses of one network share a ceiling. Buckets live in count-min
// sketches (4 rows of 32,768 cells per budget, 2 MB in all, hashed with keys drawn at start-up): no table to fill, so
// a flood from many addresses cannot push anyone's debt out; a collision can only make a bucket look emptier. Each cell
// holds the time its debt is paid (GCRA), so refilling costs nothing until it is read.
// Addresses on the allow-list (a customer's NAT in PROVISIONING_ALLOW) are never limited, only logged.
import { randomInt } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { addressBytes, CidrList } from './cidr';

export interface MissLimiterOptions {
  /** Tokens added per minute per address (sustained refusals per minute). Default 20. */
  perMinute?: number;
  /** Bucket size per address (refusals allowed in a burst). Default = perMinute. */
  burst?: number;
  /** Tokens per minute for a whole IPv4 /24 or IPv6 /48. Default 10 x perMinute. */
  networkPerMinute?: number;
  /** Bucket size per network. Default = networkPerMinute. */
  networkBurst?: number;
  /** CIDR ranges never limited. */
  allow?: readonly string[];
}

const ROWS = 4;
const WIDTH_BITS = 15;
const WIDTH = 1 << WIDTH_BITS;
/** Challenges awaiting their phone's login, at most; beyond it the oldest are forgotten (their token stays spent). */
const MAX_PENDING = 65_536;
/** A challenge's token comes back only within this time (the digest nonce lives 5 minutes, plus a bucket). */
const PENDING_MS = 10 * 60_000;

/** One budget: GCRA "debt paid at" times in a count-min sketch. */
class Budget {
  private readonly cells = new Float64Array(ROWS * WIDTH);
  private readonly mul = new Int32Array(ROWS * 2);
  private readonly add = new Int32Array(ROWS);
  private readonly interval: number;
  private readonly limit: number;
  private readonly cap: number;
  /** No cell is in debt after this time: the common case answers without hashing. */
  private quietAfter = Number.NEGATIVE_INFINITY;
  private readonly at = new Int32Array(ROWS);

  constructor(perMinute: number, burst: number) {
    this.interval = 60_000 / perMinute;
    // Limited when fewer than one token is left: debt above burst - 1 intervals.
    this.limit = (burst - 1) * this.interval;
    this.cap = burst * this.interval;
    for (let i = 0; i < ROWS * 2; i++) this.mul[i] = randomInt(0, 2 ** 31) * 2 + 1;
    for (let i = 0; i < ROWS; i++) this.add[i] = randomInt(0, 2 ** 31);
  }

  private locate(k0: number, k1: number): void {
    for (let r = 0; r < ROWS; r++) {
      const h =
        (Math.imul(this.mul[2 * r] as number, k0) +
          Math.imul(this.mul[2 * r + 1] as number, k1) +
          (this.add[r] as number)) |
        0;
      this.at[r] = r * WIDTH + (h >>> (32 - WIDTH_BITS));
    }
  }

  /** Nobody owes anything now. */
  quiet(now: number): boolean {
    return now >= this.quietAfter;
  }

  /** Milliseconds of debt of the key (an over-estimate when other keys share all its cells). */
  debt(k0: number, k1: number, now: number): number {
    if (now >= this.quietAfter) return 0;
    this.locate(k0, k1);
    let paid = Number.POSITIVE_INFINITY;
    for (let r = 0; r < ROWS; r++) paid = Math.min(paid, this.cells[this.at[r] as number] as number);
    return Math.max(0, paid - now);
  }

  limited(k0: number, k1: number, now: number): boolean {
    return this.debt(k0, k1, now) > this.limit;
  }

  retryAfterMs(k0: number, k1: number, now: number): number {
    return Math.max(0, this.debt(k0, k1, now) - this.limit);
  }

  charge(k0: number, k1: number, now: number): void {
    this.locate(k0, k1);
    for (let r = 0; r < ROWS; r++) {
      const i = this.at[r] as number;
      const paid = Math.min(Math.max(this.cells[i] as number, now) + this.interval, now + this.cap);
      this.cells[i] = paid;
      if (paid > this.quietAfter) this.quietAfter = paid;
    }
  }

  refund(k0: number, k1: number, now: number): void {
    this.locate(k0, k1);
    for (let r = 0; r < ROWS; r++) {
      const i = this.at[r] as number;
      this.cells[i] = Math.max(now, (this.cells[i] as number) - this.interval);
    }
  }
}

/** The two hash words of an address's own key and of its network's key; null when it is no IP address. */
interface Keys {
  a0: number;
  a1: number;
  n0: number;
  n1: number;
}

const V4 = 0x34;
const V6 = 0x36;

/** Dotted quad to a 32-bit number, without allocating (the common case of every per-phone request). */
function ipv4Number(s: string, from: number): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = from; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 255) return -1;
      n = ((n << 8) | part) >>> 0;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      part = part * 10 + (c - 0x30);
      digits++;
    } else return -1;
  }
  return parts === 4 ? n : -1;
}

/** The last address keysOf parsed, with its keys: a storm's requests come from a few addresses in a row. */
let lastAddress: string | null = null;
let lastOk = false;
const lastKeys: Keys = { a0: 0, a1: 0, n0: 0, n1: 0 };

function keysOf(address: string, out: Keys): boolean {
  if (address !== lastAddress) {
    lastOk = parseKeys(address, lastKeys);
    lastAddress = address;
  }
  out.a0 = lastKeys.a0;
  out.a1 = lastKeys.a1;
  out.n0 = lastKeys.n0;
  out.n1 = lastKeys.n1;
  return lastOk;
}

function parseKeys(address: string, out: Keys): boolean {
  const mapped = address.length > 7 && address.charCodeAt(0) === 0x3a && /^::ffff:/i.test(address);
  const v4 = isIPv4(address) || (mapped && isIPv4(address.slice(7))) ? ipv4Number(address, mapped ? 7 : 0) : -1;
  if (v4 >= 0) {
    out.a0 = V4;
    out.a1 = v4 | 0;
    out.n0 = V4 + 1;
    out.n1 = (v4 & 0xffffff00) | 0;
    return true;
  }
  const bytes = addressBytes(address);
  if (bytes?.length !== 16) return false;
  const hi = bytes.readInt32BE(0);
  const lo = bytes.readInt32BE(4);
  out.a0 = hi ^ V6;
  out.a1 = lo;
  out.n0 = (hi ^ V6) + 1;
  out.n1 = lo & 0xffff0000;
  return true;
}

/**
 * What the provisioning servers ask of a limiter. recordMiss may return a promise: a limiter shared by several
 * processes (src/cluster/shared-limiter.ts) resolves it once every process counted the miss, and the refusal is sent
 * only then, so a guesser's next try meets the same count whichever process answers it.
 */
export interface MissLimiting {
  allowListed(address: string): boolean;
  isLimited(address: string, now: number): boolean;
  retryAfterSeconds(address: string, now: number): number;
  recordMiss(address: string, now: number, challenge?: { mac: string; answered: boolean } | null): void | Promise<void>;
  awaitsAnswer(address: string, mac: string, now: number): boolean;
  settle(address: string, mac: string, now: number): void;
}

export class MissLimiter implements MissLimiting {
  private readonly address: Budget;
  private readonly network: Budget;
  private readonly allow: CidrList;
  private readonly keys: Keys = { a0: 0, a1: 0, n0: 0, n1: 0 };
  /** "address|mac" of challenges whose token a valid login gives back, with how many and until when. */
  private readonly pending = new Map<string, { n: number; until: number }>();

  constructor(options: MissLimiterOptions = {}) {
    const perMinute = options.perMinute ?? 20;
    const networkPerMinute = options.networkPerMinute ?? perMinute * 10;
    this.address = new Budget(perMinute, options.burst ?? perMinute);
    this.network = new Budget(networkPerMinute, options.networkBurst ?? networkPerMinute);
    this.allow = new CidrList(options.allow ?? []);
  }

  allowListed(address: string): boolean {
    return this.allow.has(address);
  }

  /** True when this address (or its network) has used up its refusals, so its per-phone requests are refused. */
  isLimited(address: string, now: number): boolean {
    // Nobody has been refused lately: nothing to parse (every per-phone request of a boot storm asks this).
    if (this.address.quiet(now) && this.network.quiet(now)) return false;
    if (this.allowListed(address) || !keysOf(address, this.keys)) return false;
    const k = this.keys;
    return this.address.limited(k.a0, k.a1, now) || this.network.limited(k.n0, k.n1, now);
  }

  /** Seconds until the address may try again (for Retry-After). */
  retryAfterSeconds(address: string, now: number): number {
    if (!keysOf(address, this.keys)) return 0;
    const k = this.keys;
    const ms = Math.max(this.address.retryAfterMs(k.a0, k.a1, now), this.network.retryAfterMs(k.n0, k.n1, now));
    return Math.ceil(ms / 1000);
  }

  /**
   * Takes one token for a refusal. For a 401 to a per-phone file, `challenge` tells which MAC, and whether the request
   * was itself an answer (it carried credentials): a fresh challenge is remembered for settle(), an answer uses one up.
   */
  recordMiss(address: string, now: number, challenge: { mac: string; answered: boolean } | null = null): void {
    if (this.allowListed(address) || !keysOf(address, this.keys)) return;
    const k = this.keys;
    this.address.charge(k.a0, k.a1, now);
    this.network.charge(k.n0, k.n1, now);
    if (challenge === null) return;
    const id = `${address}|${challenge.mac}`;
    const p = this.pending.get(id);
    if (challenge.answered) {
      if (p && --p.n <= 0) this.pending.delete(id);
      return;
    }
    if (p && p.until > now) {
      p.n++;
      p.until = now + PENDING_MS;
      return;
    }
    this.pending.delete(id);
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
    this.pending.set(id, { n: 1, until: now + PENDING_MS });
  }

  /** A challenge to `mac` from `address` awaits its answer: that answer is heard even while the address is limited. */
  awaitsAnswer(address: string, mac: string, now: number): boolean {
    if (this.pending.size === 0) return false;
    const p = this.pending.get(`${address}|${mac}`);
    return p !== undefined && p.until > now;
  }

  /** A valid digest login for `mac` from `address`: the tokens its challenges took come back. */
  settle(address: string, mac: string, now: number): void {
    if (this.pending.size === 0) return;
    const id = `${address}|${mac}`;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.until <= now || !keysOf(address, this.keys)) return;
    const k = this.keys;
    for (let i = 0; i < p.n; i++) {
      this.address.refund(k.a0, k.a1, now);
      this.network.refund(k.n0, k.n1, now);
    }
  }

  /** Challenges waiting for their phone's login (for tests and metrics). */
  get pendingChallenges(): number {
    return this.pending.size;
  }
}

/** The address-level key as text (for logs and tests): IPv4 as is, IPv6 by its /64 prefix. */
export function bucketKey(address: string): string {
  const bytes = addressBytes(address);
  if (!bytes) return address;
  return bytes.length === 4 ? [...bytes].join('.') : `${bytes.subarray(0, 8).toString('hex')}/64`;
}
