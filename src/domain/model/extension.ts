// Extension: a phone user's number, its routing (try first / busy / no answer / offline), Find Me and advanced settings.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { Destination } from '../destination';

export interface ExtensionRouting {
  tryFirst: Destination;
  /** Used only when tryFirst is `phone` (manual: otherwise unavailable). */
  ifBusy: Destination;
  ifNotAnswered: Destination;
  ifOffline: Destination;
}

export type FindMeLocation =
  | { active: boolean; type: 'my_extension' }
  | { active: boolean; type: 'other_extension'; extensionId: number }
  | { active: boolean; type: 'outside_number'; number: string };

export interface FindMe {
  /** Up to 5 locations, tried in order. */
  locations: FindMeLocation[];
  ringSeconds: number;
  recordCallerName: boolean;
  offerVoicemail: boolean;
  alwaysActive: boolean;
  /** HH:MM in the PBX time zone, used when not alwaysActive. */
  activeFrom: string;
  activeTo: string;
  includeSaturday: boolean;
  includeSunday: boolean;
  /** Where the call goes when nobody accepts. */
  fallback: Destination;
}

export const ExtensionSchema = defineEntity({
  name: 'Extension',
  tableName: 'extension',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    number: p.string().length(6),
    name: p.string().length(50),
    /** Phone number (DID) presented on outgoing calls; null = PBX default caller ID. */
    outgoingCallerIdNumberId: p.integer().nullable(),
    e911LocationId: p.integer(),
    secondsToRing: p.integer(),
    /** SIP registration password (generated; digits and letters only). */
    sipPassword: p.string().length(64),
    mailboxId: p.integer().nullable(),
    routing: p.json<ExtensionRouting>(),
    findMe: p.json<FindMe>(),
    /** Mailbox numbers whose message-waiting state this extension's phone also shows. */
    mwiMailboxes: p.json<string[]>(),
    disallowDialByExtension: p.boolean(),
    disableCallWaiting: p.boolean(),
    disableMissedCallList: p.boolean(),
    buddyList: p.boolean(),
    agentStatusDisplay: p.boolean(),
    dialHashToTransfer: p.boolean(),
  },
  uniques: [{ properties: ['pbxId', 'number'] }],
});
export type Extension = InferEntity<typeof ExtensionSchema>;
