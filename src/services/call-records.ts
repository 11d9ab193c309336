// Call records posted by FreeSWITCH become Activity rows of the PBX they belong to (once per call, idempotent).
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { CallRecordSchema, type Pbx, PbxSchema } from '../domain/model';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';

const clip = (s: string | undefined, n: number) => (s ?? '').replace(/[\u0000-\u001f]/g, '').slice(0, n);

/** The PBX a record belongs to: by its SIP domain, else by the context the call started in (never `public`). */
export async function pbxOfRecord(em: EntityManager, r: CallRecordInput): Promise<Pbx | null> {
  return (
    (r.domain ? await em.findOne(PbxSchema, { domain: r.domain.toLowerCase() }) : null) ??
    (r.context && r.context !== 'public' ? await em.findOne(PbxSchema, { context: r.context }) : null)
  );
}

/** Stores the a-leg of a call; b-legs, loopback legs, unknown PBXs and repeats (FreeSWITCH retries) are ignored. */
export async function ingestCallRecord(orm: MikroORM, r: CallRecordInput): Promise<boolean> {
  if (!r.countsForActivity) return false;
  const em = orm.em.fork();
  const pbx = await pbxOfRecord(em, r);
  if (!pbx) return false;
  if (await em.findOne(CallRecordSchema, { uuid: r.uuid })) return false;
  const digits = (s?: string) => (s ?? '').replace(/\D/g, '');
  em.create(CallRecordSchema, {
    pbxId: pbx.id,
    uuid: r.uuid,
    direction: r.direction,
    callerNumber: clip(r.callerIdNumber, 32),
    callerName: clip(r.callerIdName, 64) || null,
    destination: clip(r.destinationNumber, 32),
    extensionNumber: r.direction !== 'inbound' && r.userName && /^\d{2,6}$/.test(r.userName) ? r.userName : null,
    phoneNumber: r.direction === 'inbound' ? digits(r.destinationNumber).slice(-15) || null : null,
    startedAt: r.startedAt,
    answeredAt: r.answeredAt ?? null,
    endedAt: r.endedAt,
    durationSec: r.durationSec,
    billSec: r.billSec,
    hangupCause: clip(r.hangupCause, 40),
  });
  try {
    await em.flush();
    return true;
  } catch (err) {
    // Two nodes receiving the same retried post: the unique uuid index decides, the loser ignores it.
    if (/unique|duplicate/i.test(String((err as Error).message))) return false;
    throw err;
  }
}
