// A child process's side of the cluster's messages (HTTP worker or the background process): limiter changes both ways, metrics,
// rendered files, stop.
import type { CachedProvisioningFiles } from '../provisioning/cached-provisioning-files';
import type { MissLimiter } from '../provisioning/miss-limiter';
import type { Metrics, MetricsSnapshot } from '../servers/metrics';
import { isMessage, type LimiterOp, type Message, Replies } from './ipc';
import { SharedMissLimiter } from './shared-limiter';

const ANSWER_MS = 1000;

export interface ChildLinkOptions {
  send: (m: Message) => void;
  metrics: Metrics;
  /** The primary asked this process to finish and exit. */
  onStop: () => void;
  /** The background process: the primary wants the whole memo sent to a worker that just started. */
  onReplay?: (to: number) => void;
  /** An HTTP worker: rendered files from the background process were adopted. */
  onAdopted?: () => void;
}

export class ChildLink {
  private readonly acks = new Replies<void>();
  private readonly gathered = new Replies<MetricsSnapshot[] | null>();
  private limiter: SharedMissLimiter | null = null;
  private files: CachedProvisioningFiles | null = null;
  private dbReady: (() => void) | null = null;

  constructor(private readonly options: ChildLinkOptions) {}

  /** A miss limiter whose changes reach every process (an HTTP worker's). */
  sharedLimiter(local: MissLimiter): SharedMissLimiter {
    this.limiter = new SharedMissLimiter(local, (op, wait) => this.publish(op, wait));
    return this.limiter;
  }

  /** Rendered files the background process sends are adopted into this memo (an HTTP worker's). */
  adoptInto(files: CachedProvisioningFiles): void {
    this.files = files;
  }

  /**
   * Resolves once the primary has migrated (and on a first start seeded) the database: an HTTP worker is started
   * while the primary still does that, loads its code meanwhile, and opens the database only then. Asked, not
   * announced: a message sent before this process listens for it would be lost.
   */
  databaseReady(): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      this.dbReady = resolve;
    });
    this.options.send({ t: 'db?' });
    return ready;
  }

  private publish(op: LimiterOp, wait: boolean): Promise<void> | void {
    if (!wait) {
      this.options.send({ t: 'limiter', id: 0, op });
      return;
    }
    const { id, answer } = this.acks.open(ANSWER_MS, () => undefined);
    this.options.send({ t: 'limiter', id, op });
    return answer;
  }

  /** Every process's metrics, through the primary (this one's alone if the primary does not answer). */
  async collectMetrics(): Promise<MetricsSnapshot[]> {
    const { id, answer } = this.gathered.open(ANSWER_MS * 2, () => null);
    this.options.send({ t: 'metrics?', id });
    return (await answer) ?? [this.options.metrics.snapshot()];
  }

  receive(m: unknown): void {
    if (!isMessage(m)) return;
    switch (m.t) {
      case 'limiter':
        this.limiter?.apply(m.op);
        if (m.id !== 0) this.options.send({ t: 'limiter-ack', id: m.id });
        return;
      case 'limiter-ack':
        this.acks.settle(m.id, undefined);
        return;
      case 'snapshot?':
        this.options.send({ t: 'snapshot', id: m.id, snapshot: this.options.metrics.snapshot() });
        return;
      case 'metrics':
        this.gathered.settle(m.id, m.snapshots);
        return;
      case 'memo':
        this.files?.adopt(m.entries);
        this.options.onAdopted?.();
        return;
      case 'memo-replay':
        this.options.onReplay?.(m.to);
        return;
      case 'db-ready':
        this.dbReady?.();
        this.dbReady = null;
        return;
      case 'stop':
        this.options.onStop();
        return;
    }
  }
}
