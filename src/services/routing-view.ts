// The routing objects of one PBX for the call-flow page, as views without secrets: the flow follows phone numbers,
// time frames, holidays, attendants, groups, extensions and mailboxes across the whole PBX, so it reads the snapshot
// (the generator's input, so the page answers exactly as the dialplan routes), strips every kind's hidden fields the
// way list/get do, and leaves out what routing never needs (users, devices, listen live, the PBX's PINs).
import { NotFoundError } from '../domain/errors';
import type { Pbx } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { Services } from '.';
import { type Actor, assertAdmin } from './actor';
import { KINDS } from './kinds';
import { toPlain } from './object-service';
import { pbxView } from './pbx-service';

export async function routingView(services: Services, actor: Actor, pbxId: number): Promise<PbxSnapshot> {
  if (actor.kind === 'user' && actor.pbxId !== pbxId) throw new NotFoundError(`PBX #${pbxId} does not exist`);
  assertAdmin(actor, 'see the call flow of the whole PBX');
  const snap = await services.snapshot(pbxId);
  const out = { ...snap } as unknown as Record<string, unknown>;
  for (const kind of KINDS)
    if (kind.hidden?.length) out[kind.list] = (snap[kind.list] as object[]).map((row) => toPlain(row, kind));
  return {
    ...(out as unknown as PbxSnapshot),
    pbx: pbxView(snap.pbx) as unknown as Pbx,
    users: [],
    devices: [],
    listenLive: null,
  };
}
