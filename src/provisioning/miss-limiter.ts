// Rate limit of MAC-shaped misses per source address: a token bucket per IP, in memory, bounded in size.
//
// A miss — a per-phone file asked for an unknown MAC, with wrong credentials or with a User-Agent MAC that differs from
// the path, or a MAC-shaped name no phone can have — takes one token; when an address has none left, every per-phone
// request from it is refused (429) before any lookup. The unauthenticated first request of the digest handshake for a
// known phone is not a miss (a boot would otherwise cost a dozen tokens). Trade-off, accepted: an attacker can tell a
// registered MAC from its unchanged budget, at no more than the limit's rate, and still gets nothing without credentials.
// Addresses on the allow-list (a customer's NAT) are never limited, only logged.
// IPv6 clients are counted per /64 (one site or host owns a whole /64, so counting single addresses would be no limit).
import { addressBytes, CidrList } from './cidr';

export interface MissLimiterOptions {
  /** Tokens added per minute (sustained misses per minute). Default 20. */
  perMinute?: number;
  /** Bucket size (misses allowed in a burst). Default = perMinute. */
  burst?: number;
  /** Addresses tracked at once; the least recently missed are forgotten first. Default 10 000. */
  maxAddresses?: number;
  /** CIDR ranges never limited. */
  allow?: readonly string[];
}

interface Bucket {
  tokens: number;
  at: number;
}

export class MissLimiter {
  private readonly perMs: number;
  private readonly burst: number;
  private readonly max: number;
  private readonly allow: CidrList;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: MissLimiterOptions = {}) {
    const perMinute = options.perMinute ?? 20;
    this.perMs = perMinute / 60_000;
    this.burst = options.burst ?? perMinute;
    this.max = options.maxAddresses ?? 10_000;
    this.allow = new CidrList(options.allow ?? []);
  }

  allowListed(address: string): boolean {
    return this.allow.has(address);
  }

  private refill(address: string, now: number): Bucket | undefined {
    const key = bucketKey(address);
    const b = this.buckets.get(key);
    if (!b) return undefined;
    b.tokens = Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * this.perMs);
    b.at = now;
    if (b.tokens < this.burst) return b;
    // Full again: the same as never having missed, so forget it (and isLimited's fast path comes back).
    this.buckets.delete(key);
    return undefined;
  }

  /** True when this address has used up its misses (so its per-phone requests are refused for now). */
  isLimited(address: string, now: number): boolean {
    // Nobody has missed: nothing to parse (every per-phone request of a boot storm asks this).
    if (this.buckets.size === 0) return false;
    if (this.allowListed(address)) return false;
    const b = this.refill(address, now);
    return b !== undefined && b.tokens < 1;
  }

  /** Seconds until the address may try again (for Retry-After). */
  retryAfterSeconds(address: string, now: number): number {
    const b = this.refill(address, now);
    if (!b || b.tokens >= 1) return 0;
    return Math.ceil((1 - b.tokens) / this.perMs / 1000);
  }

  /** Takes one token for a miss. */
  recordMiss(address: string, now: number): void {
    if (this.allowListed(address)) return;
    const b = this.refill(address, now) ?? { tokens: this.burst, at: now };
    b.tokens = Math.max(0, b.tokens - 1);
    // Re-inserting keeps the Map in least-recently-missed order, so eviction drops the quietest address.
    const key = bucketKey(address);
    this.buckets.delete(key);
    this.buckets.set(key, b);
    while (this.buckets.size > this.max) {
      const oldest = this.buckets.keys().next().value as string;
      this.buckets.delete(oldest);
    }
  }

  /** Addresses tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}

/** IPv4 address as is; IPv6 by its /64 prefix. */
export function bucketKey(address: string): string {
  const bytes = addressBytes(address);
  if (!bytes) return address;
  return bytes.length === 4 ? [...bytes].join('.') : `${bytes.subarray(0, 8).toString('hex')}/64`;
}
