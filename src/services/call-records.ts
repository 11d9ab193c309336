// Call records posted by FreeSWITCH (or imported from its files) become Activity rows of the PBX they belong to:
// once per call on any number of nodes (insert-or-ignore on the a-leg uuid), without touching the PBX's revision.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { type CallRecord, type Pbx, PbxSchema } from '../domain/model';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import { normalizeNumber } from './activity/numbers';
import { type Sql, sqlFor } from './activity/sql';

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

const COLUMNS = [
  'pbx_id',
  'uuid',
  'direction',
  'caller_number',
  'caller_name',
  'destination',
  'extension_number',
  'callee_extension',
  'callee_number',
  'callee_name',
  'phone_number',
  'remote_number',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_sec',
  'bill_sec',
  'disposition',
  'hangup_cause',
  'route',
] as const;
const PLACEHOLDERS = `(${COLUMNS.map(() => '?').join(', ')})`;
/** Rows per statement: 20 parameters each, well under both engines' limits. */
const ROWS_PER_STATEMENT = 200;

function params(sql: Sql, r: CallRecordRow): unknown[] {
  return [
    r.pbxId,
    r.uuid,
    r.direction,
    r.callerNumber,
    r.callerName,
    r.destination,
    r.extensionNumber,
    r.calleeExtension,
    r.calleeNumber,
    r.calleeName,
    r.phoneNumber,
    r.remoteNumber,
    sql.time(r.startedAt.getTime()),
    r.answeredAt ? sql.time(r.answeredAt.getTime()) : null,
    sql.time(r.endedAt.getTime()),
    r.durationSec,
    r.billSec,
    r.disposition,
    r.hangupCause,
    r.route,
  ];
}

/**
 * Inserts rows in multi-row statements, skipping uuids already stored (by this node or another); returns the uuids
 * that were new. Plain SQL, not em.create + flush: no entity tracking, one statement per 200 calls, and no PBX
 * revision bump (a call record is not configuration; bumping it would make every xml_curl and provisioning cache
 * re-read the PBX per call).
 */
export async function insertCallRecordRows(orm: MikroORM, rows: CallRecordRow[]): Promise<Set<string>> {
  const sql = sqlFor(orm);
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const returned = await sql.query<{ uuid: string }>(
      `insert into call_record (${COLUMNS.join(', ')}) values ${chunk.map(() => PLACEHOLDERS).join(', ')} on conflict (uuid) do nothing returning uuid`,
      chunk.flatMap((r) => params(sql, r)),
    );
    for (const r of returned) stored.add(r.uuid);
  }
  return stored;
}

/** Inserts rows, skipping uuids already stored; returns how many were new. */
export async function insertCallRecords(orm: MikroORM, rows: CallRecordRow[]): Promise<number> {
  return (await insertCallRecordRows(orm, rows)).size;
}

/**
 * Group commit for the intake: posts that arrive while a write is in flight are written together by the next one,
 * so under load one statement and one commit (one fsync on SQLite) carry many calls. A lone post is written at once.
 */
export class CallRecordWriter {
  private queue: Array<{ row: CallRecordRow; done: (stored: boolean) => void; fail: (err: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly orm: MikroORM) {}

  /** Resolves true when this call was stored by this write, false when it already was. */
  write(row: CallRecordRow): Promise<boolean> {
    return new Promise((done, fail) => {
      this.queue.push({ row, done, fail });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, ROWS_PER_STATEMENT);
        // The same call twice in one batch (two posts at once): the first one answers for it, the other is a repeat.
        const first = new Map<string, CallRecordRow>();
        for (const { row } of batch) if (!first.has(row.uuid)) first.set(row.uuid, row);
        try {
          const stored = await insertCallRecordRows(this.orm, [...first.values()]);
          for (const { row, done } of batch) done(first.get(row.uuid) === row && stored.has(row.uuid));
        } catch (err) {
          for (const { fail } of batch) fail(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
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

const intakes = new WeakMap<MikroORM, { resolver: PbxResolver; writer: CallRecordWriter }>();

/** Stores the a-leg of a call; b-legs, loopback legs, unknown PBXs and repeats (FreeSWITCH retries) are ignored. */
export async function ingestCallRecord(orm: MikroORM, r: CallRecordInput): Promise<boolean> {
  if (!r.countsForActivity) return false;
  let intake = intakes.get(orm);
  if (!intake) {
    intake = { resolver: new PbxResolver(orm), writer: new CallRecordWriter(orm) };
    intakes.set(orm, intake);
  }
  const pbxId = await intake.resolver.pbxIdOf(r);
  if (pbxId === null) return false;
  return intake.writer.write(callRecordRow(pbxId, r));
}
