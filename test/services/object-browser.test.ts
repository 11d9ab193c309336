// ObjectBrowser: paged and single-object reads for screens, with the same tenant and role rules as ObjectService.
import { expect } from 'chai';
import { PortalUserSchema } from '../../src/domain/model';
import { actorFor, SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';
import { expectForbidden, expectNotFound } from './support';

forEachEngine('object browser', (engine) => {
  let w: TestWorld;
  let acme: Awaited<ReturnType<typeof makePbx>>;
  let other: Awaited<ReturnType<typeof makePbx>>;
  before(async () => {
    w = await openWorld(engine);
    acme = await makePbx(w.services, 'acme');
    other = await makePbx(w.services, 'other');
    await w.services.objects.update(SYSTEM, acme.pbx.id, 'extensions', acme.ext['202'].id, { name: 'Bravo Smith' });
  });
  after(async () => w?.close());

  const employee = async () => {
    const u = await w.services.users.create(SYSTEM, acme.pbx.id, {
      username: `e${Math.random().toString(36).slice(2, 8)}@acme.test`,
      password: 'long enough pw',
      type: 'employee',
      extensionId: acme.ext['201'].id,
    });
    return actorFor((await w.orm.em.fork().findOneOrFail(PortalUserSchema, { id: u.id })) as never);
  };

  it('pages one kind with a case-insensitive search on number and name', async () => {
    const all = await w.services.browse.page(SYSTEM, acme.pbx.id, 'extensions', {});
    expect(all.total).to.equal(2);
    expect(all.rows.map((r) => r.number)).to.deep.equal(['201', '202']);
    expect(all.rows[0]).to.not.have.property('sipPassword');
    const hit = await w.services.browse.page(SYSTEM, acme.pbx.id, 'extensions', { q: 'bravo' });
    expect(hit.rows.map((r) => r.number)).to.deep.equal(['202']);
    expect((await w.services.browse.page(SYSTEM, acme.pbx.id, 'extensions', { q: '%' })).total).to.equal(2);
  });

  it("answers another tenant's and another employee's objects as missing", async () => {
    const emp = await employee();
    await expectNotFound(w.services.browse.get(emp, acme.pbx.id, 'extensions', acme.ext['202'].id));
    await expectNotFound(w.services.browse.get(SYSTEM, acme.pbx.id, 'extensions', other.ext['201'].id));
    expect((await w.services.browse.get(emp, acme.pbx.id, 'extensions', acme.ext['201'].id)).number).to.equal('201');
    expect((await w.services.browse.page(emp, acme.pbx.id, 'extensions', {})).rows.map((r) => r.number)).to.deep.equal([
      '201',
    ]);
    await expectForbidden(w.services.browse.page(emp, other.pbx.id, 'extensions', {}));
  });

  it('gives picker targets as labels, never listing extensions or mailboxes to an employee', async () => {
    const t = await w.services.browse.targets(SYSTEM, acme.pbx.id, 'extension');
    expect(t.items?.map((i) => i.label)).to.deep.equal(['201 - Person 201', '202 - Bravo Smith']);
    const emp = await employee();
    expect((await w.services.browse.targets(emp, acme.pbx.id, 'extension')).items).to.equal(null);
    expect(await w.services.browse.idByNumber(emp, acme.pbx.id, 'extension', '202')).to.equal(acme.ext['202'].id);
    expect(await w.services.browse.idByNumber(emp, other.pbx.id, 'extension', '202')).to.equal(null);
    expect(
      (await w.services.browse.labels(SYSTEM, acme.pbx.id, [{ kind: 'extension', id: other.ext['201'].id }])).size,
    ).to.equal(0);
  });

  it('keeps target lists and list counts per PBX revision: a change anywhere in the PBX is seen by the next read', async () => {
    const b = w.services.browse;
    const before = await b.targetCatalog(SYSTEM, acme.pbx.id, ['extension', 'queue']);
    const again = await b.targetCatalog(SYSTEM, acme.pbx.id, ['extension', 'queue']);
    expect(again.get('extension'), 'unchanged PBX: the same list object').to.equal(before.get('extension'));
    expect((await b.page(SYSTEM, acme.pbx.id, 'extensions', {})).total).to.equal(2);
    const created = await w.services.objects.create(
      SYSTEM,
      acme.pbx.id,
      'extensions',
      { number: '299', name: 'Cached Carol', e911LocationId: acme.locationId },
      { sipPassword: 'CachedCarol12345' },
    );
    const after = await b.targetCatalog(SYSTEM, acme.pbx.id, ['extension', 'queue']);
    expect(after.get('extension')?.items?.map((i) => i.label)).to.include('299 - Cached Carol');
    expect((await b.page(SYSTEM, acme.pbx.id, 'extensions', {})).total).to.equal(3);
    expect((await b.page(SYSTEM, acme.pbx.id, 'extensions', { q: 'carol' })).total).to.equal(1);
    // Another PBX's change does not touch this one's lists; a rename shows at once too.
    await w.services.objects.update(SYSTEM, acme.pbx.id, 'extensions', created.id as number, { name: 'Renamed Carol' });
    expect((await b.targets(SYSTEM, acme.pbx.id, 'extension')).items?.map((i) => i.label)).to.include(
      '299 - Renamed Carol',
    );
    await w.services.objects.delete(SYSTEM, acme.pbx.id, 'extensions', created.id as number);
    expect((await b.page(SYSTEM, acme.pbx.id, 'extensions', {})).total).to.equal(2);
    expect((await b.page(SYSTEM, acme.pbx.id, 'extensions', { q: 'carol' })).total).to.equal(0);
    expect((await b.targets(SYSTEM, acme.pbx.id, 'extension')).items).to.have.length(2);
  });
});
