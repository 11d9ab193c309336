// API tokens: shown once, stored as a hash, act as their user, stop at revoke or when the user goes; actor rules.
import { expect } from 'chai';
import { ApiTokenSchema, PortalUserSchema } from '../../src/domain/model';
import { type Actor, actorFor, SYSTEM } from '../../src/services/actor';
import { LAST_USED_RESOLUTION_MS, MAX_ACTIVE_TOKENS } from '../../src/services/api-tokens';
import { sha256Hex } from '../../src/services/secrets';
import { FS_VAR } from '../domain/hostile-values';
import { forEachEngine } from '../helpers/databases';
import { type Fixture, openFixture } from './fixture';
import { expectForbidden, expectInvalid, expectNotFound } from './support';

forEachEngine('API tokens', (engine) => {
  let fx: Fixture;
  let admin: { id: number; actor: Actor };
  let emp: { id: number; actor: Actor };
  let emp2: { id: number; actor: Actor };
  let adminB: { id: number; actor: Actor };
  const A = () => fx.a.pbx.id;

  async function user(pbxId: number, input: Record<string, unknown>) {
    const u = await fx.s.users.create(SYSTEM, pbxId, { password: 'correct horse battery', ...input });
    const row = await fx.s.orm.em.fork().findOneOrFail(PortalUserSchema, { id: u.id });
    return { id: u.id, actor: actorFor(row) };
  }

  before(async () => {
    fx = await openFixture(engine);
    admin = await user(A(), { username: 'tok-admin@a.test', type: 'admin' });
    emp = await user(A(), { username: 'tok-emp@a.test', type: 'employee', extensionId: fx.a.ext['201'].id });
    emp2 = await user(A(), { username: 'tok-emp2@a.test', type: 'employee', extensionId: fx.a.ext['202'].id });
    adminB = await user(fx.b.pbx.id, { username: 'tok-admin@b.test', type: 'admin' });
  });
  after(async () => fx?.w.close());

  it('creates a dt_ token shown once; only its SHA-256 is stored', async () => {
    const { token, secret } = await fx.s.apiTokens.create(admin.actor, A(), admin.id, { name: 'billing sync' });
    expect(secret).to.match(/^dt_[A-Za-z0-9_-]{43}$/);
    expect(token).to.include({ name: 'billing sync', userId: admin.id, username: 'tok-admin@a.test' });
    expect(token.hint).to.equal(secret.slice(0, 7));
    expect(JSON.stringify(token)).to.not.include(secret.slice(7));
    expect(token).to.not.have.property('tokenHash');
    const row = await fx.s.orm.em.fork().findOneOrFail(ApiTokenSchema, { id: token.id });
    expect(row.tokenHash).to.equal(sha256Hex(secret));
    expect(JSON.stringify(row)).to.not.include(secret);
  });

  it('authenticates as its user, with the user’s current tenant, type and permissions', async () => {
    const { secret } = await fx.s.apiTokens.create(emp.actor, A(), emp.id, {});
    const caller = await fx.s.apiTokens.authenticate(secret);
    expect(caller?.actor).to.deep.equal(emp.actor);
    expect(caller?.user.username).to.equal('tok-emp@a.test');
  });

  it('refuses malformed, unknown and revoked tokens alike (null)', async () => {
    const { token, secret } = await fx.s.apiTokens.create(admin.actor, A(), admin.id, { name: 'to revoke' });
    for (const bad of ['', 'dt_', `${secret}x`, secret.slice(3), `dt_${'A'.repeat(43)}`, FS_VAR, secret.toUpperCase()])
      expect(await fx.s.apiTokens.authenticate(bad), bad).to.equal(null);
    expect(await fx.s.apiTokens.authenticate(secret)).to.not.equal(null);
    const revoked = await fx.s.apiTokens.revoke(admin.actor, A(), token.id);
    expect(revoked.revokedAt).to.be.instanceOf(Date);
    expect(await fx.s.apiTokens.authenticate(secret)).to.equal(null);
  });

  it('stops working when its user is deleted', async () => {
    const temp = await user(A(), { username: 'tok-temp@a.test', type: 'admin' });
    const { secret } = await fx.s.apiTokens.create(temp.actor, A(), temp.id, {});
    expect(await fx.s.apiTokens.authenticate(secret)).to.not.equal(null);
    await fx.s.users.delete(SYSTEM, A(), temp.id);
    expect(await fx.s.apiTokens.authenticate(secret)).to.equal(null);
  });

  it('stops working while its user is disabled, and works again once enabled', async () => {
    const temp = await user(A(), { username: 'tok-off@a.test', type: 'employee', extensionId: fx.a.ext['202'].id });
    const { secret } = await fx.s.apiTokens.create(temp.actor, A(), temp.id, {});
    await fx.s.users.setDisabled(SYSTEM, A(), temp.id, true);
    expect(await fx.s.apiTokens.authenticate(secret)).to.equal(null);
    await fx.s.users.setDisabled(SYSTEM, A(), temp.id, false);
    expect(await fx.s.apiTokens.authenticate(secret)).to.not.equal(null);
  });

  it('records the last use, at most once a minute', async () => {
    const { token, secret } = await fx.s.apiTokens.create(admin.actor, A(), admin.id, { name: 'used' });
    const t0 = new Date('2030-01-01T00:00:00Z');
    await fx.s.apiTokens.authenticate(secret, t0);
    await fx.s.apiTokens.authenticate(secret, new Date(t0.getTime() + 1000));
    const read = async () => (await fx.s.orm.em.fork().findOneOrFail(ApiTokenSchema, { id: token.id })).lastUsedAt;
    expect((await read())?.toISOString()).to.equal(t0.toISOString());
    const later = new Date(t0.getTime() + LAST_USED_RESOLUTION_MS + 1);
    await fx.s.apiTokens.authenticate(secret, later);
    expect((await read())?.toISOString()).to.equal(later.toISOString());
  });

  it('is created only by the user it acts as (or the operator)', async () => {
    await expectForbidden(fx.s.apiTokens.create(admin.actor, A(), emp.id, {}));
    await expectForbidden(fx.s.apiTokens.create(emp.actor, A(), emp2.id, {}));
    await expectForbidden(fx.s.apiTokens.create(adminB.actor, A(), admin.id, {}));
    await expectNotFound(fx.s.apiTokens.create(SYSTEM, fx.b.pbx.id, admin.id, {}));
    const made = await fx.s.apiTokens.create(SYSTEM, A(), emp2.id, { name: 'by the operator' });
    expect(made.token.userId).to.equal(emp2.id);
  });

  it('validates the name', async () => {
    await expectInvalid(fx.s.apiTokens.create(admin.actor, A(), admin.id, { name: FS_VAR }), 'name');
    await expectInvalid(fx.s.apiTokens.create(admin.actor, A(), admin.id, { name: 'x'.repeat(51) }), 'name');
    await expectInvalid(fx.s.apiTokens.create(admin.actor, A(), admin.id, { name: ['x'] }), 'name');
  });

  it('caps the active tokens of one user', async () => {
    const capped = await user(A(), { username: 'tok-many@a.test', type: 'admin' });
    for (let i = 0; i < MAX_ACTIVE_TOKENS; i++) await fx.s.apiTokens.create(capped.actor, A(), capped.id, {});
    await expectInvalid(fx.s.apiTokens.create(capped.actor, A(), capped.id, {}), 'name', /at most/);
    const [first] = await fx.s.apiTokens.list(capped.actor, A(), { userId: capped.id });
    await fx.s.apiTokens.revoke(capped.actor, A(), first.id);
    await fx.s.apiTokens.create(capped.actor, A(), capped.id, {});
  });

  it('lists: a user their own; an administrator every user of the PBX; never another PBX', async () => {
    await fx.s.apiTokens.create(emp2.actor, A(), emp2.id, { name: 'emp2 own' });
    await fx.s.apiTokens.create(adminB.actor, fx.b.pbx.id, adminB.id, { name: 'in B' });
    const own = await fx.s.apiTokens.list(emp2.actor, A(), { userId: emp.id });
    expect(new Set(own.map((t) => t.userId))).to.deep.equal(new Set([emp2.id]));
    const all = await fx.s.apiTokens.list(admin.actor, A());
    expect(new Set(all.map((t) => t.userId))).to.include.members([admin.id, emp.id, emp2.id]);
    expect(all.map((t) => t.name)).to.not.include('in B');
    const one = await fx.s.apiTokens.list(admin.actor, A(), { userId: emp.id });
    expect(new Set(one.map((t) => t.userId))).to.deep.equal(new Set([emp.id]));
    for (const t of all)
      expect(Object.keys(t).sort()).to.deep.equal([
        'createdAt',
        'hint',
        'id',
        'lastUsedAt',
        'name',
        'revokedAt',
        'userId',
        'username',
      ]);
    await expectNotFound(fx.s.apiTokens.list(adminB.actor, A()));
  });

  it('revokes: own or, for an administrator, any of the PBX; others answer "does not exist"', async () => {
    const { token: e1 } = await fx.s.apiTokens.create(emp.actor, A(), emp.id, {});
    const { token: e2 } = await fx.s.apiTokens.create(emp2.actor, A(), emp2.id, {});
    await expectNotFound(fx.s.apiTokens.revoke(emp.actor, A(), e2.id));
    await expectNotFound(fx.s.apiTokens.revoke(adminB.actor, A(), e2.id));
    await expectNotFound(fx.s.apiTokens.revoke(adminB.actor, fx.b.pbx.id, e2.id));
    await expectNotFound(fx.s.apiTokens.revoke(admin.actor, A(), 987654));
    expect((await fx.s.apiTokens.revoke(emp.actor, A(), e1.id)).revokedAt).to.be.instanceOf(Date);
    expect((await fx.s.apiTokens.revoke(admin.actor, A(), e2.id)).revokedAt).to.be.instanceOf(Date);
    const again = await fx.s.apiTokens.revoke(admin.actor, A(), e2.id);
    expect(again.revokedAt).to.be.instanceOf(Date);
  });

  it('revokes every token of a user at once (administrator only)', async () => {
    const { secret } = await fx.s.apiTokens.create(emp.actor, A(), emp.id, {});
    await expectForbidden(fx.s.apiTokens.revokeAllOf(emp2.actor, A(), emp.id));
    await expectForbidden(fx.s.apiTokens.revokeAllOf(adminB.actor, A(), emp.id));
    expect(await fx.s.apiTokens.revokeAllOf(admin.actor, A(), emp.id)).to.be.greaterThan(0);
    expect(await fx.s.apiTokens.authenticate(secret)).to.equal(null);
  });
});
