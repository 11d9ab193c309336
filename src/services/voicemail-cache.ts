// A short-lived copy of each mailbox's message list, so phones paging through a 500-message mailbox (and the portal
// redrawing it) cost one vm_list per mailbox per moment, not one per request.
//
// Freshness: every change Dialtone makes drops the copy at once; a change made elsewhere (a caller leaving a message,
// *98) arrives as FreeSWITCH's MESSAGE_WAITING event (update_mwi, which every such change fires) and drops it too;
// without events the copy is at most `ttlMs` old. Concurrent readers share one fetch that started after their
// request arrived or after the last invalidation, so nobody gets a list from before a change they just made.

export interface CachedList<T> {
  readonly value: T;
  readonly fetchedAt: number;
}

interface Slot<T> {
  value?: CachedList<T>;
  pending?: Promise<CachedList<T>>;
  /** Bumped by invalidate(): a fetch started under an older generation is not kept. */
  generation: number;
}

export interface ListCacheOptions {
  ttlMs?: number;
  /** Mailboxes remembered at most (the oldest copies go first). */
  maxEntries?: number;
  now?: () => number;
}

export class ListCache<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly fetch: (key: string) => Promise<T>,
    options: ListCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { generation: 0 };
      this.slots.set(key, slot);
      this.trim();
    }
    const value = slot.value;
    if (value && this.now() - value.fetchedAt < this.ttlMs) return value.value;
    if (!slot.pending) {
      const generation = slot.generation;
      const started = this.now();
      const own = slot;
      const pending = this.fetch(key).then((v) => ({ value: v, fetchedAt: started }));
      slot.pending = pending;
      pending.then(
        (v) => {
          if (own.pending === pending) own.pending = undefined;
          if (own.generation === generation) own.value = v;
        },
        () => {
          if (own.pending === pending) own.pending = undefined;
        },
      );
    }
    return (await slot.pending!).value;
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
