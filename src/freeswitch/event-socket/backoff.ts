// Reconnect delays: exponential, capped, with jitter so a fleet of Dialtone nodes does not reconnect in lockstep.

export interface BackoffOptions {
  /** Delay before the first reconnect attempt (default 250 ms). */
  readonly initialDelayMs?: number;
  /** Upper bound for any single delay (default 30 s). */
  readonly maxDelayMs?: number;
  /** Growth per failed attempt (default 2). */
  readonly factor?: number;
  /** Fraction of the delay that is randomised away, 0..1 (default 0.5: delay lies in [base/2, base]). */
  readonly jitter?: number;
  /** Give up after this many failed attempts in a row (default: never). */
  readonly maxAttempts?: number;
}

export interface BackoffPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly jitter: number;
  readonly maxAttempts: number;
}

export function backoffPolicy(options: BackoffOptions = {}): BackoffPolicy {
  const policy = {
    initialDelayMs: options.initialDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    factor: options.factor ?? 2,
    jitter: options.jitter ?? 0.5,
    maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
  };
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= policy.initialDelayMs)) {
    throw new RangeError('backoff: need 0 <= initialDelayMs <= maxDelayMs');
  }
  if (!(policy.factor >= 1)) throw new RangeError('backoff: factor must be >= 1');
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw new RangeError('backoff: jitter must be within 0..1');
  if (!(policy.maxAttempts >= 1)) throw new RangeError('backoff: maxAttempts must be >= 1');
  return policy;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): min(max, initial * factor^(attempt-1)), minus up to
 * `jitter` of itself. `random` returns [0, 1) and is injectable so tests are deterministic.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
  return Math.round(base * (1 - policy.jitter * random()));
}
