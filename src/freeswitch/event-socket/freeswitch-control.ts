// The one small interface the rest of Dialtone uses to talk to FreeSWITCH, and its event-socket implementation.

import type { BackgroundApiRunner } from './api-reply';
import { EslClient, type EslClientOptions, type EslEventListener } from './client';
import { reloadXml } from './core-commands';
import type { EslEvent, EslEventFormat } from './event';
import type { EslHeader } from './frame';
import { checkSync } from './sofia-commands';

/**
 * What services (export, check-sync, voicemail, agent status) may ask of FreeSWITCH. Typed commands
 * (voicemailBoxCount, setAgentStatus, originate, ...) are functions over this interface, so a real switch,
 * the event-socket client and RecordingFreeswitchControl are interchangeable.
 */
export interface FreeswitchControl extends BackgroundApiRunner {
  /** `api <command>`: the raw body, error bodies included. Refuses line breaks (EslCommandRefusedError). */
  api(command: string): Promise<string>;
  /** `bgapi <command>`: the BACKGROUND_JOB body. Use for APIs that block (originate). */
  bgapi(command: string): Promise<string>;
  /** `reloadxml`; throws EslApiError unless FreeSWITCH says +OK. */
  reloadXml(): Promise<void>;
  /**
   * `sendevent <NAME>` with headers and an optional body (Content-Length is added for it); resolves with
   * `+OK <event uuid>`. A NOTIFY event is how a server-made XML object reaches a Yealink phone (sofia-commands.ts).
   */
  sendEvent(name: string, headers: readonly EslHeader[], body?: string): Promise<string>;
  /** `sofia profile <profile> check_sync user@domain` (profile defaults to `internal`). */
  checkSync(user: string, domain: string, profile?: string): Promise<void>;
  /**
   * Calls `listener` for events matching `eventNames` (ESL words: `MESSAGE_WAITING`, `CUSTOM callcenter::info`
   * given as `['CUSTOM', 'callcenter::info']`, or `ALL`). Resolves to the function that stops the listener.
   */
  onEvent(eventNames: readonly string[], listener: EslEventListener): Promise<() => void>;
  close(): Promise<void>;
}

/** A predicate for "does this event match these ESL subscription words" (CUSTOM words match subclasses). */
export function eventMatcher(eventNames: readonly string[]): (event: EslEvent) => boolean {
  const names = new Set<string>();
  const subclasses = new Set<string>();
  let custom = false;
  for (const word of eventNames) {
    if (custom) subclasses.add(word);
    else if (word.toUpperCase() === 'CUSTOM') custom = true;
    else names.add(word.toUpperCase());
  }
  return (event) => {
    if (names.has('ALL')) return true;
    if (event.name === 'CUSTOM') return event.subclass !== undefined && subclasses.has(event.subclass);
    return names.has(event.name);
  };
}

export interface EslFreeswitchControlOptions extends EslClientOptions {
  /** Event format for subscriptions (default plain: the captures show it carries the same headers as json). */
  readonly eventFormat?: EslEventFormat;
}

/**
 * FreeswitchControl over one EslClient. Connects lazily on the first call (a call while the client is
 * backing off after a drop fails fast with EslDisconnectedError rather than queueing).
 */
export class EslFreeswitchControl implements FreeswitchControl {
  readonly client: EslClient;
  private readonly eventFormat: EslEventFormat;

  constructor(options: EslFreeswitchControlOptions) {
    this.client = new EslClient(options);
    this.eventFormat = options.eventFormat ?? 'plain';
  }

  async api(command: string): Promise<string> {
    await this.ready();
    return this.client.api(command);
  }

  async bgapi(command: string): Promise<string> {
    await this.ready();
    return this.client.bgapi(command);
  }

  reloadXml(): Promise<void> {
    return reloadXml(this);
  }

  async sendEvent(name: string, headers: readonly EslHeader[], body?: string): Promise<string> {
    await this.ready();
    return this.client.sendEvent(name, headers, body);
  }

  checkSync(user: string, domain: string, profile?: string): Promise<void> {
    return checkSync(this, user, domain, profile);
  }

  async onEvent(eventNames: readonly string[], listener: EslEventListener): Promise<() => void> {
    const matches = eventMatcher(eventNames);
    await this.client.subscribe(eventNames, this.eventFormat);
    const off = this.client.onEvent((event) => (matches(event) ? listener(event) : undefined));
    // Event consumers want a session even if nobody has called api yet, and want it retried until it's up.
    this.client.start();
    return off;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async ready(): Promise<void> {
    if (this.client.state === 'idle' || this.client.state === 'connecting') await this.client.connect();
  }
}
