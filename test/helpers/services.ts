// Builds the service layer on a fresh database of the given engine, with a small PBX factory for tests.
import type { Orm } from '../../src/db';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { randomAlnum } from '../../src/services/secrets';
import type { Engine } from './databases';

export interface TestWorld {
  orm: Orm;
  services: Services;
  close(): Promise<void>;
}

/** `dataDir`: where uploaded audio goes (a temporary folder of the test; default ./data, for tests that upload none). */
export async function openWorld(engine: Engine, opts: { dataDir?: string } = {}): Promise<TestWorld> {
  const orm = await engine.open();
  const services = createServices(
    orm,
    { profileIds: new Set(['yealink-t54w', 'polycom-vvx450']) },
    opts.dataDir ? { dataDir: opts.dataDir } : {},
  );
  return { orm, services, close: () => orm.close(true) };
}

/** A PBX with one phone number, one E911 location and extensions 201, 202 (with mailboxes). */
export async function makePbx(services: Services, context: string) {
  const pbx = await services.pbx.create(SYSTEM, { context, name: `Test ${context}`, timezone: 'America/Chicago' });
  const o = services.objects;
  const number = await o.create(SYSTEM, pbx.id, 'numbers', {
    number: `312555${String(pbx.id).padStart(4, '0')}`,
    routeTo: { kind: 'hangup' },
  });
  const loc = await o.create(SYSTEM, pbx.id, 'e911', {
    name: 'HQ',
    street: '1 Main St',
    city: 'Chicago',
    state: 'IL',
    zip: '60601',
    callbackNumberId: number.id,
    termsAccepted: true,
  });
  const ext: Record<string, { id: number; mailboxId: number }> = {};
  for (const n of ['201', '202']) {
    const box = await o.create(SYSTEM, pbx.id, 'mailboxes', { number: n, name: `Person ${n}`, password: '4321' });
    const e = await o.create(
      SYSTEM,
      pbx.id,
      'extensions',
      { number: n, name: `Person ${n}`, e911LocationId: loc.id, mailboxId: box.id },
      { sipPassword: randomAlnum(16) },
    );
    ext[n] = { id: e.id as number, mailboxId: box.id as number };
  }
  return { pbx, numberId: number.id as number, locationId: loc.id as number, ext };
}
