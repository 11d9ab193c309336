// The primary's side of the cluster's messages: passes limiter changes to every process and waits for them, gathers
// metrics snapshots, relays rendered files from the background process to the HTTP workers.
import type { MissLimiter } from '../provisioning/miss-limiter';
import type { Metrics, MetricsSnapshot } from '../servers/metrics';
import { isMessage, type LimiterOp, type Message, Replies } from './ipc';
import { SharedMissLimiter } from './shared-limiter';

/** A child process as the hub sees it (a node:cluster Worker in production, a fake in tests). */
export interface Peer {
  readonly id: number;
  readonly role: 'http' | 'background';
  send(message: Message): void;
}

/** How long a process may take to apply a limiter change or hand over its metrics before it is not waited for. */
const ANSWER_MS = 1000;

export class Hub {
  private readonly peers = new Map<number, Peer>();
  /** HTTP workers that said they are ready (they get rendered files). */
  private readonly ready = new Set<number>();
  /** Limiter broadcasts waiting for acks: peers still to answer. */
  private readonly broadcasts = new Map<number, { remaining: Set<number>; done: () => void }>();
  private nextBroadcast = 1;
  private readonly snapshots = new Replies<MetricsSnapshot | null>();
  /** Whether the database is migrated and seeded; until then, workers asking (db?) are kept waiting here. */
  private dbOpen = false;
  private readonly dbWaiting = new Set<Peer>();
  /** The primary's own replica (its TFTP server counts misses too). */
  readonly limiter: SharedMissLimiter;

  constructor(
    local: MissLimiter,
    private readonly metrics: Metrics,
  ) {
    this.limiter = new SharedMissLimiter(local, (op, wait) => this.broadcast(op, null, wait));
  }

  /** The primary has migrated (and seeded) the database: workers may open it. */
  databaseReady(): void {
    this.dbOpen = true;
    for (const p of this.dbWaiting) p.send({ t: 'db-ready' });
    this.dbWaiting.clear();
  }

  add(peer: Peer): void {
    this.peers.set(peer.id, peer);
  }

  /** A child exited: nobody waits for its answers any more. */
  remove(id: number): void {
    this.peers.delete(id);
    this.ready.delete(id);
    for (const p of this.dbWaiting) if (p.id === id) this.dbWaiting.delete(p);
    for (const [bid, b] of this.broadcasts) {
      b.remaining.delete(id);
      if (b.remaining.size === 0) {
        this.broadcasts.delete(bid);
        b.done();
      }
    }
  }

  receive(from: Peer, m: unknown): void {
    if (!isMessage(m)) return;
    switch (m.t) {
      case 'limiter':
        this.limiter.apply(m.op);
        void this.broadcast(m.op, from.id, m.id !== 0).then(() => {
          if (m.id !== 0) from.send({ t: 'limiter-ack', id: m.id });
        });
        return;
      case 'limiter-ack': {
        const b = this.broadcasts.get(m.id);
        if (!b) return;
        b.remaining.delete(from.id);
        if (b.remaining.size === 0) {
          this.broadcasts.delete(m.id);
          b.done();
        }
        return;
      }
      case 'snapshot':
        this.snapshots.settle(m.id, m.snapshot);
        return;
      case 'metrics?':
        void this.collect().then((snapshots) => from.send({ t: 'metrics', id: m.id, snapshots }));
        return;
      case 'memo':
        for (const id of this.ready)
          if (m.to === undefined || m.to === id) this.peers.get(id)?.send({ t: 'memo', entries: m.entries });
        return;
      case 'db?':
        if (this.dbOpen) from.send({ t: 'db-ready' });
        else this.dbWaiting.add(from);
        return;
      case 'ready': {
        this.ready.add(from.id);
        // Files rendered before it started: the background process sends its whole memo to it.
        for (const p of this.peers.values()) if (p.role === 'background') p.send({ t: 'memo-replay', to: from.id });
        return;
      }
    }
  }

  /** Sends an op to every HTTP worker but `except`; with `wait`, resolves when each applied it (or timed out). */
  private broadcast(op: LimiterOp, except: number | null, wait: boolean): Promise<void> {
    const targets = [...this.peers.values()].filter((p) => p.role === 'http' && p.id !== except);
    if (!wait) {
      for (const p of targets) p.send({ t: 'limiter', id: 0, op });
      return Promise.resolve();
    }
    if (targets.length === 0) return Promise.resolve();
    const id = this.nextBroadcast++;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.broadcasts.delete(id);
        resolve();
      }, ANSWER_MS);
      timer.unref();
      this.broadcasts.set(id, {
        remaining: new Set(targets.map((p) => p.id)),
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      for (const p of targets) p.send({ t: 'limiter', id, op });
    });
  }

  /** The primary's snapshot and every child's (a child that does not answer in time is left out). */
  async collect(): Promise<MetricsSnapshot[]> {
    const asked = [...this.peers.values()].map((p) => {
      const { id, answer } = this.snapshots.open(ANSWER_MS, () => null);
      p.send({ t: 'snapshot?', id });
      return answer;
    });
    const children = (await Promise.all(asked)).filter((s): s is MetricsSnapshot => s !== null);
    return [this.metrics.snapshot(), ...children.sort((a, b) => a.process.localeCompare(b.process))];
  }
}
