// Call records posted by FreeSWITCH (or imported from its files) become Activity rows of the PBX they belong to:
// once per call on any number of nodes (insert-or-ignore on the a-leg uuid), without touching the PBX's revision.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { type CallRecord, CallRecordSchema, type Pbx, PbxSchema } from '../domain/model';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import { normalizeNumber } from './activity/numbers';

/** Printable text only (a CDR carries what phones and carriers sent), cut to the column's length. */
const clip = (s: string | undefined, n: number) =>
  (s ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, n);
const extensionOrNull = (s: string | undefined) => (s && /^\d{2,6}$/.test(s) ? s : null);
const ROUTE = /^[A-Za-z0-9_:.-]{1,64}$/;

/** The PBX a record belongs to: by its SIP domain, else by the context the call started in (never `public`). */
export async function pbxOfRecord(em: EntityManager, r: CallRecordInput): Promise<Pbx | null> {
  return (
    (r.domain ? await em.findOne(PbxSchema, { domain: r.domain.toLowerCase() }) : null) ??
    (r.context && r.context !== 'public' ? await em.findOne(PbxSchema, { context: r.context }) : null)
  );
}

export type CallRecordRow = Omit<CallRecord, 'id'>;

/** The row Dialtone stores for a counted a-leg of `pbxId`. */
export function callRecordRow(pbxId: number, r: CallRecordInput): CallRecordRow {
  const inbound = r.direction === 'inbound';
  const outbound = r.direction === 'outbound';
  return {
    pbxId,
    uuid: r.uuid.toLowerCase(),
    direction: r.direction,
    callerNumber: clip(r.callerIdNumber, 32),
    callerName: clip(r.callerIdName, 64) || null,
    destination: clip(r.destinationNumber, 32),
    extensionNumber: inbound ? null : extensionOrNull(r.userName),
    calleeExtension: outbound ? null : extensionOrNull(r.dialedUser),
    calleeNumber: clip(r.calleeIdNumber ?? r.dialedUser, 32) || null,
    calleeName: clip(r.calleeIdName, 64) || null,
    phoneNumber: inbound
      ? normalizeNumber(r.calledNumber ?? r.destinationNumber)
      : outbound
        ? normalizeNumber(r.presentedNumber)
        : null,
    remoteNumber: inbound ? normalizeNumber(r.callerIdNumber) : outbound ? normalizeNumber(r.destinationNumber) : null,
    startedAt: r.startedAt,
    answeredAt: r.answeredAt ?? null,
    // A clock step on the FreeSWITCH host can put the end before the start: the call then lasted no time.
    endedAt: new Date(Math.max(r.endedAt.getTime(), r.startedAt.getTime())),
    durationSec: r.durationSec,
    billSec: r.billSec,
    disposition: r.disposition,
    hangupCause: clip(r.hangupCause, 40),
    route: r.route && ROUTE.test(r.route) ? r.route : null,
  };
}

/** Inserts rows, skipping uuids already stored (by this node or another); returns how many were new. */
export async function insertCallRecords(em: EntityManager, rows: CallRecordRow[]): Promise<number> {
  let inserted = 0;
  // A query builder insert, not em.create + flush: no entity tracking, and no PBX revision bump (a call record is
  // not configuration, and bumping it would make every xml_curl and provisioning cache re-read the PBX per call).
  // SQLite takes at most 500 rows in one multi-row insert.
  for (let i = 0; i < rows.length; i += 200) {
    const res = await (em as SqlEntityManager)
      .createQueryBuilder(CallRecordSchema)
      .insert(rows.slice(i, i + 200))
      .onConflict('uuid')
      .ignore()
      .execute('run');
    inserted += Number((res as { affectedRows?: number }).affectedRows ?? 0);
  }
  return inserted;
}

/** Resolves PBXs of records by domain/context, remembering hits for a while (every call record asks). */
export class PbxResolver {
  private readonly cache = new Map<string, { id: number; until: number }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly ttlMs = 30_000,
  ) {}

  async pbxIdOf(r: CallRecordInput): Promise<number | null> {
    const keys = [r.domain ? `d:${r.domain.toLowerCase()}` : null, r.context ? `c:${r.context}` : null];
    const now = Date.now();
    for (const k of keys) {
      const hit = k ? this.cache.get(k) : undefined;
      if (hit && hit.until > now) return hit.id;
    }
    // Misses are not remembered: a PBX created a moment ago must get its first calls.
    const pbx = await pbxOfRecord(this.orm.em.fork(), r);
    if (!pbx) return null;
    if (this.cache.size > 10_000) this.cache.clear();
    const key = r.domain && pbx.domain === r.domain.toLowerCase() ? keys[0] : keys[1];
    if (key) this.cache.set(key, { id: pbx.id, until: now + this.ttlMs });
    return pbx.id;
  }
}

const resolvers = new WeakMap<MikroORM, PbxResolver>();

/** Stores the a-leg of a call; b-legs, loopback legs, unknown PBXs and repeats (FreeSWITCH retries) are ignored. */
export async function ingestCallRecord(orm: MikroORM, r: CallRecordInput): Promise<boolean> {
  if (!r.countsForActivity) return false;
  let resolver = resolvers.get(orm);
  if (!resolver) {
    resolver = new PbxResolver(orm);
    resolvers.set(orm, resolver);
  }
  const pbxId = await resolver.pbxIdOf(r);
  if (pbxId === null) return false;
  return (await insertCallRecords(orm.em.fork(), [callRecordRow(pbxId, r)])) === 1;
}
