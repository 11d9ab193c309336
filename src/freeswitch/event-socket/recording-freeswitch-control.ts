// An in-memory FreeswitchControl for tests and dry runs: records every command, answers from canned replies.

import { randomUUID } from 'node:crypto';
import type { EslEventListener } from './client';
import { assertSafeCommandText, encodeCommand } from './command';
import { reloadXml } from './core-commands';
import { EslDisconnectedError } from './errors';
import type { EslEvent } from './event';
import type { EslHeader } from './frame';
import { eventMatcher, type FreeswitchControl } from './freeswitch-control';
import { checkSync } from './sofia-commands';

export interface RecordedCall {
  readonly kind: 'api' | 'bgapi' | 'sendevent';
  /** The api/bgapi text, or the event name for sendevent. */
  readonly command: string;
  readonly headers?: readonly EslHeader[];
  readonly body?: string;
}

/** A canned answer: the body, a function of the command, or an Error to reject with. */
export type CannedReply = string | Error | ((command: string) => string | Error);

export interface RecordingFreeswitchControlOptions {
  /** Body for commands with no canned answer (default `+OK\n`, which reloadXml and checkSync accept). */
  readonly fallback?: CannedReply;
}

export class RecordingFreeswitchControl implements FreeswitchControl {
  readonly calls: RecordedCall[] = [];
  /** Every onEvent subscription, in order. */
  readonly subscriptions: string[][] = [];
  closed = false;
  private readonly answers: Array<{ readonly match: string | RegExp; readonly reply: CannedReply }> = [];
  private readonly listeners = new Set<{ matches: (event: EslEvent) => boolean; listener: EslEventListener }>();
  private readonly fallback: CannedReply;

  constructor(options: RecordingFreeswitchControlOptions = {}) {
    this.fallback = options.fallback ?? '+OK\n';
  }

  /** Canned reply for an exact command (text after `api `/`bgapi `) or any command matching a RegExp. Later wins. */
  answer(match: string | RegExp, reply: CannedReply): this {
    this.answers.unshift({ match, reply });
    return this;
  }

  /** The commands sent so far, as text. */
  commands(): string[] {
    return this.calls.map((call) => call.command);
  }

  api(command: string): Promise<string> {
    return this.run('api', command);
  }

  bgapi(command: string): Promise<string> {
    return this.run('bgapi', command);
  }

  reloadXml(): Promise<void> {
    return reloadXml(this);
  }

  /** Recorded (kind `sendevent`) and answered like FreeSWITCH: `+OK <uuid>`. */
  async sendEvent(name: string, headers: readonly EslHeader[], body?: string): Promise<string> {
    if (this.closed) throw new EslDisconnectedError('FreeswitchControl was closed', 'closed');
    // The same refusals as the real client (a line break in a header, an oversized body).
    encodeCommand(`sendevent ${name}`, headers, body);
    this.calls.push({ kind: 'sendevent', command: name, headers: [...headers], body });
    return `+OK ${randomUUID()}`;
  }

  checkSync(user: string, domain: string, profile?: string): Promise<void> {
    return checkSync(this, user, domain, profile);
  }

  async onEvent(eventNames: readonly string[], listener: EslEventListener): Promise<() => void> {
    this.subscriptions.push([...eventNames]);
    const entry = { matches: eventMatcher(eventNames), listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Delivers an event to matching listeners and waits for them (async ones included). */
  async emit(event: EslEvent): Promise<void> {
    const runs = [...this.listeners].filter((l) => l.matches(event)).map((l) => l.listener(event));
    await Promise.all(runs);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async run(kind: RecordedCall['kind'], command: string): Promise<string> {
    // The same refusal as the real client, so tests catch injection bugs without a socket.
    assertSafeCommandText(command);
    if (this.closed) throw new EslDisconnectedError('FreeswitchControl was closed', 'closed');
    this.calls.push({ kind, command });
    const found = this.answers.find(({ match }) =>
      typeof match === 'string' ? match === command : match.test(command),
    );
    const reply = found ? found.reply : this.fallback;
    const outcome = typeof reply === 'function' ? reply(command) : reply;
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }
}

/** Builds an EslEvent for RecordingFreeswitchControl.emit from plain headers. */
export function makeEvent(headers: Readonly<Record<string, string>>, body?: string): EslEvent {
  const name = headers['Event-Name'];
  if (!name) throw new Error('makeEvent: Event-Name is required');
  return {
    name,
    subclass: headers['Event-Subclass'],
    headers: { ...headers },
    headerList: Object.entries(headers).map(([n, value]) => ({ name: n, value })),
    body,
    format: 'plain',
  };
}
