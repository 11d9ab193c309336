// Login throttling per account and per address: after too many failures in a window, further tries are refused with a
// clear message until the window ends. In memory (per process) and bounded; IPv6 addresses count per /64.
export interface ThrottleOptions {
  perAccount: { max: number; windowMs: number };
  perAddress: { max: number; windowMs: number };
  /** Most keys remembered; the oldest are forgotten first. */
  maxEntries: number;
  now: () => number;
}

export const THROTTLE_DEFAULTS: ThrottleOptions = {
  perAccount: { max: 5, windowMs: 15 * 60_000 },
  perAddress: { max: 20, windowMs: 15 * 60_000 },
  maxEntries: 50_000,
  now: Date.now,
};

export type ThrottleVerdict =
  | { blocked: false }
  | { blocked: true; reason: 'account' | 'address'; retryAfterSec: number };

interface Bucket {
  count: number;
  since: number;
}

/** One key per network a person controls: an IPv4 address, or the /64 of an IPv6 address. */
export function addressKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1];
  const parts = expandIpv6(ip);
  return parts ? `${parts.slice(0, 4).join(':')}::/64` : ip;
}

function expandIpv6(ip: string): string[] | null {
  if (!ip.includes(':')) return null;
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  if (tail === undefined && h.length !== 8) return null;
  const fill = Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => x.toLowerCase().replace(/^0+(?=.)/, ''));
}

export class LoginThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly opts: ThrottleOptions;

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...THROTTLE_DEFAULTS, ...opts };
  }

  check(username: string, ip: string): ThrottleVerdict {
    const now = this.opts.now();
    const acct = this.live(`u:${username.trim().toLowerCase()}`, this.opts.perAccount.windowMs, now);
    if (acct && acct.count >= this.opts.perAccount.max)
      return { blocked: true, reason: 'account', retryAfterSec: this.retry(acct, this.opts.perAccount.windowMs, now) };
    const addr = this.live(`a:${addressKey(ip)}`, this.opts.perAddress.windowMs, now);
    if (addr && addr.count >= this.opts.perAddress.max)
      return { blocked: true, reason: 'address', retryAfterSec: this.retry(addr, this.opts.perAddress.windowMs, now) };
    return { blocked: false };
  }

  fail(username: string, ip: string): void {
    const now = this.opts.now();
    this.bump(`u:${username.trim().toLowerCase()}`, this.opts.perAccount.windowMs, now);
    this.bump(`a:${addressKey(ip)}`, this.opts.perAddress.windowMs, now);
  }

  /** A good login clears the account's failures (not the address's: one right password must not reset a spray). */
  succeed(username: string): void {
    this.buckets.delete(`u:${username.trim().toLowerCase()}`);
  }

  private live(key: string, windowMs: number, now: number): Bucket | null {
    const b = this.buckets.get(key);
    if (!b) return null;
    if (now - b.since >= windowMs) {
      this.buckets.delete(key);
      return null;
    }
    return b;
  }

  private bump(key: string, windowMs: number, now: number): void {
    const b = this.live(key, windowMs, now);
    if (b) b.count++;
    else {
      this.buckets.set(key, { count: 1, since: now });
      while (this.buckets.size > this.opts.maxEntries) {
        const oldest = this.buckets.keys().next().value;
        if (oldest === undefined) break;
        this.buckets.delete(oldest);
      }
    }
  }

  private retry(b: Bucket, windowMs: number, now: number): number {
    return Math.max(1, Math.ceil((b.since + windowMs - now) / 1000));
  }
}
