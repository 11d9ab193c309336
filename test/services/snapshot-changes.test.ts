// The change log behind pbx.revision (revision-subscriber.ts) and the snapshots patched from it (readChangesSince):
// after any change a patched snapshot equals a full read, indexes whose lists did not change are handed over, and
// whenever the log cannot say what changed (a revision without rows, a bulk change, a pruned range) the reader is told
// to read the whole PBX. On both engines.
import { expect } from 'chai';
import { ExtensionSchema, HolidaySchema } from '../../src/domain/model';
import type { PbxSnapshot } from '../../src/domain/snapshot';
import { directoryUsers } from '../../src/freeswitch/generator/dialplan/identity';
import { bumpRevision } from '../../src/revision-subscriber';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { standaloneDeviceService } from '../../src/services/device-setup';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { readChangesSince, readSnapshots } from '../../src/services/snapshot-reader';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

forEachEngine('snapshots patched from the change log', (engine) => {
  let w: TestWorld;
  let pbxId: number;
  before(async () => {
    w = await openWorld(engine);
    await seedDemo(w.services, 'patched');
    pbxId = (await w.services.pbx.byContext('patched')).id;
  });
  after(async () => w?.close());

  const full = async (): Promise<PbxSnapshot> => (await readSnapshots(w.orm.em.fork(), { ids: [pbxId] }))[0];
  /** Patched up to the revision the pbx table shows now, as LiveSnapshots does after its revision check. */
  const patch = async (old: PbxSnapshot) => {
    const [row] = await w.orm.em.getConnection().execute('select revision from pbx where id = ?', [pbxId]);
    return readChangesSince(w.orm.em.fork(), old, Number(row.revision));
  };

  it('equals a full read after creates, updates, deletes, settings, listen live and native device updates', async () => {
    const o = w.services.objects;
    let snap = await full();
    const ext = snap.extensions[0];
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['create', () => o.create(SYSTEM, pbxId, 'holidays', { name: 'Founders', date: '2031-03-04' })],
      ['update', () => o.update(SYSTEM, pbxId, 'extensions', ext.id, { name: 'Patched Name' })],
      ['delete', async () => o.delete(SYSTEM, pbxId, 'holidays', snap.holidays.at(-1)!.id)],
      ['settings', () => w.services.pbx.update(SYSTEM, pbxId, { parkingTimeout: 240 })],
      ['listen live', () => w.services.pbx.setListenLive(SYSTEM, pbxId, { mode: 'off' })],
    ];
    const devices = standaloneDeviceService(w.orm, 'http://127.0.0.1');
    await devices.add(SYSTEM, pbxId, {
      mac: '0004f2aabb01',
      profileId: 'polycom-vvx450',
      label: null,
      extensionIds: [ext.id],
      lineKeys: [],
    });
    steps.push(['native device update', () => devices.rotateAppToken(SYSTEM, '0004f2aabb01')]);
    snap = await full();
    for (const [what, step] of steps) {
      await step();
      const patched = await patch(snap);
      expect(patched, `${what}: the log names the change`).to.not.equal(null);
      const now = await full();
      expect(patched, what).to.deep.equal(now);
      snap = patched!;
    }
    // Several revisions at once (the object service's write lock moves the revision too: logged as "lock").
    const before = await full();
    await o.update(SYSTEM, pbxId, 'extensions', ext.id, { name: 'Again' });
    await o.create(SYSTEM, pbxId, 'holidays', { name: 'Second', date: '2031-05-06' });
    expect(await patch(before)).to.deep.equal(await full());
  });

  it('hands over indexes of unchanged lists, and rebuilds those whose list changed', async () => {
    const before = await full();
    const users = directoryUsers(before);
    await w.services.objects.create(SYSTEM, pbxId, 'holidays', { name: 'Kept', date: '2032-01-02' });
    const routing = (await patch(before))!;
    expect(directoryUsers(routing), 'a holiday does not touch directory users').to.equal(users);
    await w.services.objects.update(SYSTEM, pbxId, 'extensions', before.extensions[0].id, { name: 'Other Name' });
    const renamed = (await patch(routing))!;
    expect(directoryUsers(renamed)).to.not.equal(users);
    expect(directoryUsers(renamed)).to.deep.equal(directoryUsers(await full()));
  });

  it('reads the whole PBX again now and then, so a row edited by hand (in no log) shows within ten minutes', async () => {
    const live = new LiveSnapshots(w.orm);
    const ext = (await live.byId(pbxId))!.snap.extensions[0];
    await w.orm.em.fork().nativeUpdate(ExtensionSchema, { id: ext.id }, { name: 'Edited By Hand' });
    await w.services.objects.create(SYSTEM, pbxId, 'holidays', { name: 'Logged', date: '2033-01-02' });
    const name = async () => (await live.byId(pbxId))!.snap.extensions.find((e) => e.id === ext.id)!.name;
    expect(await name(), 'patched from the log').to.not.equal('Edited By Hand');
    const realNow = Date.now;
    Date.now = () => realNow() + 11 * 60_000;
    try {
      await w.services.objects.create(SYSTEM, pbxId, 'holidays', { name: 'Later', date: '2033-01-03' });
      expect(await name(), 'read whole').to.equal('Edited By Hand');
    } finally {
      Date.now = realNow;
    }
  });

  it('says "read it all" for a revision the log has no rows for, a bulk change, and a pruned range', async () => {
    const conn = w.orm.em.getConnection();
    let snap = await full();
    await conn.execute('update pbx set revision = revision + 1 where id = ?', [pbxId]);
    expect(await patch(snap), 'a revision moved by hand').to.equal(null);

    snap = await full();
    const em = w.orm.em.fork();
    for (let i = 0; i < 201; i++)
      em.create(HolidaySchema, {
        pbxId,
        name: `Bulk ${i}`,
        date: new Date(Date.UTC(2040, 0, 1 + i)).toISOString().slice(0, 10),
      } as never);
    await em.flush();
    expect(await patch(snap), 'more rows than are logged one by one').to.equal(null);

    snap = await full();
    const ids = snap.holidays.slice(0, 200).map((h): ['Holiday', number] => ['Holiday', h.id]);
    for (let i = 0; i < 6; i++) await bumpRevision(conn, undefined, pbxId, ids);
    expect(await patch(snap), 'more rows than one catch-up re-reads (bound parameters)').to.equal(null);

    snap = await full();
    for (let i = 0; i < 1001; i++) await bumpRevision(conn, undefined, pbxId, [['lock', 0]]);
    expect(await patch(snap), 'more revisions behind than are kept').to.equal(null);
    const kept = (await conn.execute('select count(*) as n from pbx_change where pbx_id = ?', [pbxId]))[0].n;
    expect(Number(kept)).to.be.at.most(1001);
  });
});
