// Tenant isolation: an administrator of PBX B never sees, reads, changes or deletes anything of PBX A, and gets the
// same answer whether the object exists or not; references across PBXs are refused.
import { expect } from 'chai';
import { ForbiddenError, NotFoundError } from '../../src/domain/errors';
import { type Actor, actorFor, SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, openFixture, validInput } from './fixture';
import { expectForbidden, expectInvalid, expectUnchanged, rejection } from './support';

const KINDS = [
  'extensions',
  'mailboxes',
  'numbers',
  'e911',
  'attendants',
  'time-frames',
  'holidays',
  'groups',
  'conferences',
  'conference-hubs',
  'queues',
  'hold-music',
  'call-blocks',
  'trunks',
];

forEachEngine('tenant isolation', (engine) => {
  let fx: Fixture;
  let adminB: Actor;
  /** One object of each kind in A. */
  const inA: Record<string, number> = {};
  before(async () => {
    fx = await openFixture(engine);
    for (const kind of KINDS) inA[kind] = (await create(fx, kind, await validInput(kind, fx))).id as number;
    await fx.s.users.create(SYSTEM, fx.b.pbx.id, {
      username: 'admin@b.test',
      password: 'b admin password',
      type: 'admin',
    });
    const user = await fx.s.users.authenticate('admin@b.test', 'b admin password');
    adminB = actorFor(user!);
  });
  after(async () => fx?.w.close());

  const A = () => fx.a.pbx.id;
  const B = () => fx.b.pbx.id;

  /** The error's class and message with ids blanked: what a caller could learn from it. */
  const shape = (err: Error) => `${err.name}: ${err.message.replace(/\d+/g, 'N')}`;

  for (const kind of KINDS) {
    it(`${kind}: invisible to B's admin, and the same answer for "exists in A" and "does not exist"`, async () => {
      const o = fx.s.objects;
      const id = inA[kind];
      const missing = 999999;
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        // Listing B never shows A's rows.
        const listed = await o.list(adminB, B(), kind);
        expect(listed.every((r) => r.pbxId === B())).to.equal(true);
        expect(listed.some((r) => r.id === id)).to.equal(false);
        // Naming PBX A: refused before anything is looked up.
        for (const target of [id, missing]) {
          expect(await rejection(o.list(adminB, A(), kind))).to.be.instanceOf(ForbiddenError);
          expect(await rejection(o.get(adminB, A(), kind, target))).to.be.instanceOf(ForbiddenError);
          expect(await rejection(o.update(adminB, A(), kind, target, { name: 'x' }))).to.be.instanceOf(ForbiddenError);
          expect(await rejection(o.delete(adminB, A(), kind, target))).to.be.instanceOf(ForbiddenError);
          expect(await rejection(o.create(adminB, A(), kind, {}))).to.be.instanceOf(ForbiddenError);
        }
        // Naming PBX B with A's id: exactly what a missing id gets.
        for (const call of [
          (t: number) => o.get(adminB, B(), kind, t),
          (t: number) => o.update(adminB, B(), kind, t, { name: 'x' }),
          (t: number) => o.delete(adminB, B(), kind, t),
        ]) {
          const existing = await rejection(call(id));
          const absent = await rejection(call(missing));
          expect(existing).to.be.instanceOf(NotFoundError);
          expect(shape(existing)).to.equal(shape(absent));
        }
      });
    });
  }

  it('the PBX itself, its settings and its users are out of reach', async () => {
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      expect((await fx.s.pbx.list(adminB)).map((p) => p.id)).to.deep.equal([B()]);
      await expectForbidden(fx.s.pbx.get(adminB, A()));
      await expectForbidden(fx.s.pbx.update(adminB, A(), { name: 'Taken over' }));
      await expectForbidden(fx.s.pbx.getListenLive(adminB, A()));
      await expectForbidden(fx.s.pbx.setListenLive(adminB, A(), { mode: 'both', password: '123' }));
      await expectForbidden(fx.s.users.list(adminB, A()));
      await expectForbidden(
        fx.s.users.create(adminB, A(), { username: 'x@a.test', password: 'long password 1', type: 'admin' }),
      );
      await expectForbidden(fx.s.users.delete(adminB, A(), 1));
    });
  });

  it("a user of A cannot be deleted through B's id space", async () => {
    const userA = await fx.s.users.create(SYSTEM, A(), {
      username: 'keep@a.test',
      password: 'a user password',
      type: 'admin',
    });
    const err = await rejection(fx.s.users.delete(adminB, B(), userA.id));
    expect(err).to.be.instanceOf(NotFoundError);
    expect((await fx.s.users.list(SYSTEM, A())).some((u) => u.id === userA.id)).to.equal(true);
  });

  it("references from B to A's objects are refused everywhere they can be typed", async () => {
    const o = fx.s.objects;
    const extA = fx.a.ext['201'].id;
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      await expectInvalid(o.create(adminB, B(), 'groups', { name: 'G', memberIds: [extA] }), 'memberIds');
      await expectInvalid(o.create(adminB, B(), 'queues', { name: 'Q', number: '650', agentIds: [extA] }), 'agentIds');
      await expectInvalid(
        o.update(adminB, B(), 'extensions', fx.b.ext['201'].id, { e911LocationId: fx.a.locationId }),
        'e911LocationId',
      );
      await expectInvalid(
        o.update(adminB, B(), 'extensions', fx.b.ext['201'].id, { mailboxId: fx.a.ext['201'].mailboxId }),
        'mailboxId',
      );
      await expectInvalid(
        o.update(adminB, B(), 'numbers', fx.b.numberId, { holdMusicGroupId: fx.ids.music }),
        'holdMusicGroupId',
      );
      await expectInvalid(
        o.update(adminB, B(), 'numbers', fx.b.numberId, { routeTo: `queue:${fx.ids.queue}` }),
        'routeTo',
      );
      await expectInvalid(
        o.create(adminB, B(), 'e911', {
          name: 'X',
          street: '1 A St',
          city: 'X',
          state: 'IL',
          zip: '60601',
          callbackNumberId: fx.a.numberId,
          termsAccepted: true,
        }),
        'callbackNumberId',
      );
      await expectInvalid(fx.s.pbx.setListenLive(adminB, B(), { listenerIds: [extA] }), 'listenerIds');
      await expectInvalid(
        fx.s.users.create(adminB, B(), {
          username: 'e@b.test',
          password: 'employee pass',
          type: 'employee',
          extensionId: extA,
        }),
        'extensionId',
      );
    });
  });
});
