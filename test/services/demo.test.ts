// The demo PBX seeds every kind of routing object once, and seeding again changes nothing.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { KINDS } from '../../src/services/kinds';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

forEachEngine('demo PBX', (engine) => {
  let w: TestWorld;
  before(async () => {
    w = await openWorld(engine);
  });
  after(async () => w?.close());

  it('creates one of everything the issue lists, with an admin login', async () => {
    const r = await seedDemo(w.services, 'demo');
    expect(r.created).to.equal(true);
    expect(r.admin?.username).to.match(/^admin@/);
    const snap = await w.services.snapshot(r.pbx.id);
    expect(snap.extensions.length).to.equal(3);
    expect(snap.extensions.every((e) => e.mailboxId && e.e911LocationId)).to.equal(true);
    expect(snap.phoneNumbers.some((n) => n.routeTo.kind === 'auto_attendant')).to.equal(true);
    for (const list of [
      'timeFrames',
      'holidays',
      'ringGroups',
      'conferenceRooms',
      'queues',
      'holdMusicGroups',
      'callBlocks',
    ] as const)
      expect(snap[list].length, list).to.be.greaterThan(0);
    expect(await w.services.users.authenticate(r.admin!.username, r.admin!.password)).to.not.equal(null);
  });

  it('changes nothing when run twice', async () => {
    const before = await w.services.snapshot((await w.services.pbx.byContext('demo')).id);
    const again = await seedDemo(w.services, 'demo');
    expect(again.created).to.equal(false);
    const after = await w.services.snapshot(again.pbx.id);
    expect(JSON.stringify(after)).to.equal(JSON.stringify(before));
  });

  it('every seeded object passes its own rules: re-saving it unchanged is accepted and changes nothing', async () => {
    const pbx = await w.services.pbx.byContext('demo');
    // The data, not pbx.revision: on PostgreSQL jsonb hands keys back reordered, so the ORM writes (and bumps the
    // revision) even for a save that changes nothing.
    const data = async () => {
      const snap = await w.services.snapshot(pbx.id);
      return JSON.stringify({ ...snap, pbx: { ...snap.pbx, revision: 0 } });
    };
    const before = await data();
    for (const kind of KINDS.filter((k) => !k.createdElsewhere))
      for (const row of await w.services.objects.list(SYSTEM, pbx.id, kind.name))
        await w.services.objects.update(SYSTEM, pbx.id, kind.name, row.id as number, {});
    await w.services.pbx.update(SYSTEM, pbx.id, {});
    await w.services.pbx.setListenLive(SYSTEM, pbx.id, {});
    expect(await data()).to.equal(before);
  });
});
