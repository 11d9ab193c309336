// Token buckets per key (a phone's token, a source address): a burst, then a steady rate. Bounded memory: the
// least recently used keys are forgotten first, and a forgotten key simply starts again with a full bucket.

export interface BucketOptions {
  /** Requests allowed at once. */
  readonly burst: number;
  /** Requests allowed per second after the burst. */
  readonly perSecond: number;
  /** Keys remembered at most. */
  readonly maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;

  constructor(private readonly options: BucketOptions) {
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  /** Takes one request's worth; false when the key is over its rate (nothing is taken then). */
  take(key: string, now: number): boolean {
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: Map order is the recency order
      b.tokens = Math.min(this.options.burst, b.tokens + ((now - b.at) / 1000) * this.options.perSecond);
      b.at = now;
    } else {
      b = { tokens: this.options.burst, at: now };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Whether take() would succeed now, without taking anything. */
  allows(key: string, now: number): boolean {
    const b = this.buckets.get(key);
    if (!b) return true;
    return Math.min(this.options.burst, b.tokens + ((now - b.at) / 1000) * this.options.perSecond) >= 1;
  }

  /** Seconds until the key may ask again (for Retry-After). */
  retryAfter(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    return Math.ceil((1 - b.tokens) / this.options.perSecond);
  }
}
