// mod_voicemail's `CUSTOM vm::maintenance` events: the `leave-message` one says a caller left a message (captured
// from 1.10.12: test/fixtures/freeswitch/esl/esl-event-plain-CUSTOM-vm_maintenance-leave-message.txt).
import type { EslEvent } from './event';

/** The ESL subscription words for these events. */
export const VOICEMAIL_EVENTS = ['CUSTOM', 'vm::maintenance'] as const;

export interface LeftMessage {
  /** The box id and SIP domain (`VM-User`, `VM-Domain`): `101`, `vm_100`. */
  readonly user: string;
  readonly domain: string;
  /** The message uuid vm_list and vm_delete use (`VM-UUID`: the call's uuid). */
  readonly uuid: string;
  readonly callerName: string;
  readonly callerNumber: string;
  /** Where FreeSWITCH stored the WAV (`VM-File-Path`), as FreeSWITCH's host sees it. */
  readonly filePath: string;
  readonly seconds: number;
  /** Epoch seconds when the message was saved (`VM-Timestamp`). */
  readonly timestamp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The message of a `leave-message` event, or null for any other event (mwi-update, folder-summary, …). */
export function leftMessage(event: EslEvent): LeftMessage | null {
  const h = event.headers;
  if (event.name !== 'CUSTOM' || event.subclass !== 'vm::maintenance' || h['VM-Action'] !== 'leave-message')
    return null;
  const user = h['VM-User'] ?? '';
  const domain = h['VM-Domain'] ?? '';
  const uuid = (h['VM-UUID'] ?? '').toLowerCase();
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(user) || !/^[A-Za-z0-9.-]{1,253}$/.test(domain) || !UUID.test(uuid)) return null;
  const n = (v: string | undefined) => (v && /^\d{1,12}$/.test(v) ? Number(v) : 0);
  return {
    user,
    domain: domain.toLowerCase(),
    uuid,
    callerName: h['VM-Caller-ID-Name'] ?? '',
    callerNumber: h['VM-Caller-ID-Number'] ?? '',
    filePath: h['VM-File-Path'] ?? '',
    seconds: n(h['VM-Message-Len']),
    timestamp: n(h['VM-Timestamp']),
  };
}
