// Request-time snapshots: a committed change is visible to the very next lookup; concurrent lookups share queries.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

forEachEngine('live snapshots', (engine) => {
  let w: TestWorld;
  before(async () => {
    w = await openWorld(engine);
    await seedDemo(w.services, 'live_a');
    await seedDemo(w.services, 'live_b');
  });
  after(async () => w?.close());

  it('finds PBXs by domain and context, null for unknown', async () => {
    const live = new LiveSnapshots(w.orm);
    expect((await live.byDomain('live-a.dialtone.test'))?.snap.pbx.context).to.equal('live_a');
    expect((await live.byContext('live_b'))?.snap.extensions).to.have.length(3);
    expect(await live.byDomain('nope.test')).to.equal(null);
    expect((await live.all()).map((e) => e.snap.pbx.context)).to.deep.equal(['live_a', 'live_b']);
  });

  it('shows a change on the next lookup and keeps the memo only while the revision holds', async () => {
    const live = new LiveSnapshots(w.orm);
    const first = await live.byContext('live_a');
    first?.memo.set('k', 'v');
    expect((await live.byContext('live_a'))?.memo.get('k')).to.equal('v');
    const ext = first?.snap.extensions[0];
    await w.services.objects.update(SYSTEM, first!.snap.pbx.id, 'extensions', ext!.id, { name: 'Renamed Person' });
    const next = await live.byContext('live_a');
    expect(next?.snap.extensions[0].name).to.equal('Renamed Person');
    expect(next?.memo.has('k')).to.equal(false);
  });

  it('answers 100 concurrent lookups with the fresh data', async () => {
    const live = new LiveSnapshots(w.orm);
    const b = await live.byContext('live_b');
    await w.services.objects.create(SYSTEM, b!.snap.pbx.id, 'holidays', { name: 'Fresh', date: '2031-05-05' });
    const all = await Promise.all(Array.from({ length: 100 }, () => live.byDomain('live-b.dialtone.test')));
    expect(all.every((e) => e?.snap.holidays.some((h) => h.name === 'Fresh'))).to.equal(true);
  });
});
