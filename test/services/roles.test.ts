// Roles and users: an employee sees and changes only the personal settings of their own extension and mailbox;
// module permissions bind administrators; only the operator creates PBXs; portal users and their passwords.
import { expect } from 'chai';
import { PortalUserSchema } from '../../src/domain/model';
import { EMPLOYEE_MODULES, MODULES } from '../../src/domain/rules/device-user-rules';
import { type Actor, actorFor, SYSTEM } from '../../src/services/actor';
import { FS_VAR } from '../domain/hostile-values';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, openFixture, validInput } from './fixture';
import { expectForbidden, expectInvalid, expectNotFound, expectUnchanged } from './support';

type Input = Record<string, unknown>;

forEachEngine('roles and users', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  const A = () => fx.a.pbx.id;

  /** Creates a portal user as the operator and returns its actor, as the portal would after login. */
  async function login(input: Input): Promise<Actor> {
    const password = 'correct horse battery';
    await fx.s.users.create(SYSTEM, A(), { password, ...input });
    const user = await fx.s.users.authenticate(input.username as string, password);
    expect(user, 'login works').to.not.equal(null);
    return actorFor(user!);
  }

  describe('employee', () => {
    let emp: Actor;
    let own: { id: number; mailboxId: number };
    let other: { id: number; mailboxId: number };
    before(async () => {
      own = fx.a.ext['201'];
      other = fx.a.ext['202'];
      emp = await login({ username: 'Emp@Acme.test', type: 'employee', extensionId: own.id });
    });

    it('gets the employee modules only', () => {
      expect(emp.kind === 'user' && emp.permissions).to.deep.equal([...EMPLOYEE_MODULES]);
    });

    it('sees only their own extension and mailbox', async () => {
      expect((await fx.s.objects.list(emp, A(), 'extensions')).map((e) => e.id)).to.deep.equal([own.id]);
      expect((await fx.s.objects.list(emp, A(), 'mailboxes')).map((m) => m.id)).to.deep.equal([own.mailboxId]);
      expect((await fx.s.objects.get(emp, A(), 'extensions', own.id)).id).to.equal(own.id);
      expect((await fx.s.objects.get(emp, A(), 'mailboxes', own.mailboxId)).id).to.equal(own.mailboxId);
      await expectNotFound(fx.s.objects.get(emp, A(), 'extensions', other.id));
      await expectNotFound(fx.s.objects.get(emp, A(), 'mailboxes', other.mailboxId));
    });

    it('changes the personal settings of their extension and mailbox', async () => {
      const ext = await fx.s.objects.update(emp, A(), 'extensions', own.id, {
        name: 'Zoë Ñandú',
        secondsToRing: 30,
        routing: { tryFirst: 'phone', ifNotAnswered: 'outside_number:3125550123' },
        findMe: { locations: [{ type: 'outside_number', number: '3125550123' }], ringSeconds: 15 },
        disableCallWaiting: true,
        dialHashToTransfer: 'yes',
      });
      expect(ext).to.deep.include({ name: 'Zoë Ñandú', secondsToRing: 30, disableCallWaiting: true });
      const box = await fx.s.objects.update(emp, A(), 'mailboxes', own.mailboxId, {
        password: '8642',
        passwordConfirm: '8642',
        email: 'zoe@acme.test',
        retentionDays: 30,
        hideFromDirectory: true,
      });
      expect(box).to.deep.include({ email: 'zoe@acme.test', retentionDays: 30, hideFromDirectory: true });
      expect(box).to.not.have.property('password');
    });

    it('gets field errors like anyone else on personal fields', async () => {
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        await expectInvalid(fx.s.objects.update(emp, A(), 'extensions', own.id, { name: FS_VAR }), 'name');
        await expectInvalid(fx.s.objects.update(emp, A(), 'mailboxes', own.mailboxId, { password: '201' }), 'password');
        await expectInvalid(
          fx.s.objects.update(emp, A(), 'mailboxes', own.mailboxId, { retentionDays: 181 }),
          'retentionDays',
        );
      });
    });

    it('cannot change the number, E911 location, mailbox link or message-waiting list, nor mailbox number', async () => {
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        for (const patch of [
          { number: '299' },
          { e911LocationId: fx.a.locationId },
          { mailboxId: other.mailboxId },
          { outgoingCallerIdNumberId: fx.a.numberId },
          { mwiMailboxes: ['202'] },
          { disallowDialByExtension: true },
          { name: 'ok', number: '299' },
        ])
          await expectForbidden(
            fx.s.objects.update(emp, A(), 'extensions', own.id, patch),
            /an employee cannot change/,
          );
        await expectForbidden(fx.s.objects.update(emp, A(), 'mailboxes', own.mailboxId, { number: '299' }));
      });
    });

    it('cannot touch other extensions or mailboxes (they do not exist for them)', async () => {
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        await expectNotFound(fx.s.objects.update(emp, A(), 'extensions', other.id, { name: 'Hijacked' }));
        await expectNotFound(fx.s.objects.update(emp, A(), 'mailboxes', other.mailboxId, { password: '9999' }));
      });
    });

    it('cannot create or delete anything', async () => {
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        await expectForbidden(fx.s.objects.create(emp, A(), 'extensions', await validInput('extensions', fx)));
        await expectForbidden(fx.s.objects.create(emp, A(), 'mailboxes', await validInput('mailboxes', fx)));
        await expectForbidden(fx.s.objects.delete(emp, A(), 'extensions', own.id));
        await expectForbidden(fx.s.objects.delete(emp, A(), 'mailboxes', own.mailboxId));
      });
    });

    it('cannot open any other module: routing, numbers, users, PBX info, listen live', async () => {
      for (const kind of ['numbers', 'groups', 'attendants', 'time-frames', 'queues', 'e911', 'trunks'])
        await expectForbidden(fx.s.objects.list(emp, A(), kind), /no permission/);
      await expectForbidden(fx.s.users.list(emp, A()));
      await expectForbidden(
        fx.s.users.create(emp, A(), { username: 'x@acme.test', password: 'long password', type: 'admin' }),
      );
      await expectForbidden(fx.s.pbx.get(emp, A()));
      await expectForbidden(fx.s.pbx.update(emp, A(), { name: 'Mine now' }));
      await expectForbidden(fx.s.pbx.getListenLive(emp, A()));
    });

    it('an employee with no mailbox sees no mailbox', async () => {
      const bare = await create(fx, 'extensions', await validInput('extensions', fx));
      const e2 = await login({ username: 'bare@acme.test', type: 'employee', extensionId: bare.id });
      expect(await fx.s.objects.list(e2, A(), 'mailboxes')).to.deep.equal([]);
    });

    it('can never be given administrator modules', async () => {
      await expectInvalid(
        fx.s.users.create(SYSTEM, A(), {
          username: 'emp2@acme.test',
          password: 'long password',
          type: 'employee',
          extensionId: own.id,
          permissions: ['extensions', 'groups', 'users'],
        }),
        'permissions',
        /not available to employee: groups, users/,
      );
      await expectInvalid(
        fx.s.users.create(SYSTEM, A(), { username: 'emp3@acme.test', password: 'long password', type: 'employee' }),
        'extensionId',
        /needs their extension/,
      );
    });
  });

  describe('administrator', () => {
    it('module permissions are enforced: no "groups", no groups', async () => {
      const limited = await login({
        username: 'limited@acme.test',
        type: 'admin',
        permissions: MODULES.filter((m) => m !== 'groups'),
      });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        await expectForbidden(fx.s.objects.list(limited, A(), 'groups'), /no permission for groups/);
        await expectForbidden(fx.s.objects.create(limited, A(), 'groups', await validInput('groups', fx)));
        await expectForbidden(fx.s.objects.get(limited, A(), 'groups', fx.ids.queue));
      });
      expect(await fx.s.objects.list(limited, A(), 'queues')).to.have.length.greaterThan(0);
    });

    it('cannot hand out a module they do not have, explicitly or by default', async () => {
      const limited = await login({ username: 'nogroups@acme.test', type: 'admin', permissions: 'users,extensions' });
      await expectInvalid(
        fx.s.users.create(limited, A(), {
          username: 'escalate@acme.test',
          password: 'long password',
          type: 'admin',
          permissions: ['users', 'groups'],
        }),
        'permissions',
        /you do not have: groups/,
      );
      const made = await fx.s.users.create(limited, A(), {
        username: 'default@acme.test',
        password: 'long password',
        type: 'admin',
      });
      expect(made.permissions).to.deep.equal(['extensions', 'users']);
    });

    it('cannot create a PBX (only the operator can)', async () => {
      const admin = await login({ username: 'boss@acme.test', type: 'admin' });
      await expectForbidden(fx.s.pbx.create(admin, { context: 'sneaky', name: 'Sneaky' }), /only the operator/);
      expect((await fx.s.pbx.list(SYSTEM)).map((p) => p.context)).to.not.include('sneaky');
    });

    it('changes PBX features but not what the customer pays for', async () => {
      const admin = await login({ username: 'owner@acme.test', type: 'admin' });
      const pbx = await fx.s.pbx.update(admin, A(), { intercom: false, parkingTimeout: 300, onDemandPaths: 3 });
      expect(pbx).to.deep.include({ intercom: false, parkingTimeout: 300, onDemandPaths: 3 });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        await expectInvalid(
          fx.s.pbx.update(admin, A(), { prepaidPaths: 50 }),
          'prepaidPaths',
          /only be changed by the operator/,
        );
        await expectInvalid(fx.s.pbx.update(admin, A(), { domain: 'evil.test' }), 'domain', /operator/);
      });
      const ctx = (await fx.s.pbx.update(admin, A(), { context: 'renamed' })).context;
      expect(ctx, 'the context never changes').to.equal('pbx_a');
    });

    it('cannot switch on TFTP credential serving (an operator setting: phone passwords without a login)', async () => {
      const admin = await login({ username: 'tftp@acme.test', type: 'admin' });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        for (const value of [true, 'on', 1])
          await expectInvalid(
            fx.s.pbx.update(admin, A(), { tftpCredentials: value }),
            'tftpCredentials',
            /only be changed by the operator.*TFTP/,
          );
      });
      // Saving the PBX Info form as it is (the setting unchanged) is no attempt to change it.
      expect((await fx.s.pbx.update(admin, A(), { tftpCredentials: false, intercom: true })).intercom).to.equal(true);
      expect((await fx.s.pbx.update(SYSTEM, A(), { tftpCredentials: true })).tftpCredentials).to.equal(true);
      await expectInvalid(fx.s.pbx.update(admin, A(), { tftpCredentials: false }), 'tftpCredentials', /operator/);
      expect((await fx.s.pbx.update(admin, A(), { tftpCredentials: 'yes', name: 'Same' })).tftpCredentials).to.equal(
        true,
      );
      await fx.s.pbx.update(SYSTEM, A(), { tftpCredentials: false });
    });

    it('cannot delete their own login', async () => {
      const admin = await login({ username: 'self@acme.test', type: 'admin' });
      await expectForbidden(fx.s.users.delete(admin, A(), (admin as { userId: number }).userId), /your own login/);
    });
  });

  describe('portal users', () => {
    const mk = (input: Input) => fx.s.users.create(SYSTEM, A(), { password: 'long enough!', type: 'admin', ...input });

    it('usernames are unique across all PBXs, ignoring case', async () => {
      await mk({ username: 'Alice@Example.com' });
      await expectInvalid(mk({ username: 'alice@example.com' }), 'username', /already taken/);
      await expectInvalid(
        fx.s.users.create(SYSTEM, fx.b.pbx.id, {
          username: 'ALICE@example.com',
          password: 'long enough!',
          type: 'admin',
        }),
        'username',
        /already taken/,
      );
    });

    it('usernames: 3 to 254 of a-z, 0-9 and . _ % + @ -', async () => {
      for (const bad of ['ab', 'a b', 'a/b', `${'a'.repeat(255)}`, 'zoë@x.test'])
        await expectInvalid(mk({ username: bad }), 'username', /3 to 254/);
    });

    it('passwords of at least 10 characters, stored only as a scrypt hash', async () => {
      await expectInvalid(mk({ username: 'short@x.test', password: '123456789' }), 'password', /10 to 200/);
      const user = await mk({ username: 'ten@x.test', password: '1234567890' });
      expect(user).to.not.have.property('passwordHash');
      expect(user).to.not.have.property('password');
      const row = await fx.s.orm.em.fork().findOneOrFail(PortalUserSchema, { username: 'ten@x.test' });
      expect(row.passwordHash).to.match(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(row.passwordHash).to.not.contain('1234567890');
      const again = await mk({ username: 'ten2@x.test', password: '1234567890' });
      const row2 = await fx.s.orm.em.fork().findOneOrFail(PortalUserSchema, { id: again.id });
      expect(row2.passwordHash, 'salted: same password, different hash').to.not.equal(row.passwordHash);
      for (const u of await fx.s.users.list(SYSTEM, A())) expect(u).to.not.have.property('passwordHash');
    });

    it('authenticate: the user for the right password; the same null for a wrong password and an unknown user', async () => {
      await mk({ username: 'bob@x.test', password: 'bobs password' });
      expect((await fx.s.users.authenticate('bob@x.test', 'bobs password'))?.username).to.equal('bob@x.test');
      expect((await fx.s.users.authenticate('  BOB@x.test ', 'bobs password'))?.username).to.equal('bob@x.test');
      const wrong = await fx.s.users.authenticate('bob@x.test', 'bobs passwore');
      const unknown = await fx.s.users.authenticate('nobody@x.test', 'bobs password');
      expect(wrong).to.equal(null);
      expect(unknown).to.equal(null);
      for (const [u, p] of [
        ['bob@x.test', ''],
        ['', 'bobs password'],
        [42, 'bobs password'],
        ['bob@x.test', ['bobs password']],
        [null, null],
        [{ username: 'bob@x.test' }, 'bobs password'],
      ])
        expect(await fx.s.users.authenticate(u as string, p as string), JSON.stringify([u, p])).to.equal(null);
    });

    it('type and permissions are checked', async () => {
      await expectInvalid(mk({ username: 'root@x.test', type: 'root' }), 'type', /admin, employee/);
      await expectInvalid(mk({ username: 'p@x.test', permissions: ['everything'] }), 'permissions', /not available/);
      const custom = await mk({ username: 'c@x.test', permissions: 'extensions, groups' });
      expect(custom.permissions).to.deep.equal(['extensions', 'groups']);
    });
  });
});
