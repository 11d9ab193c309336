// pbx.revision moves with every committed change inside the PBX, on both engines, whatever service made it.
import { expect } from 'chai';
import { PbxSchema } from '../../src/domain/model';
import { SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';

forEachEngine('pbx revision', (engine) => {
  let w: TestWorld;
  before(async () => {
    w = await openWorld(engine);
  });
  after(async () => w?.close());

  const revision = async (id: number) => (await w.orm.em.fork().findOneOrFail(PbxSchema, { id })).revision;

  it('increases on create, update and delete of objects, and on PBX settings; other PBXs keep theirs', async () => {
    const a = await makePbx(w.services, 'rev_a');
    const b = await makePbx(w.services, 'rev_b');
    const ra = await revision(a.pbx.id);
    const rb = await revision(b.pbx.id);
    const h = await w.services.objects.create(SYSTEM, a.pbx.id, 'holidays', { name: 'X', date: '2030-01-02' });
    const r1 = await revision(a.pbx.id);
    expect(r1).to.be.greaterThan(ra);
    await w.services.objects.update(SYSTEM, a.pbx.id, 'holidays', h.id as number, { name: 'Y' });
    const r2 = await revision(a.pbx.id);
    expect(r2).to.be.greaterThan(r1);
    await w.services.objects.delete(SYSTEM, a.pbx.id, 'holidays', h.id as number);
    const r3 = await revision(a.pbx.id);
    expect(r3).to.be.greaterThan(r2);
    await w.services.pbx.update(SYSTEM, a.pbx.id, { parkingTimeout: 300 });
    expect(await revision(a.pbx.id)).to.be.greaterThan(r3);
    expect(await revision(b.pbx.id)).to.equal(rb);
  });

  it('does not move when a refused change saves nothing', async () => {
    const a = await makePbx(w.services, 'rev_c');
    const r = await revision(a.pbx.id);
    await w.services.objects.create(SYSTEM, a.pbx.id, 'holidays', { name: '${x}', date: 'nope' }).catch(() => null);
    expect(await revision(a.pbx.id)).to.equal(r);
  });
});
