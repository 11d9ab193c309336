// The event-socket client Dialtone uses: api/bgapi/events over one session that reconnects, re-auths and re-subscribes.

import { randomUUID } from 'node:crypto';
import { BackgroundJobs } from './background-jobs';
import { type BackoffPolicy, backoffDelay, backoffPolicy } from './backoff';
import type { EslCallOptions, EslClientOptions, EslClientState, EslEventListener, EslStatus } from './client-types';
import { assertSafeCommandText } from './command';
import { EslConnection } from './connection';
import { EslApiError, EslArgumentError, EslDisconnectedError, EslError, EslProtocolError } from './errors';
import { type EslEvent, type EslEventFormat, parseEventFrame } from './event';
import { EventSubscriptions } from './event-subscriptions';
import { bodyText, ContentType, contentTypeOf, type EslFrame, type EslHeader, getHeader } from './frame';

export type { EslCallOptions, EslClientOptions, EslClientState, EslEventListener, EslStatus } from './client-types';

export class EslClient {
  private readonly commandTimeoutMs: number;
  private readonly jobTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly backoff: BackoffPolicy | undefined;
  private readonly random: () => number;
  private connection: EslConnection | undefined;
  private currentState: EslClientState = 'idle';
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private readonly subscriptions = new EventSubscriptions();
  private readonly jobs = new BackgroundJobs();
  private readonly eventListeners = new Set<EslEventListener>();
  private readonly statusListeners = new Set<(status: EslStatus) => void>();

  constructor(private readonly options: EslClientOptions) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.backoff = options.reconnect === false ? undefined : backoffPolicy(options.reconnect);
    this.random = options.random ?? Math.random;
  }

  get state(): EslClientState {
    return this.currentState;
  }

  /**
   * Opens and authenticates the session (one attempt; rejects with EslConnectError / EslAuthError).
   * Once a session has been up, later drops are repaired in the background with back-off.
   */
  connect(): Promise<void> {
    switch (this.currentState) {
      case 'ready':
        return Promise.resolve();
      case 'connecting':
        return this.connecting!;
      case 'closed':
        return Promise.reject(new EslDisconnectedError('event socket client was closed', 'closed'));
      case 'waiting-to-reconnect': {
        // Try now instead of waiting out the back-off; if that fails, the back-off cycle carries on.
        clearTimeout(this.reconnectTimer);
        const attempt = this.attempt(true);
        attempt.catch(() => {
          if (this.currentState === 'idle' && this.backoff) this.scheduleReconnect();
        });
        return attempt;
      }
      default:
        return this.attempt(false);
    }
  }

  /**
   * Connects in the background and keeps trying with back-off until a session is up (for long-running
   * consumers such as event watchers). No-op unless idle; progress is reported through onStatus.
   */
  start(): void {
    if (this.currentState !== 'idle') return;
    this.attempt(false).catch((error) => {
      if (this.currentState !== 'idle') return;
      this.emitStatus({ type: 'reconnect-failed', attempt: 0, error });
      if (this.backoff) this.scheduleReconnect();
    });
  }

  /** Sends a raw command and resolves with its reply frame. Refused if it contains a line break. */
  sendCommand(
    command: string,
    options: EslCallOptions = {},
    headers: readonly EslHeader[] = [],
    body?: string,
  ): Promise<EslFrame> {
    try {
      assertSafeCommandText(command);
    } catch (error) {
      return Promise.reject(error);
    }
    const connection = this.connection;
    if (this.currentState !== 'ready' || !connection) {
      return Promise.reject(new EslDisconnectedError(`event socket is ${this.currentState}`, 'not-connected'));
    }
    return connection.send(command, headers, options.timeoutMs ?? this.commandTimeoutMs, body);
  }

  /**
   * `sendevent <NAME>` with headers and an optional body: FreeSWITCH fires the event (a NOTIFY event makes mod_sofia
   * send a SIP NOTIFY to a registered phone). Resolves with the Reply-Text, `+OK <event uuid>`.
   */
  async sendEvent(
    name: string,
    headers: readonly EslHeader[],
    body?: string,
    options: EslCallOptions = {},
  ): Promise<string> {
    if (!/^[A-Z][A-Z_]{0,63}$/.test(name))
      throw new EslArgumentError('event', `not an event name ${JSON.stringify(name)}`);
    const reply = await this.sendCommand(`sendevent ${name}`, options, headers, body);
    const text = getHeader(reply.headers, 'Reply-Text') ?? '';
    if (!text.startsWith('+OK')) throw new EslApiError(`sendevent ${name}`, text);
    return text;
  }

  /** `api <command>`: resolves with the raw body, `-ERR ...` bodies included (see replies.ts for checked forms). */
  async api(command: string, options: EslCallOptions = {}): Promise<string> {
    assertSafeCommandText(command);
    const frame = await this.sendCommand(`api ${command}`, options);
    return apiBody(command, frame);
  }

  /**
   * `bgapi <command>`: resolves with the BACKGROUND_JOB body. We choose the Job-UUID and register for it
   * before sending, so a job that finishes before its command/reply is still matched.
   */
  async bgapi(command: string, options: EslCallOptions = {}): Promise<string> {
    assertSafeCommandText(command);
    await this.ensureSubscribed('BACKGROUND_JOB');
    const jobUuid = randomUUID();
    const result = this.jobs.wait(jobUuid, command, options.timeoutMs ?? this.jobTimeoutMs);
    try {
      const reply = await this.sendCommand(`bgapi ${command}`, options, [{ name: 'Job-UUID', value: jobUuid }]);
      const text = getHeader(reply.headers, 'Reply-Text') ?? '';
      if (!text.startsWith('+OK')) throw new EslApiError(`bgapi ${command}`, text);
    } catch (error) {
      this.jobs.settle(jobUuid, error as Error);
      result.catch(() => {});
      throw error;
    }
    return result;
  }

  /**
   * Adds to the subscription (`event <format> A B CUSTOM sub::class ...`), replayed after every reconnect.
   * The format applies to the whole connection, as in FreeSWITCH: the last one asked for wins.
   */
  async subscribe(eventNames: readonly string[], format: EslEventFormat = 'plain'): Promise<void> {
    this.subscriptions.add(eventNames, format);
    if (this.currentState === 'connecting') await this.connecting?.catch(() => {});
    if (this.currentState === 'ready' && this.connection) await this.sendSubscription(this.connection);
  }

  /** Every event, in arrival order. Returns the function that removes the listener. */
  onEvent(listener: EslEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: EslStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Sends `exit`, stops reconnecting, fails whatever is still waiting. Safe to call twice. */
  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    this.currentState = 'closed';
    clearTimeout(this.reconnectTimer);
    this.jobs.failAll(new EslDisconnectedError('event socket client closed', 'closed'));
    // An attempt in flight notices the closed state and shuts its own session down.
    await this.connecting?.catch(() => {});
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
    this.emitStatus({ type: 'closed' });
  }

  private attempt(isReconnect: boolean): Promise<void> {
    this.currentState = 'connecting';
    const run = async () => {
      const connection = await EslConnection.open(
        {
          host: this.options.host,
          port: this.options.port,
          password: this.options.password,
          connectTimeoutMs: this.connectTimeoutMs,
          parser: this.options.parser,
        },
        {
          onEventFrame: (frame) => this.handleEventFrame(frame),
          onLost: (error) => this.handleLost(connection, error),
        },
      );
      if (this.currentState === 'closed') {
        await connection.close();
        throw new EslDisconnectedError('event socket client was closed', 'closed');
      }
      try {
        if (!this.subscriptions.isEmpty) await this.sendSubscription(connection);
      } catch (error) {
        connection.destroy(error instanceof EslError ? error : new EslProtocolError(String(error)));
        throw error;
      }
      this.connection = connection;
      this.currentState = 'ready';
      this.reconnectAttempt = 0;
      this.emitStatus({ type: 'connected', reconnect: isReconnect });
    };
    this.connecting = run().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting.catch((error) => {
      if (this.currentState === 'connecting') this.currentState = 'idle';
      throw error;
    });
  }

  private handleLost(connection: EslConnection, error: EslError): void {
    if (this.connection !== connection || this.currentState === 'closed') return;
    this.connection = undefined;
    this.jobs.failAll(
      new EslDisconnectedError(`event socket lost before the job finished: ${error.message}`, 'connection-lost'),
    );
    this.currentState = 'idle';
    this.emitStatus({ type: 'disconnected', error });
    if (this.backoff) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const policy = this.backoff!;
    this.reconnectAttempt += 1;
    const attempt = this.reconnectAttempt;
    const delayMs = backoffDelay(policy, attempt, this.random);
    this.currentState = 'waiting-to-reconnect';
    this.emitStatus({ type: 'reconnect-scheduled', attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.attempt(true).catch((error) => {
        if (this.currentState === 'closed') return;
        this.emitStatus({ type: 'reconnect-failed', attempt, error });
        if (attempt >= policy.maxAttempts) {
          this.reconnectAttempt = 0;
          this.currentState = 'idle';
          this.emitStatus({ type: 'gave-up', attempts: attempt, error });
          return;
        }
        this.scheduleReconnect();
      });
    }, delayMs);
    // A pending reconnect alone must not keep a CLI process alive.
    this.reconnectTimer.unref();
  }

  private async ensureSubscribed(eventName: string): Promise<void> {
    if (this.subscriptions.covers(eventName)) return;
    await this.subscribe([eventName], this.subscriptions.format);
  }

  private async sendSubscription(connection: EslConnection): Promise<void> {
    const command = this.subscriptions.command();
    const reply = await connection.send(command, [], this.commandTimeoutMs);
    const text = getHeader(reply.headers, 'Reply-Text') ?? '';
    if (!text.startsWith('+OK')) throw new EslApiError(command, text);
  }

  private handleEventFrame(frame: EslFrame): void {
    let event: EslEvent;
    try {
      event = parseEventFrame(frame);
    } catch (error) {
      this.emitStatus({ type: 'bad-event', error });
      return;
    }
    if (event.name === 'BACKGROUND_JOB') {
      const jobUuid = event.headers['Job-UUID'];
      if (jobUuid) this.jobs.settle(jobUuid, event.body ?? '');
    }
    for (const listener of this.eventListeners) {
      try {
        const result = listener(event);
        if (result && typeof result.then === 'function') {
          result.then(undefined, (error) => this.reportListenerError(error, event));
        }
      } catch (error) {
        this.reportListenerError(error, event);
      }
    }
  }

  private reportListenerError(error: unknown, event: EslEvent): void {
    if (this.options.onListenerError) {
      this.options.onListenerError(error, event);
      return;
    }
    process.emitWarning(`ESL event listener failed on ${event.name}: ${String(error)}`, 'EslListenerWarning');
  }

  private emitStatus(status: EslStatus): void {
    for (const listener of this.statusListeners) {
      try {
        listener(status);
      } catch {
        // A broken status listener must not break the connection lifecycle.
      }
    }
  }
}

/** An api/response body; a command/reply here means mod_event_socket refused the api itself (e.g. ACL). */
function apiBody(command: string, frame: EslFrame): string {
  if (contentTypeOf(frame) === ContentType.apiResponse) return bodyText(frame);
  throw new EslApiError(`api ${command}`, getHeader(frame.headers, 'Reply-Text') ?? bodyText(frame));
}
