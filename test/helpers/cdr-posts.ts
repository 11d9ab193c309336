// Captured FreeSWITCH CDR posts (test/fixtures/freeswitch/cdr/) as parsed records, and real a-legs re-addressed:
// other uuid, times, numbers or variables, so tests make many calls out of the bytes FreeSWITCH really sent.
import { randomUUID } from 'node:crypto';
import type { CallRecordInput } from '../../src/freeswitch/cdr/call-record';
import { parseCdrPost } from '../../src/freeswitch/cdr/cdr-post';
import { readCapturedRequest } from './http-fixture';

export function capturedRecord(name: string): CallRecordInput {
  const req = readCapturedRequest(`cdr/${name}`);
  return parseCdrPost(req.headers['content-type'], req.body);
}

type Json = Record<string, unknown>;

export interface CallEdit {
  uuid?: string;
  start?: Date;
  /** Seconds from start to answer (absent: not answered). */
  answerAfter?: number;
  durationSec?: number;
  variables?: Record<string, string>;
  /** Fields of the caller profile the call started with (caller_id_number, destination_number, context, ...). */
  profile?: Record<string, string>;
}

/** The JSON body of a captured mod_json_cdr a-leg post with the edits applied (encode=false: plain JSON). */
export function editedJsonCdr(name: string, edit: CallEdit = {}): string {
  const doc = JSON.parse(readCapturedRequest(`cdr/${name}`).body.toString('utf8')) as Json;
  const vars = doc.variables as Record<string, string>;
  const uuid = edit.uuid ?? randomUUID();
  vars.uuid = uuid;
  vars.call_uuid = uuid;
  if (edit.start) {
    const start = edit.start.getTime() * 1000;
    const duration = edit.durationSec ?? Number(vars.duration ?? vars.billsec ?? 0);
    const end = start + duration * 1_000_000;
    vars.start_uepoch = String(start);
    vars.start_epoch = String(Math.floor(start / 1e6));
    vars.end_uepoch = String(end);
    vars.end_epoch = String(Math.floor(end / 1e6));
    vars.duration = String(duration);
    if (edit.answerAfter === undefined) {
      vars.answer_uepoch = '0';
      vars.answer_epoch = '0';
      vars.billsec = '0';
    } else {
      const answer = start + edit.answerAfter * 1_000_000;
      vars.answer_uepoch = String(answer);
      vars.answer_epoch = String(Math.floor(answer / 1e6));
      vars.billsec = String(Math.max(0, duration - edit.answerAfter));
    }
  }
  Object.assign(vars, edit.variables ?? {});
  const flows = doc.callflow as Array<{ caller_profile: Json }>;
  const original = flows[flows.length - 1].caller_profile;
  original.uuid = uuid;
  Object.assign(original, edit.profile ?? {});
  return JSON.stringify(doc);
}

/** The edited a-leg, parsed as the intake would. */
export function editedRecord(name: string, edit: CallEdit = {}): CallRecordInput {
  return parseCdrPost('application/json', editedJsonCdr(name, edit));
}
