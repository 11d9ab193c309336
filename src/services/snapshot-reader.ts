// Read-only snapshots for the generator, xml_curl and provisioning: plain rows, one query per table for many PBXs.
// Services that change data use loadSnapshot (managed entities); hydrating 20,000 entities just to read them is slow.
import type { EntityManager, EntitySchema } from '@mikro-orm/core';
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
  ListenLiveSchema,
  MailboxSchema,
  type Pbx,
  PbxSchema,
  PhoneNumberSchema,
  PortalUserSchema,
  QueueSchema,
  RingGroupSchema,
  SipTrunkSchema,
  TimeFrameSchema,
} from '../domain/model';
import type { PbxSnapshot, SnapshotList } from '../domain/snapshot';

type Row = Record<string, unknown>;

/** Every per-PBX table of a snapshot and the entity it holds (also used by loadSnapshot). */
export const SNAPSHOT_LISTS: Array<[SnapshotList, EntitySchema<any, never>]> = [
  ['extensions', ExtensionSchema],
  ['mailboxes', MailboxSchema],
  ['phoneNumbers', PhoneNumberSchema],
  ['e911Locations', E911LocationSchema],
  ['autoAttendants', AutoAttendantSchema],
  ['timeFrames', TimeFrameSchema],
  ['holidays', HolidaySchema],
  ['ringGroups', RingGroupSchema],
  ['conferenceRooms', ConferenceRoomSchema],
  ['conferenceHubs', ConferenceHubSchema],
  ['queues', QueueSchema],
  ['holdMusicGroups', HoldMusicGroupSchema],
  ['audioFiles', AudioFileSchema],
  ['callBlocks', CallBlockSchema],
  ['sipTrunks', SipTrunkSchema],
  ['devices', DeviceSchema],
  ['users', PortalUserSchema],
];

/** SQLite hands JSON columns back as text, PostgreSQL as objects: normalise to objects. */
function jsonProps(em: EntityManager, schema: EntitySchema<any, never>): string[] {
  return Object.values(em.getMetadata().get(schema.meta.className).properties)
    .filter((p) => String(p.columnTypes?.[0] ?? '').startsWith('json'))
    .map((p) => p.name);
}

async function rows(em: EntityManager, schema: EntitySchema<any, never>, where: Row): Promise<Row[]> {
  const json = jsonProps(em, schema);
  const found = (await em.getDriver().find(schema.meta.className, where, { orderBy: { id: 'asc' } } as never)) as Row[];
  if (json.length)
    for (const r of found) for (const k of json) if (typeof r[k] === 'string') r[k] = JSON.parse(r[k] as string);
  return found;
}

/** Snapshots of the given PBXs (all when omitted), ordered by context. 19 queries whatever the number of PBXs. */
export async function readSnapshots(
  em: EntityManager,
  where: { ids?: number[]; contexts?: string[]; domains?: string[] } = {},
): Promise<PbxSnapshot[]> {
  const pbxWhere: Row = {};
  if (where.ids) pbxWhere.id = { $in: where.ids };
  if (where.contexts) pbxWhere.context = { $in: where.contexts };
  if (where.domains) pbxWhere.domain = { $in: where.domains };
  const pbxs = (await rows(em, PbxSchema, pbxWhere)) as unknown as Pbx[];
  if (!pbxs.length) return [];
  const ids = pbxs.map((p) => p.id);
  const snaps = new Map<number, PbxSnapshot>();
  for (const pbx of pbxs) {
    const empty = Object.fromEntries(SNAPSHOT_LISTS.map(([k]) => [k, []])) as unknown as Omit<
      PbxSnapshot,
      'pbx' | 'listenLive'
    >;
    snaps.set(pbx.id, { pbx, listenLive: null, ...empty });
  }
  const scope = { pbxId: { $in: ids } };
  for (const [key, schema] of SNAPSHOT_LISTS) {
    for (const r of await rows(em, schema, scope)) (snaps.get(r.pbxId as number)?.[key] as Row[] | undefined)?.push(r);
  }
  for (const r of await rows(em, ListenLiveSchema, scope)) {
    const s = snaps.get(r.pbxId as number);
    if (s) s.listenLive = r as never;
  }
  return [...snaps.values()].sort((a, b) => a.pbx.context.localeCompare(b.pbx.context));
}
