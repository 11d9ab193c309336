// The table of object kinds: for each, its entity, permission module, field rules and reference rules.
// One row per kind keeps the service small; behaviour that differs lives in the rule functions it names.
import type { EntitySchema } from '@mikro-orm/core';
import type { Destination, ObjectKind } from '../domain/destination';
import {
  AudioFileSchema,
  AutoAttendantSchema,
  CallBlockSchema,
  ConferenceHubSchema,
  ConferenceRoomSchema,
  DeviceSchema,
  E911LocationSchema,
  ExtensionSchema,
  HoldMusicGroupSchema,
  HolidaySchema,
  MailboxSchema,
  PhoneNumberSchema,
  QueueSchema,
  RingGroupSchema,
  SipTrunkSchema,
  TimeFrameSchema,
} from '../domain/model';
import { parseAudioFile } from '../domain/rules/audio-rules';
import type { Module } from '../domain/rules/device-user-rules';
import { parseDevice } from '../domain/rules/device-user-rules';
import { parseExtension, parseMailbox } from '../domain/rules/extension-rules';
import {
  parseCallBlock,
  parseConferenceHub,
  parseConferenceRoom,
  parseHoldMusicGroup,
  parseQueue,
  parseSipTrunk,
} from '../domain/rules/other-rules';
import {
  parseAutoAttendant,
  parseE911Location,
  parseHoliday,
  parsePhoneNumber,
  parseRingGroup,
  parseTimeFrame,
} from '../domain/rules/routing-rules';
import type { PbxSnapshot, SnapshotList } from '../domain/snapshot';
import type { Fields } from '../domain/validate';
import type { Actor } from './actor';
import { actorLabel } from './audit';

export type RefKind = ObjectKind | 'e911_location' | 'hold_music_group' | 'audio_file';

export interface KindDeps {
  /** Firmware profile ids devices may use. */
  profileIds: ReadonlySet<string>;
}

type Row = any;

export interface KindSpec {
  /** Name used by the CLI and API, e.g. "extensions". */
  name: string;
  entity: EntitySchema<Row, never>;
  list: SnapshotList;
  module: Module;
  refKind?: RefKind;
  label(row: Row): string;
  parse(f: Fields, snap: PbxSnapshot, id: number | null, current: Row | null, deps: KindDeps): Record<string, unknown>;
  /** Fields the service sets from who is saving, never typed (who agreed to the E911 terms); current null on create. */
  stamp?(actor: Actor, data: Row, current: Row | null): Record<string, unknown>;
  /** Destinations held by a parsed object, to check that their targets exist. */
  destinations?(data: Row): Array<{ field: string; d: Destination }>;
  /** Renumbering this field while referenced is refused. */
  renumberField?: string;
  /** What an employee may do with their own object of this kind. */
  employee?: { ownIds(extensionId: number, snap: PbxSnapshot): number[]; fields: readonly string[] };
  /** Never returned by list/get/create/update (secrets: see the header of object-service.ts). */
  hidden?: readonly string[];
  /** Hidden fields whose presence reads and saves still state, as `<field>Set: boolean` (a masked field on screen). */
  masked?: readonly string[];
  /** Hidden fields an administrator holding one of `modules` may read through ObjectService.revealSecrets. */
  reveal?: { fields: readonly string[]; modules: readonly Module[] };
  /** Created here only through a dedicated service (credentials, uploads). */
  createdElsewhere?: boolean;
  /**
   * Assigned by the operator (system actor: the CLI), not by the PBX's administrators: only the operator creates and
   * deletes these and changes `fields`; administrators edit everything else. `why` is the refusal shown to them.
   */
  operator?: { fields: readonly string[]; why: string };
  /** Fields unique across all PBXs (not only within one), with the message shown when taken. */
  globalUnique?: Record<string, string>;
  /**
   * Its rules add up something across the PBX (the 60 MB of hold music): a save first locks the PBX row, so two
   * saves at once are checked one after the other instead of both against the same snapshot.
   */
  lockPbx?: boolean;
}

const dests = (pairs: Array<[string, Destination | null | undefined]>) =>
  pairs.filter((p): p is [string, Destination] => !!p[1]).map(([field, d]) => ({ field, d }));

export const KINDS: KindSpec[] = [
  {
    name: 'extensions',
    entity: ExtensionSchema,
    list: 'extensions',
    module: 'extensions',
    refKind: 'extension',
    label: (r) => `extension ${r.number}`,
    parse: (f, s, id, cur) => parseExtension(f, s, id, cur),
    destinations: (r) =>
      dests([
        ['routing.tryFirst', r.routing.tryFirst],
        ['routing.ifBusy', r.routing.ifBusy],
        ['routing.ifNotAnswered', r.routing.ifNotAnswered],
        ['routing.ifOffline', r.routing.ifOffline],
        ['findMe.fallback', r.findMe.fallback],
      ]),
    renumberField: 'number',
    employee: {
      ownIds: (ext) => [ext],
      fields: [
        'name',
        'secondsToRing',
        'routing',
        'findMe',
        'disableCallWaiting',
        'disableMissedCallList',
        'buddyList',
        'agentStatusDisplay',
        'dialHashToTransfer',
      ],
    },
    hidden: ['sipPassword'],
    // The extension and device screens show the SIP password to the administrator who sets up a phone by hand.
    reveal: { fields: ['sipPassword'], modules: ['extensions', 'devices'] },
  },
  {
    name: 'mailboxes',
    entity: MailboxSchema,
    list: 'mailboxes',
    module: 'mailboxes',
    refKind: 'mailbox',
    label: (r) => `mailbox ${r.number}`,
    parse: (f, s, id) => parseMailbox(f, s, id),
    renumberField: 'number',
    employee: {
      ownIds: (ext, s) => {
        const m = s.extensions.find((e) => e.id === ext)?.mailboxId;
        return m ? [m] : [];
      },
      fields: [
        'name',
        'password',
        'passwordConfirm',
        'unavailableGreetingId',
        'busyGreetingId',
        'nameGreetingId',
        'email',
        'smsEmail',
        'deleteAfterEmail',
        'dialDuringAnnouncement',
        'skipInstructions',
        'announcementOnly',
        'hideFromDirectory',
        'retentionDays',
      ],
    },
    // Write-only: the administrator or the mailbox's employee sets a new one; nobody reads it back.
    hidden: ['password'],
  },
  {
    name: 'numbers',
    entity: PhoneNumberSchema,
    list: 'phoneNumbers',
    module: 'phone_numbers',
    refKind: 'phone_number',
    label: (r) => `phone number ${r.number}`,
    parse: (f, s, id) => parsePhoneNumber(f, s, id),
    destinations: (r) =>
      dests([
        ['routeTo', r.routeTo],
        ['ifHoliday', r.ifHoliday],
      ]),
    renumberField: 'number',
    // The carrier's numbers: the operator assigns them to a PBX (and marks toll-free ones, which are billed apart).
    operator: {
      fields: ['number', 'tollFree'],
      why: 'phone numbers are assigned to the PBX by your provider: ask them to add, remove or change a number',
    },
    globalUnique: { number: 'is already a phone number of a PBX' },
  },
  {
    name: 'e911',
    entity: E911LocationSchema,
    list: 'e911Locations',
    module: 'e911',
    refKind: 'e911_location',
    label: (r) => `E911 location "${r.name}"`,
    parse: (f, s, id, cur) => parseE911Location(f, s, id, cur),
    // The terms are agreed to once, when the location is created: by this user, now.
    stamp: (actor, _data, cur) =>
      cur
        ? {}
        : {
            termsAcceptedAt: new Date(),
            termsAcceptedById: actor.kind === 'user' ? actor.userId : null,
            termsAcceptedBy: actorLabel(actor),
          },
  },
  {
    name: 'attendants',
    entity: AutoAttendantSchema,
    list: 'autoAttendants',
    module: 'auto_attendants',
    refKind: 'auto_attendant',
    label: (r) => `auto attendant "${r.name}"`,
    parse: (f, s, id) => parseAutoAttendant(f, s, id),
    destinations: (r) => dests(Object.entries(r.buttons).map(([k, d]) => [`buttons.${k}`, d as Destination])),
  },
  {
    name: 'time-frames',
    entity: TimeFrameSchema,
    list: 'timeFrames',
    module: 'time_frames',
    refKind: 'time_frame',
    label: (r) => `time frame "${r.name}"`,
    parse: (f, s, id) => parseTimeFrame(f, s, id),
    destinations: (r) =>
      dests([
        ['during', r.during],
        ['after', r.after],
      ]),
  },
  {
    name: 'holidays',
    entity: HolidaySchema,
    list: 'holidays',
    module: 'holidays',
    label: (r) => `holiday ${r.date}`,
    parse: (f, s, id) => parseHoliday(f, s, id),
  },
  {
    name: 'groups',
    entity: RingGroupSchema,
    list: 'ringGroups',
    module: 'groups',
    refKind: 'group',
    label: (r) => `group "${r.name}"`,
    parse: (f, s, id) => parseRingGroup(f, s, id),
    destinations: (r) => dests([['afterRing', r.afterRing]]),
  },
  {
    name: 'conferences',
    entity: ConferenceRoomSchema,
    list: 'conferenceRooms',
    module: 'conference',
    refKind: 'conference',
    label: (r) => `conference room ${r.number}`,
    parse: (f, s, id) => parseConferenceRoom(f, s, id),
    renumberField: 'number',
    hidden: ['password'],
    masked: ['password'],
    // Callers key it to join: the administrator who hands it out sees it on the room's screen.
    reveal: { fields: ['password'], modules: ['conference'] },
  },
  {
    name: 'conference-hubs',
    entity: ConferenceHubSchema,
    list: 'conferenceHubs',
    module: 'conference',
    refKind: 'conference_hub',
    label: (r) => `conference hub "${r.name}"`,
    parse: (f, s, id) => parseConferenceHub(f, s, id),
  },
  {
    name: 'queues',
    entity: QueueSchema,
    list: 'queues',
    module: 'queues',
    refKind: 'queue',
    label: (r) => `queue "${r.name}"`,
    parse: (f, s, id) => parseQueue(f, s, id),
    destinations: (r) => dests([['timeout', r.timeout]]),
    renumberField: 'number',
  },
  {
    name: 'hold-music',
    entity: HoldMusicGroupSchema,
    list: 'holdMusicGroups',
    module: 'hold_music',
    refKind: 'hold_music_group',
    label: (r) => `hold music group "${r.name}"`,
    parse: (f, s, id) => parseHoldMusicGroup(f, s, id),
    lockPbx: true,
  },
  {
    name: 'call-blocks',
    entity: CallBlockSchema,
    list: 'callBlocks',
    module: 'call_blocking',
    label: (r) => `call block ${r.number} (${r.direction})`,
    parse: (f, s, id) => parseCallBlock(f, s, id),
  },
  {
    name: 'trunks',
    entity: SipTrunkSchema,
    list: 'sipTrunks',
    module: 'sip_trunks',
    refKind: 'sip_trunk',
    label: (r) => `SIP trunk "${r.name}"`,
    parse: (f, s, id) => parseSipTrunk(f, s, id),
    // The carrier's password is typed once and never shown again (masked): nobody reads it back.
    hidden: ['password'],
    masked: ['password'],
  },
  {
    name: 'devices',
    entity: DeviceSchema,
    list: 'devices',
    module: 'devices',
    label: (r) => `device ${r.mac}`,
    parse: (f, s, id, _cur, deps) => parseDevice(f, s, id, deps.profileIds),
    // Digest HA1 and phone-app token material stay inside the provisioning server (device-service.ts).
    hidden: ['provisioningHa1', 'appTokenHash', 'appTokenSalt', 'rowVersion'],
    createdElsewhere: true,
    globalUnique: { mac: 'this phone is already registered' },
  },
  {
    name: 'audio',
    entity: AudioFileSchema,
    list: 'audioFiles',
    module: 'voicemail',
    refKind: 'audio_file',
    label: (r) => `audio "${r.originalName}"`,
    // Only the upload pipeline (services/audio-uploads.ts) creates rows, with every field measured there (`extra`).
    parse: (f, s, _id, cur) => parseAudioFile(f, s, cur),
    createdElsewhere: true,
    lockPbx: true,
  },
];

export function kindByName(name: string): KindSpec | undefined {
  return KINDS.find((k) => k.name === name);
}
