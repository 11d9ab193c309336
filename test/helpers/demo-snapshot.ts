// A deterministic demo PBX snapshot for generator tests: seeded into in-memory SQLite, secrets pinned.
import { insertBigPbx } from '../../bench/support/big-pbx';
import { openDatabase } from '../../src/db';
import type { PbxSnapshot } from '../../src/domain/snapshot';
import { createServices, type Services } from '../../src/services';
import { seedDemo } from '../../src/services/demo';
import { readSnapshots } from '../../src/services/snapshot-reader';

/** Seeds the demo PBX (plus anything `extra` adds) and returns its snapshot with random values replaced by fixed ones. */
export async function demoSnapshot(extra?: (s: Services, pbxId: number) => Promise<void>): Promise<PbxSnapshot> {
  const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
  try {
    const services = createServices(orm);
    const { pbx } = await seedDemo(services, 'demo');
    if (extra) await extra(services, pbx.id);
    return pinSecrets(await services.snapshot(pbx.id));
  } finally {
    await orm.close(true);
  }
}

export function pinSecrets(snap: PbxSnapshot): PbxSnapshot {
  snap.pbx.pin = '123456';
  snap.pbx.phoneAdminPassword = 'PhoneAdmin42';
  snap.pbx.createdAt = new Date('2026-01-01T00:00:00Z');
  snap.extensions.forEach((e, i) => {
    e.sipPassword = `SipSecret${String(i + 1).padStart(4, '0')}`;
  });
  for (const h of snap.holidays) h.date = h.date.replace(/^\d{4}/, '2027');
  for (const l of snap.e911Locations) l.termsAcceptedAt = new Date('2026-01-01T00:00:00Z');
  for (const u of snap.users) {
    u.passwordHash = 'scrypt$pinned';
    u.createdAt = new Date('2026-01-01T00:00:00Z');
  }
  return snap;
}

/** Snapshots of a synthetic PBX of `extensions` extensions (bench/support/big-pbx: same shape as the benches). */
export async function bigPbxSnapshots(extensions: number): Promise<PbxSnapshot[]> {
  const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
  try {
    await insertBigPbx(orm, {
      context: 'big',
      extensions,
      ringGroups: Math.ceil(extensions / 12),
      attendants: Math.ceil(extensions / 40),
      numbers: Math.ceil(extensions / 8),
      didPrefix: '212',
    });
    return await readSnapshots(orm.em.fork(), {});
  } finally {
    await orm.close(true);
  }
}
