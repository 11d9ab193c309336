// What FreeSWITCH did, from its event socket: per channel the applications it executed and its variables at hang-up,
// and the CUSTOM events (conference, callcenter, voicemail, parking) tests wait for.
import type { EslClient, EslEvent } from '../../../src/freeswitch/event-socket';
import { sleep } from './freeswitch';

export interface Executed {
  app: string;
  data: string;
}

export interface Channel {
  uuid: string;
  /** Channel-Call-UUID: the a-leg's uuid for every leg it bridged to. */
  callUuid: string;
  name: string;
  direction: string;
  sipCallId?: string;
  /** The channel this one was originated from (b-legs). */
  originator?: string;
  /** Variables at creation, then (once hung up) at CHANNEL_HANGUP_COMPLETE, `variable_` stripped. */
  variables: Record<string, string>;
  /** Every header of CHANNEL_HANGUP_COMPLETE (Hangup-Cause, Caller-Destination-Number, ...), once hung up. */
  hangup?: Record<string, string>;
  apps: Executed[];
  answered: boolean;
}

export const EVENT_NAMES = [
  'CHANNEL_CREATE',
  'CHANNEL_EXECUTE',
  'CHANNEL_ANSWER',
  'CHANNEL_HANGUP_COMPLETE',
  'MESSAGE_WAITING',
  'CUSTOM',
  'conference::maintenance',
  'callcenter::info',
  'vm::maintenance',
  'valet_parking::info',
];

function variablesOf(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) if (k.startsWith('variable_')) out[k.slice(9)] = h[k];
  return out;
}

export class CallEvents {
  readonly channels = new Map<string, Channel>();
  /** CUSTOM and MESSAGE_WAITING events, in arrival order. */
  readonly others: EslEvent[] = [];

  static async attach(esl: EslClient): Promise<CallEvents> {
    const store = new CallEvents();
    esl.onEvent((e) => store.add(e));
    await esl.subscribe(EVENT_NAMES, 'json');
    return store;
  }

  private add(e: EslEvent): void {
    const h = e.headers;
    const uuid = h['Unique-ID'];
    if (e.name === 'CUSTOM' || e.name === 'MESSAGE_WAITING' || !uuid) {
      this.others.push(e);
      return;
    }
    let ch = this.channels.get(uuid);
    if (!ch) {
      ch = {
        uuid,
        callUuid: h['Channel-Call-UUID'] ?? uuid,
        name: h['Channel-Name'] ?? '',
        direction: h['Call-Direction'] ?? '',
        sipCallId: h.variable_sip_call_id,
        originator: h.variable_originator,
        variables: variablesOf(h),
        apps: [],
        answered: false,
      };
      this.channels.set(uuid, ch);
    }
    if (e.name === 'CHANNEL_EXECUTE') ch.apps.push({ app: h.Application ?? '', data: h['Application-Data'] ?? '' });
    if (e.name === 'CHANNEL_ANSWER') ch.answered = true;
    if (e.name === 'CHANNEL_HANGUP_COMPLETE') {
      ch.hangup = { ...h };
      ch.variables = variablesOf(h);
      ch.callUuid = h['Channel-Call-UUID'] ?? ch.callUuid;
    }
  }

  bySipCallId(callId: string): Channel | undefined {
    for (const ch of this.channels.values()) if (ch.sipCallId === callId && ch.direction === 'inbound') return ch;
    return undefined;
  }

  /** Channels started from `uuid` (b-legs, and their own b-legs), in creation order. */
  legsOf(uuid: string): Channel[] {
    const out: Channel[] = [];
    const family = new Set([uuid]);
    for (const ch of this.channels.values()) {
      if (ch.uuid === uuid) continue;
      if ((ch.originator && family.has(ch.originator)) || (ch.callUuid !== ch.uuid && family.has(ch.callUuid))) {
        out.push(ch);
        family.add(ch.uuid);
      }
    }
    return out;
  }

  /** Waits until `test` finds an event among the CUSTOM / MESSAGE_WAITING ones (those already seen count). */
  async waitFor(test: (e: EslEvent) => boolean, what: string, timeoutMs = 10_000): Promise<EslEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.others.find(test);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  /** Waits until a channel satisfies `test` (e.g. is hung up). */
  async waitChannel(test: (c: Channel) => boolean, what: string, timeoutMs = 10_000): Promise<Channel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const ch of this.channels.values()) if (test(ch)) return ch;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }
}
