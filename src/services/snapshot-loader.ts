// Loads one PBX as a PbxSnapshot of managed entities: what the services check rules against and then change.
// Read-only callers use readSnapshots (snapshot-reader.ts), which skips entity hydration.
import type { EntityManager } from '@mikro-orm/core';
import { NotFoundError } from '../domain/errors';
import { ListenLiveSchema, PbxSchema } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import { SNAPSHOT_LISTS } from './snapshot-reader';

/** Reads every table of the PBX. Sequential on purpose: inside a PostgreSQL transaction pg refuses overlapping queries. */
export async function loadSnapshot(em: EntityManager, pbxId: number): Promise<PbxSnapshot> {
  const pbx = await em.findOne(PbxSchema, { id: pbxId });
  if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
  const snap = { pbx, listenLive: await em.findOne(ListenLiveSchema, { pbxId }) } as PbxSnapshot;
  for (const [key, schema] of SNAPSHOT_LISTS) {
    (snap as unknown as Record<string, unknown>)[key] = await em.find(schema, { pbxId }, { orderBy: { id: 'asc' } });
  }
  return snap;
}
