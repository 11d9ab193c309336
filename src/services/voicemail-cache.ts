// A short-lived copy of each mailbox's message list, so phones paging through a 500-message mailbox (and the portal
// redrawing it) cost one vm_list per mailbox per moment, not one per request.
//
// Freshness: every change Dialtone makes drops the copy at once; a change made elsewhere (a caller leaving a message,
// *98) arrives as FreeSWITCH's MESSAGE_WAITING event (update_mwi, which every such change fires) and drops it too;
// without events the copy is at most `ttlMs` old. Concurrent readers share one fetch that started after their
// request arrived or after the last invalidation, so nobody gets a list from before a change they just made.
//
// Each copy's ttl is shortened at random by up to half, so lists fetched together expire apart.
// A copy past its ttl that no event dropped is still served for up to `staleMs` more while a fresh one is fetched
// behind it (stale-while-revalidate): an expired 500-message list otherwise held every phone reading it for a vm_list
// round trip and a parse, the largest part of the phone apps' p99. A dropped copy is never served.

export interface CachedList<T> {
  readonly value: T;
  readonly fetchedAt: number;
  /** fetchedAt + ttlMs shortened by up to half at random, so lists fetched together do not all expire together. */
  readonly freshUntil: number;
}

interface Slot<T> {
  value?: CachedList<T>;
  pending?: Promise<CachedList<T>>;
  /** Bumped by invalidate(): a fetch started under an older generation is not kept. */
  generation: number;
}

export interface ListCacheOptions {
  ttlMs?: number;
  /** How long past ttlMs an undropped copy is served while a fresh one is fetched (default 5 × ttlMs). */
  staleMs?: number;
  /** 0..1; default Math.random. The ttl of each copy is ttlMs × (1 − random()/2). */
  random?: () => number;
  /** Mailboxes remembered at most (the oldest copies go first). */
  maxEntries?: number;
  now?: () => number;
}

export class ListCache<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly ttlMs: number;
  private readonly staleMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly fetch: (key: string) => Promise<T>,
    options: ListCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.staleMs = options.staleMs ?? this.ttlMs * 5;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  async get(key: string): Promise<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { generation: 0 };
      this.slots.set(key, slot);
      this.trim();
    }
    const value = slot.value;
    const now = this.now();
    if (value && now < value.freshUntil) return value.value;
    const pending = slot.pending ?? this.refresh(key, slot);
    if (value && now < value.freshUntil + this.staleMs) {
      pending.catch(() => {}); // a failed refresh leaves the copy to expire; the next reader tries again
      return value.value;
    }
    return (await pending).value;
  }

  /** Starts the slot's fetch; its result is kept unless the copy was dropped meanwhile. */
  private refresh(key: string, slot: Slot<T>): Promise<CachedList<T>> {
    const generation = slot.generation;
    const started = this.now();
    // Phones that opened their mailboxes together would otherwise refresh them all in the same instant, every ttl.
    const freshUntil = started + this.ttlMs * (1 - Math.min(1, Math.max(0, this.random())) / 2);
    const pending = this.fetch(key).then((v) => ({ value: v, fetchedAt: started, freshUntil }));
    slot.pending = pending;
    pending.then(
      (v) => {
        if (slot.pending === pending) slot.pending = undefined;
        if (slot.generation === generation) slot.value = v;
      },
      () => {
        if (slot.pending === pending) slot.pending = undefined;
      },
    );
    return pending;
  }

  /** Drops the copy (and lets the next reader start a fresh fetch even while an older one is still running). */
  invalidate(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.generation++;
    slot.value = undefined;
    slot.pending = undefined;
  }

  get size(): number {
    return this.slots.size;
  }

  private trim(): void {
    while (this.slots.size > this.maxEntries) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) return;
      this.slots.delete(oldest);
    }
  }
}
