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
import { inheritMemos } from '../domain/snapshot-memo';

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

/** How far behind a snapshot may be for its changes to be re-read row by row (the change log keeps more). */
const MAX_PATCHED_REVISIONS = 200;
/**
 * Rows re-read one by one at most (per catch-up): past this a whole read is as quick, and one `in (…)` list must stay
 * within the databases' limits on bound parameters (200 revisions of 200 rows each would not).
 */
const MAX_PATCHED_ROWS = 1000;

/**
 * The snapshot of `old`'s PBX at revision `to` (or later), from `old` and the rows the change log names for the
 * revisions between (a new object; `old` is left as it was), or null when the log cannot say — a revision without log
 * rows (writers raced, or the log was pruned), "*" (a bulk change), more rows than MAX_PATCHED_ROWS, or the PBX gone: the caller then reads the whole
 * PBX. `to` is a revision the caller saw in the pbx table; the log is read up to it, then the rows it names (so the
 * result holds at least that revision, as readSnapshots' does). The PBX row itself is read only when the log names it.
 */
export async function readChangesSince(em: EntityManager, old: PbxSnapshot, to: number): Promise<PbxSnapshot | null> {
  const from = old.pbx.revision;
  if (to < from || to - from > MAX_PATCHED_REVISIONS) return null;
  const log = (await em
    .getConnection()
    .execute('select revision, entity, row_id from pbx_change where pbx_id = ? and revision > ? and revision <= ?', [
      old.pbx.id,
      from,
      to,
    ])) as Array<{ revision: number | string; entity: string; row_id: number | string }>;
  if (log.length > MAX_PATCHED_ROWS) return null;
  const labelled = new Set(log.map((l) => Number(l.revision)));
  for (let r = from + 1; r <= to; r++) if (!labelled.has(r)) return null;
  const ids = new Map<string, Set<number>>();
  for (const l of log) {
    if (l.entity === '*') return null;
    const set = ids.get(l.entity) ?? new Set<number>();
    if (!set.size) ids.set(l.entity, set);
    set.add(Number(l.row_id));
  }
  let pbx: Pbx = { ...old.pbx, revision: to };
  if (ids.has(PbxSchema.meta.className)) {
    const [row] = (await rowsById(em, PbxSchema, 'id', old.pbx.id, null)) as unknown as Pbx[];
    if (!row) return null;
    // Its revision may be past `to` already: the snapshot is labelled with the one the log was read to.
    pbx = { ...row, revision: to };
  }
  const next: PbxSnapshot = { ...old, pbx };
  for (const [key, schema] of SNAPSHOT_LISTS) {
    const changed = ids.get(schema.meta.className);
    if (!changed) continue;
    const found = await rowsById(em, schema, 'pbxId', pbx.id, [...changed]);
    next[key] = mergeById(old[key] as Row[], changed, found) as never;
  }
  if (ids.has(ListenLiveSchema.meta.className))
    next.listenLive = ((await rowsById(em, ListenLiveSchema, 'pbxId', pbx.id, null))[0] ?? null) as never;
  // Other entities in the log (Pbx itself, "lock", objects no snapshot holds) need nothing more.
  inheritMemos(old, next);
  return next;
}

/**
 * Rows of `schema` whose `column` property is `value` (and whose id is one of `ids`), as driver.find returns them, in
 * one plain query: this runs right after a change while xml_curl lookups wait for it, and building a QueryBuilder
 * per table was most of its time.
 */
async function rowsById(
  em: EntityManager,
  schema: EntitySchema<any, never>,
  column: 'id' | 'pbxId',
  value: number,
  ids: number[] | null,
): Promise<Row[]> {
  const meta = em.getMetadata().get(schema.meta.className);
  const field = (name: string) => meta.properties[name].fieldNames[0];
  const params = [value, ...(ids ?? [])];
  const inIds = ids ? ` and ${field('id')} in (${ids.map(() => '?').join(', ')})` : '';
  const found = (await em
    .getConnection()
    .execute(`select * from ${meta.tableName} where ${field(column)} = ?${inIds}`, params)) as Row[];
  const json = jsonProps(em, schema);
  return found.map((raw) => {
    const r = em.getDriver().mapResult(raw, meta) as Row;
    for (const k of json) if (typeof r[k] === 'string') r[k] = JSON.parse(r[k] as string);
    return r;
  });
}

/** `list` (ordered by id) with the `changed` ids replaced by the rows `found` for them, or removed when none was. */
function mergeById(list: Row[], changed: Set<number>, found: Row[]): Row[] {
  const out = list.filter((r) => !changed.has(r.id as number));
  for (const r of found) {
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((out[mid].id as number) < (r.id as number)) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, r);
  }
  return out;
}
