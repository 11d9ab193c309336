// Staggered check-sync: phones whose configuration changed are told to re-fetch it, a few at a time, so a
// PBX-wide change never reboots every phone at once. One entry per device; re-queuing a queued device is a no-op.

export interface ResyncTarget {
  /** Stable key (the device MAC). */
  key: string;
  /** SIP user and domain of the phone's first line: FreeSWITCH finds the registration by them. */
  user: string;
  domain: string;
}

export interface ResyncQueueOptions {
  /** Sends one check-sync (FreeswitchControl.checkSync). */
  send(target: ResyncTarget): Promise<void>;
  /** Phones told per tick (default 2). */
  perTick?: number;
  /** Milliseconds between ticks (default 1000): 2 per second spreads 600 phones over 5 minutes. */
  tickMs?: number;
  /** Attempts per phone when FreeSWITCH is unreachable (default 3). */
  maxAttempts?: number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  /** Timer seam for tests. */
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
}

export class ResyncQueue {
  private readonly queue: Array<ResyncTarget & { attempts: number }> = [];
  private readonly queued = new Set<string>();
  private timer: { unref?: () => void } | null = null;
  private stopped = false;
  readonly sent: string[] = [];

  constructor(private readonly opts: ResyncQueueOptions) {}

  /** Queues the phones; returns how many were newly queued. */
  enqueue(targets: ResyncTarget[]): number {
    let added = 0;
    for (const t of targets) {
      if (this.queued.has(t.key)) continue;
      this.queued.add(t.key);
      this.queue.push({ ...t, attempts: 0 });
      added++;
    }
    this.schedule();
    return added;
  }

  get pending(): number {
    return this.queue.length;
  }

  stop(): void {
    this.stopped = true;
  }

  private schedule(): void {
    if (this.timer || this.stopped || !this.queue.length) return;
    const set = this.opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.timer = set(() => {
      this.timer = null;
      void this.tick();
    }, this.opts.tickMs ?? 1000);
    this.timer.unref?.();
  }

  /** Sends the next batch; exposed so tests can drive the queue without waiting. */
  async tick(): Promise<void> {
    const batch = this.queue.splice(0, this.opts.perTick ?? 2);
    await Promise.all(
      batch.map(async (t) => {
        try {
          await this.opts.send(t);
          this.queued.delete(t.key);
          this.sent.push(t.key);
        } catch (err) {
          t.attempts++;
          if (t.attempts < (this.opts.maxAttempts ?? 3)) this.queue.push(t);
          else {
            this.queued.delete(t.key);
            this.opts.log?.('check-sync failed', { key: t.key, error: (err as Error).message });
          }
        }
      }),
    );
    this.schedule();
  }
}
