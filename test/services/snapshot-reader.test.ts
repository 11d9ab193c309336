// The read-only snapshot reader returns the same data as the entity loader, for one PBX or many, on both engines.
import { expect } from 'chai';
import { seedDemo } from '../../src/services/demo';
import { readSnapshots } from '../../src/services/snapshot-reader';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

forEachEngine('snapshot reader', (engine) => {
  let w: TestWorld;
  before(async () => {
    w = await openWorld(engine);
    await seedDemo(w.services, 'demo_a');
    await seedDemo(w.services, 'demo_b');
  });
  after(async () => w?.close());

  it('matches loadSnapshot field for field', async () => {
    const [fast] = await readSnapshots(w.orm.em.fork(), { contexts: ['demo_a'] });
    const slow = await w.services.snapshot(fast.pbx.id);
    expect(JSON.parse(JSON.stringify(fast))).to.deep.equal(JSON.parse(JSON.stringify(slow)));
  });

  it('reads many PBXs at once, ordered by context, and nothing for unknown ones', async () => {
    const all = await readSnapshots(w.orm.em.fork());
    expect(all.map((s) => s.pbx.context)).to.deep.equal(['demo_a', 'demo_b']);
    expect(all[1].extensions.every((e) => e.pbxId === all[1].pbx.id)).to.equal(true);
    expect(await readSnapshots(w.orm.em.fork(), { domains: ['nope.test'] })).to.deep.equal([]);
  });
});
