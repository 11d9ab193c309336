// Portal sessions on SQLite and PostgreSQL: resolve() reads the session, its user and the PBX in one query and hands
// back the same typed values a findOne would (dates, booleans, JSON permissions); expiry, idle time, a disabled user
// and a deleted session all end it; lastSeenAt is written at most once per touch interval.
import { expect } from 'chai';
import { PortalSessionSchema, PortalUserSchema } from '../../src/domain/model';
import { SYSTEM } from '../../src/services/actor';
import { sha256Hex } from '../../src/services/secrets';
import { SESSION_POLICY, SessionService } from '../../src/services/sessions';
import { forEachEngine } from '../helpers/databases';
import { type Fixture, openFixture } from './fixture';

forEachEngine('portal sessions', (engine) => {
  let fx: Fixture;
  let userId: number;
  let clock = Date.now();
  let sessions: SessionService;

  before(async () => {
    fx = await openFixture(engine);
    const u = await fx.s.users.create(SYSTEM, fx.a.pbx.id, {
      username: 'sess-emp@a.test',
      password: 'correct horse battery',
      type: 'employee',
      extensionId: fx.a.ext['201'].id,
      firstName: 'Zoë',
      lastName: "O'Brien & Co",
    });
    userId = u.id;
    sessions = new SessionService(fx.s.orm, SESSION_POLICY, () => clock);
  });
  after(async () => fx?.w.close());

  it('resolves a token to the session, the user and the PBX with their real types', async () => {
    const started = await sessions.start(userId, true);
    const active = await sessions.resolve(started.token);
    expect(active).to.not.equal(null);
    const { session, user, pbx } = active as NonNullable<typeof active>;
    expect(session.csrfToken).to.equal(started.csrfToken);
    expect(session.remember).to.equal(true);
    expect(session.expiresAt).to.be.instanceOf(Date);
    expect(session.expiresAt.getTime()).to.equal(started.expiresAt.getTime());
    const found = await fx.s.orm.em.fork().findOneOrFail(PortalUserSchema, { id: userId });
    expect(user.id).to.equal(userId);
    expect(user.permissions).to.deep.equal(found.permissions).and.to.be.an('array');
    expect(user).to.include({
      username: 'sess-emp@a.test',
      type: 'employee',
      firstName: 'Zoë',
      lastName: "O'Brien & Co",
    });
    expect(user.extensionId).to.equal(fx.a.ext['201'].id);
    expect(user.disabledAt ?? null).to.equal(null);
    expect(user.createdAt).to.be.instanceOf(Date);
    expect(pbx).to.deep.equal({
      id: fx.a.pbx.id,
      name: fx.a.pbx.name,
      context: fx.a.pbx.context,
      domain: fx.a.pbx.domain,
    });
  });

  it('answers null for unknown and malformed tokens', async () => {
    expect(await sessions.resolve('A'.repeat(43))).to.equal(null);
    expect(await sessions.resolve("x' or 1=1 --")).to.equal(null);
  });

  it('writes lastSeenAt at most once per touch interval, and ends an idle session', async () => {
    const { token } = await sessions.start(userId, false);
    const read = async () =>
      (await fx.s.orm.em.fork().findOneOrFail(PortalSessionSchema, { tokenHash: sha256Hex(token) })).lastSeenAt;
    const first = (await read()).getTime();
    clock += 1000;
    expect(await sessions.resolve(token)).to.not.equal(null);
    expect((await read()).getTime()).to.equal(first);
    clock += SESSION_POLICY.touchEveryMs;
    expect(await sessions.resolve(token)).to.not.equal(null);
    expect((await read()).getTime()).to.equal(clock);
    clock += SESSION_POLICY.idleMs + 1;
    expect(await sessions.resolve(token)).to.equal(null);
    expect(await fx.s.orm.em.fork().findOne(PortalSessionSchema, { tokenHash: sha256Hex(token) })).to.equal(null);
  });

  it('ends the sessions of a disabled user', async () => {
    const { token } = await sessions.start(userId, false);
    const em = fx.s.orm.em.fork();
    const u = await em.findOneOrFail(PortalUserSchema, { id: userId });
    u.disabledAt = new Date(clock);
    await em.flush();
    expect(await sessions.resolve(token)).to.equal(null);
    expect(await fx.s.orm.em.fork().findOne(PortalSessionSchema, { tokenHash: sha256Hex(token) })).to.equal(null);
  });
});
