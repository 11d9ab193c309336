// Options, states and notices of the event-socket client (kept apart so client.ts stays about behaviour).

import type { BackoffOptions } from './backoff';
import type { EslError } from './errors';
import type { EslEvent } from './event';
import type { EslFrameParserOptions } from './frame-parser';

export interface EslClientOptions {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  /** Per-command reply budget (default 10 s). FreeSWITCH runs `api` inline, so a slow API delays later replies. */
  readonly commandTimeoutMs?: number;
  /** Budget for a bgapi job's BACKGROUND_JOB event (default 120 s: an originate may ring for a minute). */
  readonly jobTimeoutMs?: number;
  /** Budget for TCP connect + greeting + auth (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Reconnect after a dropped session (default on, with BackoffOptions defaults); `false` to stay down. */
  readonly reconnect?: BackoffOptions | false;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
  readonly parser?: EslFrameParserOptions;
  /** Where a throwing / rejecting event listener is reported (default: process warning). */
  readonly onListenerError?: (error: unknown, event: EslEvent) => void;
}

export interface EslCallOptions {
  readonly timeoutMs?: number;
}

export type EslClientState = 'idle' | 'connecting' | 'ready' | 'waiting-to-reconnect' | 'closed';

/** Lifecycle notices, for logs and health checks. */
export type EslStatus =
  | { readonly type: 'connected'; readonly reconnect: boolean }
  | { readonly type: 'disconnected'; readonly error: EslError }
  | { readonly type: 'reconnect-scheduled'; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'reconnect-failed'; readonly attempt: number; readonly error: unknown }
  | { readonly type: 'gave-up'; readonly attempts: number; readonly error: unknown }
  | { readonly type: 'bad-event'; readonly error: unknown }
  | { readonly type: 'closed' };

export type EslEventListener = (event: EslEvent) => void | Promise<void>;
