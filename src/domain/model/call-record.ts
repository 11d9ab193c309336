// Call records (one row per call FreeSWITCH handled: Activity, Activity Graph, Path Usage) and scheduled job runs.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export type CallDirection = 'inbound' | 'outbound' | 'local';
export type CallDisposition = 'answered' | 'voicemail' | 'busy' | 'no_answer' | 'failed';

export const CallRecordSchema = defineEntity({
  name: 'CallRecord',
  tableName: 'call_record',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer(),
    /** The a-leg's channel uuid: FreeSWITCH's retries and a second node receiving the same post insert nothing. */
    uuid: p.string().length(36).unique(),
    direction: p.string().length(8).$type<CallDirection>(),
    callerNumber: p.string().length(32),
    callerName: p.string().length(64).nullable(),
    /** The number as first dialed. */
    destination: p.string().length(32),
    /** The extension that placed the call (outgoing and internal calls). */
    extensionNumber: p.string().length(6).nullable(),
    /** The extension the call reached (incoming and internal calls), when it rang one. */
    calleeExtension: p.string().length(6).nullable(),
    calleeNumber: p.string().length(32).nullable(),
    calleeName: p.string().length(64).nullable(),
    /** The PBX's own number: the DID called (incoming) or the caller ID presented (outgoing); normalised digits. */
    phoneNumber: p.string().length(15).nullable(),
    /** The outside party: who called in, or the number dialed out; normalised digits (NANP as 10). */
    remoteNumber: p.string().length(15).nullable(),
    startedAt: p.datetime(),
    answeredAt: p.datetime().nullable(),
    endedAt: p.datetime(),
    durationSec: p.integer(),
    billSec: p.integer(),
    disposition: p.string().length(10).$type<CallDisposition>().default('failed'),
    hangupCause: p.string().length(40),
    /** What the generator says the call took (`dialtone_route`, e.g. did_12, did_12_holiday, outbound_nanp). */
    route: p.string().length(64).nullable(),
  },
  // Every search is one PBX, newest first, keyset-paged on (started_at, id); each filter has its own ordered index.
  // The first also carries direction and ended_at, so Activity Graph and Path Usage read only the index.
  indexes: [
    { properties: ['pbxId', 'startedAt', 'id', 'direction', 'endedAt'] },
    { properties: ['pbxId', 'extensionNumber', 'startedAt', 'id'] },
    { properties: ['pbxId', 'calleeExtension', 'startedAt', 'id'] },
    { properties: ['pbxId', 'phoneNumber', 'startedAt', 'id'] },
    { properties: ['pbxId', 'remoteNumber', 'startedAt', 'id'] },
    // Path Usage finds the rare calls longer than a day that started long before its window (see path-usage.ts).
    { properties: ['pbxId', 'durationSec'] },
  ],
});
export type CallRecord = InferEntity<typeof CallRecordSchema>;

export type JobRunStatus = 'running' | 'ok' | 'failed';

export const JobRunSchema = defineEntity({
  name: 'JobRun',
  tableName: 'job_run',
  properties: {
    id: p.integer().primary().autoincrement(),
    job: p.string().length(40),
    /** The scheduled time this run is for: unique per job, so each slot runs on one node of a cluster only. */
    slot: p.datetime(),
    /** host:pid of the process that ran it. */
    node: p.string().length(100),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    status: p.string().length(10).$type<JobRunStatus>(),
    /** What the run did (counts), as the job reported it. */
    summary: p.json<Record<string, unknown>>().nullable(),
    error: p.string().length(500).nullable(),
  },
  uniques: [{ properties: ['job', 'slot'] }],
  indexes: [{ properties: ['startedAt'] }],
});
export type JobRun = InferEntity<typeof JobRunSchema>;
