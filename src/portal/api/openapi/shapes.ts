// JSON Schemas of the values stored in JSON columns (a Destination, an extension's routing, Find Me, line keys, …):
// the one thing the entity metadata cannot say. Keyed "Entity.property"; test/portal/api checks every JSON column
// of every kind has one, so a new column cannot ship undescribed.
import { OBJECT_KINDS } from '../../../domain/destination';
import { ATTENDANT_KEYS, DEFAULT_FEATURE_CODES } from '../../../domain/model';

export type JsonSchema = Record<string, unknown>;

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const id: JsonSchema = { type: 'integer', minimum: 1 };
const ids = (max?: number): JsonSchema => ({ type: 'array', items: id, ...(max ? { maxItems: max } : {}) });
const clock: JsonSchema = { type: 'string', pattern: '^([01]\\d|2[0-4]):[0-5]\\d$' };
const closed = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** Destination: where a call goes. One branch per group of kinds; `kind` decides which one applies. */
export const DESTINATION: JsonSchema = {
  description:
    'Where a call goes. Object kinds name a target of the same PBX by id; `phone` and `find_me` exist only in an ' +
    'extension\'s own routing. Requests may also send the text form "kind" or "kind:value" (e.g. "extension:12").',
  oneOf: [
    closed({ kind: { enum: OBJECT_KINDS.filter((k) => k !== 'mailbox') }, id }),
    closed({ kind: { const: 'mailbox' }, id, greeting: { enum: ['unavailable', 'busy'] } }, ['kind', 'id']),
    closed({ kind: { const: 'outside_number' }, number: { type: 'string', pattern: '^\\d{10,15}$' } }),
    closed({ kind: { const: 'custom' }, value: { type: 'string', pattern: '^[0-9*#]{1,32}$' } }),
    closed({ kind: { enum: ['company_directory', 'check_voicemail', 'phone', 'find_me', 'hangup'] } }),
  ],
};

/** The text form of a destination that forms and the CLI use; accepted in request bodies. */
export const DESTINATION_TEXT: JsonSchema = {
  type: 'string',
  pattern: '^[a-z_]+(:[0-9A-Za-z*#+]+){0,2}$',
  examples: ['hangup', 'extension:12', 'outside_number:2125551234', 'mailbox:5:busy'],
};

const label = { type: 'string', maxLength: 20 };

export const SHAPES: Record<string, JsonSchema> = {
  'Extension.routing': closed({
    tryFirst: ref('Destination'),
    ifBusy: ref('Destination'),
    ifNotAnswered: ref('Destination'),
    ifOffline: ref('Destination'),
  }),
  'Extension.findMe': closed({
    locations: {
      type: 'array',
      maxItems: 5,
      items: {
        oneOf: [
          closed({ active: { type: 'boolean' }, type: { const: 'my_extension' } }),
          closed({ active: { type: 'boolean' }, type: { const: 'other_extension' }, extensionId: id }),
          closed({
            active: { type: 'boolean' },
            type: { const: 'outside_number' },
            number: { type: 'string', pattern: '^\\d{10,15}$' },
          }),
        ],
      },
    },
    ringSeconds: { type: 'integer' },
    recordCallerName: { type: 'boolean' },
    offerVoicemail: { type: 'boolean' },
    alwaysActive: { type: 'boolean' },
    activeFrom: clock,
    activeTo: clock,
    includeSaturday: { type: 'boolean' },
    includeSunday: { type: 'boolean' },
    fallback: ref('Destination'),
  }),
  'Extension.mwiMailboxes': { type: 'array', items: { type: 'string', pattern: '^\\d+$' } },
  'PhoneNumber.routeTo': ref('Destination'),
  'PhoneNumber.ifHoliday': ref('Destination'),
  'AutoAttendant.announcement': {
    oneOf: [
      closed({ source: { const: 'default' } }),
      closed({ source: { const: 'audio' }, audioId: id }),
      closed({ source: { const: 'mailbox' }, mailboxId: id }),
    ],
  },
  'AutoAttendant.buttons': {
    type: 'object',
    description: 'Key pressed (0-9, *, #) or "timeout" → destination; absent keys do nothing.',
    propertyNames: { enum: [...ATTENDANT_KEYS] },
    additionalProperties: ref('Destination'),
  },
  'TimeFrame.rules': {
    type: 'array',
    items: closed({
      days: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 6 }, description: '0 = Sunday' },
      allDay: { type: 'boolean' },
      from: clock,
      to: clock,
    }),
  },
  'TimeFrame.during': ref('Destination'),
  'TimeFrame.after': ref('Destination'),
  'RingGroup.memberIds': ids(),
  'RingGroup.afterRing': ref('Destination'),
  'Queue.agentIds': ids(),
  'Queue.timeout': ref('Destination'),
  'HoldMusicGroup.trackIds': ids(),
  'Device.extensionIds': ids(16),
  'Device.lineKeys': {
    type: 'array',
    maxItems: 200,
    items: {
      oneOf: [
        closed({ type: { const: 'blf' }, extensionId: id, label }, ['type', 'extensionId']),
        closed({ type: { const: 'park' }, slot: { type: 'integer' }, label }, ['type', 'slot']),
        closed({ type: { const: 'speed_dial' }, number: { type: 'string', pattern: '^[0-9*#]{2,20}$' }, label }, [
          'type',
          'number',
        ]),
      ],
    },
  },
  'Pbx.featureCodes': closed(
    Object.fromEntries(
      Object.entries(DEFAULT_FEATURE_CODES).map(([k, v]) => [
        k,
        { type: typeof v === 'number' ? 'integer' : 'string' },
      ]),
    ),
  ),
};

/** Fields a request may send that are not stored as such (a confirmation, a consent that becomes a timestamp). */
export const INPUT_ONLY: Record<string, JsonSchema> = {
  'Mailbox.passwordConfirm': { type: 'string', writeOnly: true, description: 'must repeat password when given' },
  'E911Location.termsAccepted': {
    type: 'boolean',
    writeOnly: true,
    description: 'agreement to the E911 terms; stored as termsAcceptedAt',
  },
};
