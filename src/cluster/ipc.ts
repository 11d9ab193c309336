// Messages between the cluster's primary and its children (HTTP workers, the background process), and replies with a deadline.

import type { SharedMemoEntry } from '../provisioning/cached-provisioning-files';
import type { MetricsSnapshot } from '../servers/metrics';

/** A change to the miss limiter, applied by every process in the same order of arrival. */
export type LimiterOp =
  | { op: 'miss'; address: string; now: number; challenge: { mac: string; answered: boolean } | null }
  | { op: 'settle'; address: string; mac: string; now: number };

export type Message =
  /** child -> primary: apply and pass on (id 0: no answer wanted); primary -> child: apply, answer limiter-ack. */
  | { t: 'limiter'; id: number; op: LimiterOp }
  | { t: 'limiter-ack'; id: number }
  /** primary -> child: your snapshot, please; child -> primary: here it is. */
  | { t: 'snapshot?'; id: number }
  | { t: 'snapshot'; id: number; snapshot: MetricsSnapshot }
  /** HTTP worker -> primary: every process's snapshot, please (someone asked /metrics); and the answer. */
  | { t: 'metrics?'; id: number }
  | { t: 'metrics'; id: number; snapshots: MetricsSnapshot[] }
  /** background -> primary -> HTTP workers: rendered files (to: only that worker). */
  | { t: 'memo'; entries: SharedMemoEntry[]; to?: number }
  /** primary -> background: send your whole memo to that worker (it just started). */
  | { t: 'memo-replay'; to: number }
  /** HTTP worker -> primary: may I open the database (is it migrated and seeded)? primary -> worker: yes, now. */
  | { t: 'db?' }
  | { t: 'db-ready' }
  /** HTTP worker -> primary: listening and handling messages. */
  | { t: 'ready' }
  /** primary -> child: finish what is in progress and exit. */
  | { t: 'stop' };

export function isMessage(m: unknown): m is Message {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string';
}

/** Calls waiting for an answer by id; each settles with its answer or, after `timeoutMs`, with `fallback`. */
export class Replies<T> {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: T) => void; timer: NodeJS.Timeout }>();

  open(timeoutMs: number, fallback: () => T): { id: number; answer: Promise<T> } {
    const id = this.next++;
    const answer = new Promise<T>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(fallback());
      }, timeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve, timer });
    });
    return { id, answer };
  }

  settle(id: number, value: T): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    w.resolve(value);
  }
}
