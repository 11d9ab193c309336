// Activity search: one PBX's calls, newest first, filtered by range, direction, extension and number, in keyset pages
// on (started_at, id) so a page never shifts when calls arrive meanwhile. Each filter has an index ordered the same
// way; an extension (or number) filter looks in two columns, so it reads each column's index up to the page size and
// merges the two (a UNION of two ordered, limited reads instead of an OR the planners would sort).
import { isoInZone } from '../../domain/zoned-time';
import type { ActivityQuery, Cursor, DirectionFilter } from './query';
import type { Sql } from './sql';

export type CallType = 'incoming' | 'outgoing' | 'internal';

/** One call as Activity shows it; times are ISO 8601 in the PBX time zone (local time and its offset). */
export interface ActivityCall {
  id: number;
  uuid: string;
  direction: CallType;
  start: string;
  answer: string | null;
  end: string;
  durationSec: number;
  billSec: number;
  /** answered, voicemail, busy, no_answer, failed */
  disposition: string;
  hangupCause: string;
  /** The extension that placed the call (outgoing, internal). */
  callerExtension: string | null;
  /** The extension the call rang (incoming, internal). */
  calleeExtension: string | null;
  callerNumber: string;
  callerName: string | null;
  /** The number as dialed. */
  destination: string;
  calleeNumber: string | null;
  calleeName: string | null;
  /** The PBX's number: DID called (incoming) or caller ID presented (outgoing). */
  phoneNumber: string | null;
  /** The outside party's number. */
  remoteNumber: string | null;
  /** Route token the generator set (did_<id>, did_<id>_holiday, outbound_nanp, ...). */
  route: string | null;
}

export const CALL_COLUMNS =
  'id, uuid, direction, caller_number, caller_name, destination, extension_number, callee_extension, callee_number, callee_name, phone_number, remote_number, started_at, answered_at, ended_at, duration_sec, bill_sec, disposition, hangup_cause, route';

const TYPE: Record<string, CallType> = { inbound: 'incoming', outbound: 'outgoing', local: 'internal' };
export const STORED_DIRECTION: Record<Exclude<DirectionFilter, 'both'>, string> = {
  incoming: 'inbound',
  outgoing: 'outbound',
  internal: 'local',
};

export type CallRow = Record<string, unknown>;

export function toCall(row: CallRow, sql: Sql, timeZone: string): ActivityCall {
  const str = (k: string) => (row[k] === null || row[k] === undefined ? null : String(row[k]));
  return {
    id: Number(row.id),
    uuid: String(row.uuid),
    direction: TYPE[String(row.direction)] ?? 'internal',
    start: isoInZone(timeZone, sql.ms(row.started_at)),
    answer:
      row.answered_at === null || row.answered_at === undefined ? null : isoInZone(timeZone, sql.ms(row.answered_at)),
    end: isoInZone(timeZone, sql.ms(row.ended_at)),
    durationSec: Number(row.duration_sec),
    billSec: Number(row.bill_sec),
    disposition: String(row.disposition),
    hangupCause: String(row.hangup_cause),
    callerExtension: str('extension_number'),
    calleeExtension: str('callee_extension'),
    callerNumber: String(row.caller_number),
    callerName: str('caller_name'),
    destination: String(row.destination),
    calleeNumber: str('callee_number'),
    calleeName: str('callee_name'),
    phoneNumber: str('phone_number'),
    remoteNumber: str('remote_number'),
    route: str('route'),
  };
}

export interface PageFilter extends Omit<ActivityQuery, 'cursor' | 'limit'> {}

/** One keyset page of raw rows (limit rows, newest first, strictly after `after`). */
export async function readPage(
  sql: Sql,
  pbxId: number,
  q: PageFilter,
  after: Cursor | null,
  limit: number,
): Promise<CallRow[]> {
  const where: string[] = ['pbx_id = ?'];
  const params: unknown[] = [pbxId];
  if (q.from) {
    where.push('started_at >= ?');
    params.push(sql.time(q.from.getTime()));
  }
  if (q.to) {
    where.push('started_at < ?');
    params.push(sql.time(q.to.getTime()));
  }
  if (q.direction !== 'both') {
    where.push('direction = ?');
    params.push(STORED_DIRECTION[q.direction]);
  }
  if (after) {
    // The first conjunct is the index range; the second breaks ties on the same instant by id.
    where.push('started_at <= ? and (started_at < ? or id < ?)');
    params.push(sql.time(after.startedAt), sql.time(after.startedAt), after.id);
  }
  let branches: Array<[string, unknown]> = [];
  if (q.extension) {
    branches = [
      ['extension_number = ?', q.extension],
      ['callee_extension = ?', q.extension],
    ];
    if (q.number) {
      where.push('(phone_number = ? or remote_number = ?)');
      params.push(q.number, q.number);
    }
  } else if (q.number)
    branches = [
      ['phone_number = ?', q.number],
      ['remote_number = ?', q.number],
    ];
  const order = 'order by started_at desc, id desc limit ?';
  if (!branches.length)
    return sql.query(`select ${CALL_COLUMNS} from call_record where ${where.join(' and ')} ${order}`, [
      ...params,
      limit,
    ]);
  const parts = branches.map(
    ([cond], i) =>
      `select * from (select ${CALL_COLUMNS} from call_record where ${[...where, cond].join(' and ')} ${order}) b${i}`,
  );
  const all = branches.flatMap(([, value]) => [...params, value, limit]);
  // UNION (not ALL): an internal call from an extension to itself matches both branches and is one row.
  return sql.query(`${parts.join(' union ')} ${order}`, [...all, limit]);
}

export function cursorOf(row: CallRow, sql: Sql): Cursor {
  return { startedAt: sql.ms(row.started_at), id: Number(row.id) };
}
