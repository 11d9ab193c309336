// The provisioning miss limiter shared by every process that answers phones: each holds a replica, and every change
// (a miss, a settled challenge) is applied by all of them.
//
// Checks stay local and synchronous (a boot storm's hot path asks isLimited on every per-phone request). A miss is
// applied here at once, sent to the primary, which applies it and passes it to every other process; the refusal is
// sent only when all of them have it (recordMiss's promise). A guesser waiting for each answer before the next try
// therefore meets the same count whichever worker answers: throttled after the same number of misses as with one
// process. A settled challenge (a token given back) is passed on without waiting: late, it only keeps a limit a
// moment longer. A process that does not answer within a second is not waited for (it may be restarting).
import type { MissLimiter, MissLimiting } from '../provisioning/miss-limiter';
import type { LimiterOp } from './ipc';

export class SharedMissLimiter implements MissLimiting {
  /**
   * `publish` hands an op made here to the other processes; with `wait` it resolves once they all applied it.
   */
  constructor(
    readonly local: MissLimiter,
    private readonly publish: (op: LimiterOp, wait: boolean) => Promise<void> | void,
  ) {}

  allowListed(address: string): boolean {
    return this.local.allowListed(address);
  }

  isLimited(address: string, now: number): boolean {
    return this.local.isLimited(address, now);
  }

  retryAfterSeconds(address: string, now: number): number {
    return this.local.retryAfterSeconds(address, now);
  }

  awaitsAnswer(address: string, mac: string, now: number): boolean {
    return this.local.awaitsAnswer(address, mac, now);
  }

  recordMiss(
    address: string,
    now: number,
    challenge: { mac: string; answered: boolean } | null = null,
  ): void | Promise<void> {
    this.local.recordMiss(address, now, challenge);
    // Allow-listed addresses are never limited anywhere: nothing to tell the others.
    if (this.local.allowListed(address)) return;
    return this.publish({ op: 'miss', address, now, challenge }, true);
  }

  settle(address: string, mac: string, now: number): void {
    if (!this.local.awaitsAnswer(address, mac, Number.NEGATIVE_INFINITY)) return;
    this.local.settle(address, mac, now);
    void this.publish({ op: 'settle', address, mac, now }, false);
  }

  /** An op another process made. */
  apply(op: LimiterOp): void {
    if (op.op === 'miss') this.local.recordMiss(op.address, op.now, op.challenge);
    else this.local.settle(op.address, op.mac, op.now);
  }
}
