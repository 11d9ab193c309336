// Paged reads: every object once in id order, employees still see only their own, another PBX's id is "does not exist".
import { expect } from 'chai';
import { PortalUserSchema } from '../../src/domain/model';
import { type Actor, actorFor, SYSTEM } from '../../src/services/actor';
import { KINDS } from '../../src/services/kinds';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, openFixture, validInput } from './fixture';
import { expectForbidden, expectNotFound } from './support';

forEachEngine('paged object reads', (engine) => {
  let fx: Fixture;
  let admin: Actor;
  let emp: Actor;
  const A = () => fx.a.pbx.id;

  before(async () => {
    fx = await openFixture(engine);
    for (let i = 0; i < 7; i++) await create(fx, 'holidays', await validInput('holidays', fx));
    const em = () => fx.s.orm.em.fork();
    const a = await fx.s.users.create(SYSTEM, A(), {
      username: 'pg-admin@a.test',
      password: 'correct horse battery',
      type: 'admin',
    });
    admin = actorFor(await em().findOneOrFail(PortalUserSchema, { id: a.id }));
    const e = await fx.s.users.create(SYSTEM, A(), {
      username: 'pg-emp@a.test',
      password: 'correct horse battery',
      type: 'employee',
      extensionId: fx.a.ext['202'].id,
    });
    emp = actorFor(await em().findOneOrFail(PortalUserSchema, { id: e.id }));
  });
  after(async () => fx?.w.close());

  it('walks every object of a kind once, in id order, page by page', async () => {
    const all = await fx.s.objects.list(admin, A(), 'holidays');
    const seen: unknown[] = [];
    let after: number | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page = await fx.s.pages.list(admin, A(), 'holidays', { limit: 3, after });
      expect(page.items.length).to.be.at.most(3);
      seen.push(...page.items);
      if (!page.nextCursor) break;
      after = Number(page.nextCursor);
    }
    expect(seen).to.deep.equal(all);
  });

  it('gives what the snapshot read gives, without hidden fields, for every kind', async () => {
    for (const kind of KINDS) {
      const full = await fx.s.objects.list(admin, A(), kind.name).catch(() => null);
      if (full === null) continue;
      const page = await fx.s.pages.list(admin, A(), kind.name, { limit: 500, after: null });
      expect(page.items, kind.name).to.deep.equal(full);
      for (const item of page.items) for (const h of kind.hidden ?? []) expect(item).to.not.have.property(h);
    }
  });

  it('all(): every object of every kind, exactly as the snapshot read lists it (the CLI list), also for an employee', async () => {
    for (const kind of KINDS) {
      const full = await fx.s.objects.list(admin, A(), kind.name).catch(() => null);
      if (full === null) continue;
      expect(await fx.s.pages.all(admin, A(), kind.name), kind.name).to.deep.equal(full);
      expect(await fx.s.pages.all(SYSTEM, A(), kind.name), kind.name).to.deep.equal(full);
    }
    expect(await fx.s.pages.all(emp, A(), 'extensions')).to.deep.equal(await fx.s.objects.list(emp, A(), 'extensions'));
    await expectForbidden(fx.s.pages.all(emp, A(), 'numbers'));
  });

  it('employees: their own object only, and another PBX or employee’s id is "does not exist"', async () => {
    const own = fx.a.ext['202'];
    const page = await fx.s.pages.list(emp, A(), 'extensions', { limit: 100, after: null });
    expect(page.items.map((e) => e.id)).to.deep.equal([own.id]);
    expect(page.items[0]).to.not.have.property('sipPassword');
    expect((await fx.s.pages.list(emp, A(), 'extensions', { limit: 100, after: own.id })).items).to.deep.equal([]);
    expect((await fx.s.pages.get(emp, A(), 'extensions', own.id)).id).to.equal(own.id);
    await expectNotFound(fx.s.pages.get(emp, A(), 'extensions', fx.a.ext['201'].id));
    await expectForbidden(fx.s.pages.list(emp, A(), 'trunks', { limit: 10, after: null }));
  });

  it('another PBX’s object by id is NotFound, like a missing one; another PBX’s list is refused', async () => {
    await expectNotFound(fx.s.pages.get(admin, A(), 'extensions', fx.b.ext['201'].id));
    await expectNotFound(fx.s.pages.get(admin, A(), 'extensions', 99999999));
    await expectNotFound(fx.s.pages.get(admin, A(), 'no-such-kind', 1));
    await expectForbidden(fx.s.pages.list(admin, fx.b.pbx.id, 'extensions', { limit: 10, after: null }));
  });
});
