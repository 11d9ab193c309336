// Call-record rows for Activity tests, inserted the way the intake inserts them (insert-or-ignore, no ORM flush).
import { randomUUID } from 'node:crypto';
import type { Orm } from '../../src/db';
import { type CallRecordRow, insertCallRecords } from '../../src/services/call-records';

export interface CallSpec extends Partial<CallRecordRow> {
  /** ISO instant the call started. */
  at: string;
  /** Seconds it lasted (default 60). */
  seconds?: number;
}

export function callRow(pbxId: number, spec: CallSpec): CallRecordRow {
  const { at, seconds = 60, ...rest } = spec;
  const start = new Date(at);
  return {
    pbxId,
    uuid: randomUUID(),
    direction: 'local',
    callerNumber: '201',
    callerName: 'Person 201',
    destination: '202',
    extensionNumber: '201',
    calleeExtension: '202',
    calleeNumber: '202',
    calleeName: null,
    phoneNumber: null,
    remoteNumber: null,
    startedAt: start,
    answeredAt: start,
    endedAt: new Date(start.getTime() + seconds * 1000),
    durationSec: seconds,
    billSec: seconds,
    disposition: 'answered',
    hangupCause: 'NORMAL_CLEARING',
    route: null,
    ...rest,
  };
}

export const incoming = (pbxId: number, at: string, more: Partial<CallSpec> = {}) =>
  callRow(pbxId, {
    at,
    direction: 'inbound',
    callerNumber: '7735550199',
    destination: '3125551000',
    extensionNumber: null,
    phoneNumber: '3125551000',
    remoteNumber: '7735550199',
    ...more,
  });

export const outgoing = (pbxId: number, at: string, more: Partial<CallSpec> = {}) =>
  callRow(pbxId, {
    at,
    direction: 'outbound',
    destination: '16125550123',
    calleeExtension: null,
    calleeNumber: null,
    phoneNumber: '3125551000',
    remoteNumber: '6125550123',
    ...more,
  });

export async function insertCalls(orm: Orm, rows: CallRecordRow[]): Promise<void> {
  await insertCallRecords(orm, rows);
}
