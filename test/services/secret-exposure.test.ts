// Which secrets each kind of user can read through the service layer: every read path (every kind of the kinds
// table included) walked as an employee, as administrators with and without the modules, and as the operator.
// Secrets are planted with known values and looked for in everything a call returns, so a new field, a nested copy
// or a new read path that carries one is caught by value, not by field name.
import { fileURLToPath } from 'node:url';
import type { EntitySchema } from '@mikro-orm/core';
import { expect } from 'chai';
import { ForbiddenError, NotFoundError } from '../../src/domain/errors';
import * as model from '../../src/domain/model';
import {
  DeviceSchema,
  ListenLiveSchema,
  MailboxSchema,
  PbxSchema,
  PortalUserSchema,
  SipTrunkSchema,
} from '../../src/domain/model';
import { MODULES } from '../../src/domain/rules/device-user-rules';
import { type Actor, actorFor, SYSTEM } from '../../src/services/actor';
import { DeviceService } from '../../src/services/device-service';
import { KINDS } from '../../src/services/kinds';
import { PBX_SECRET_FIELDS } from '../../src/services/pbx-service';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, openFixture } from './fixture';
import { expectForbidden } from './support';

const catalog = loadProfileCatalog(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));

/** Columns whose names say "secret"; each must be one the table below knows how it is kept from people. */
const SECRET_NAME = /password|^pin$|secret|token|ha1$|salt$|hash$/i;
const KNOWN_SECRET_COLUMNS: Record<string, readonly string[]> = {
  Pbx: PBX_SECRET_FIELDS,
  ListenLive: ['password'],
  PortalUser: ['passwordHash'],
  // Sessions are read only by the session service (never by an object read path); the cookie's token is stored hashed.
  PortalSession: ['tokenHash', 'csrfToken'],
  // API tokens are listed by the token service, which never selects the hash (test/services/api-tokens.test.ts).
  ApiToken: ['tokenHash'],
};

type Who = 'employee' | 'admin without modules' | 'admin with devices only' | 'admin' | 'operator';

/** Exactly the secrets each may see, anywhere, through any service call. */
const EXPECTED: Record<Who, string[]> = {
  employee: [],
  'admin without modules': [],
  'admin with devices only': ['extension.sipPassword', 'pbx.phoneAdminPassword'],
  admin: ['conference.password', 'extension.sipPassword', 'listenLive.password', 'pbx.phoneAdminPassword', 'pbx.pin'],
  operator: [
    'conference.password',
    'extension.sipPassword',
    'listenLive.password',
    'pbx.phoneAdminPassword',
    'pbx.pin',
  ],
};

forEachEngine('secrets through service reads', (engine) => {
  let fx: Fixture;
  let devices: DeviceService;
  const secrets = new Map<string, string>();
  const actors = new Map<Who, Actor>();
  const logins: Array<{ username: string; password: string }> = [];
  let mac = '';
  let tokenHash = '';

  const A = () => fx.a.pbx.id;

  async function login(username: string, input: Record<string, unknown>): Promise<Actor> {
    const password = 'correct horse battery';
    await fx.s.users.create(SYSTEM, A(), { username, password, ...input });
    logins.push({ username, password });
    const user = await fx.s.users.authenticate(username, password);
    if (!user) throw new Error(`login ${username} failed`);
    return actorFor(user);
  }

  before(async function () {
    this.timeout(120000); // several PBX objects through the services, on a machine the whole suite shares
    fx = await openFixture(engine);
    devices = new DeviceService(fx.s.orm, catalog);
    const em = fx.s.orm.em.fork();
    const own = fx.a.ext['201'];
    // Distinctive values: nothing else in a PBX's data can contain them by chance.
    await fx.s.pbx.update(SYSTEM, A(), { pin: '90817263', phoneAdminPassword: 'PhoneAdm1nSecret' });
    await fx.s.pbx.setListenLive(SYSTEM, A(), { mode: 'both', password: '7391846' });
    await fx.s.objects.update(SYSTEM, A(), 'mailboxes', own.mailboxId, { password: '97531864' });
    await fx.s.objects.update(SYSTEM, A(), 'mailboxes', fx.a.ext['202'].mailboxId, { password: '86429753' });
    await fx.s.objects.update(SYSTEM, A(), 'conferences', fx.ids.conference, { password: '55443322' });
    await create(fx, 'trunks', {
      name: 'carrier',
      host: 'sip.example.com',
      username: 'acct1',
      password: 'TrunkS3cretValue',
      register: true,
    });
    const added = await devices.add(SYSTEM, A(), {
      mac: '0004f2aabb01',
      profileId: 'polycom-vvx450',
      extensionIds: [own.id],
      lineKeys: [],
    });
    mac = added.device.mac;

    actors.set('employee', await login('emp@secrets.test', { type: 'employee', extensionId: own.id }));
    actors.set('admin without modules', await login('bare@secrets.test', { type: 'admin', permissions: ['activity'] }));
    actors.set(
      'admin with devices only',
      await login('devs@secrets.test', { type: 'admin', permissions: ['devices', 'activity'] }),
    );
    actors.set('admin', await login('admin@secrets.test', { type: 'admin' }));
    actors.set('operator', SYSTEM);

    const pbx = await em.findOneOrFail(PbxSchema, { id: A() });
    secrets.set('pbx.pin', pbx.pin);
    secrets.set('pbx.phoneAdminPassword', pbx.phoneAdminPassword);
    secrets.set('listenLive.password', (await em.findOneOrFail(ListenLiveSchema, { pbxId: A() })).password);
    const snap = await fx.s.snapshot(A());
    for (const [i, e] of snap.extensions.entries()) secrets.set(`extension.sipPassword#${i}`, e.sipPassword);
    for (const [i, m] of (await em.find(MailboxSchema, { pbxId: A() })).entries())
      secrets.set(`mailbox.password#${i}`, m.password);
    for (const c of snap.conferenceRooms) if (c.password) secrets.set(`conference.password#${c.id}`, c.password);
    secrets.set('trunk.password', (await em.findOneOrFail(SipTrunkSchema, { pbxId: A() })).password as string);
    const device = await em.findOneOrFail(DeviceSchema, { mac });
    secrets.set('device.provisioningHa1', device.provisioningHa1);
    secrets.set('device.appTokenHash', device.appTokenHash);
    secrets.set('device.appTokenSalt', device.appTokenSalt);
    tokenHash = device.appTokenHash;
    for (const [i, u] of (await em.find(PortalUserSchema, { pbxId: A() })).entries())
      secrets.set(`user.passwordHash#${i}`, u.passwordHash);
    for (const [name, value] of secrets) expect(value, name).to.be.a('string').with.length.above(6);
  });
  after(async () => fx?.w.close());

  /** Every read path of the service layer, plus the values writes hand back (a save echoes the saved object). */
  async function everyRead(actor: Actor): Promise<unknown[]> {
    const out: unknown[] = [];
    const attempt = async (call: () => Promise<unknown>) => {
      try {
        out.push(await call());
      } catch (err) {
        // Refusals are fine; anything else is a broken read path and fails the test.
        if (!(err instanceof ForbiddenError || err instanceof NotFoundError)) throw err;
      }
    };
    const s = fx.s;
    await attempt(() => s.pbx.list(actor));
    await attempt(() => s.pbx.get(actor, A()));
    await attempt(() => s.pbx.byContext('pbx_a'));
    await attempt(() => s.pbx.update(actor, A(), {}));
    await attempt(() => s.pbx.getListenLive(actor, A()));
    await attempt(() => s.pbx.setListenLive(actor, A(), {}));
    await attempt(() => s.pbx.revealSecrets(actor, A()));
    await attempt(() => s.pbx.revealPhoneAdminPassword(actor, A()));
    await attempt(() => s.pbx.revealListenLivePassword(actor, A()));
    const all = await Promise.all(KINDS.map((k) => s.objects.list(SYSTEM, A(), k.name)));
    for (const [i, kind] of KINDS.entries()) {
      await attempt(() => s.objects.list(actor, A(), kind.name));
      for (const row of all[i] as Array<{ id: number }>) {
        await attempt(() => s.objects.get(actor, A(), kind.name, row.id));
        await attempt(() => s.objects.revealSecrets(actor, A(), kind.name, row.id));
        if (kind.name !== 'audio') await attempt(() => s.objects.update(actor, A(), kind.name, row.id, {}));
      }
    }
    await attempt(() => s.users.list(actor, A()));
    for (const l of logins) await attempt(() => s.users.authenticate(l.username, l.password));
    await attempt(() => devices.list(actor, A()));
    await attempt(() => devices.byMac(actor, mac));
    await attempt(() => devices.byAppTokenHash(tokenHash));
    return out;
  }

  it('every column named like a secret is known and kept out of plain reads', () => {
    const hiddenByKind = new Map(KINDS.map((k) => [(k.entity as EntitySchema).meta.className, k.hidden ?? []]));
    const unknown: string[] = [];
    for (const value of Object.values(model)) {
      if (!value || typeof value !== 'object' || !('meta' in value)) continue;
      const meta = (value as EntitySchema).meta;
      const known = [...(hiddenByKind.get(meta.className) ?? []), ...(KNOWN_SECRET_COLUMNS[meta.className] ?? [])];
      for (const prop of Object.keys(meta.properties))
        if (SECRET_NAME.test(prop) && !known.includes(prop)) unknown.push(`${meta.className}.${prop}`);
    }
    expect(unknown, 'secret-looking columns nobody hides').to.deep.equal([]);
  });

  for (const who of Object.keys(EXPECTED) as Who[]) {
    it(`${who} sees exactly: ${EXPECTED[who].join(', ') || 'no secret'}`, async function () {
      this.timeout(120000); // every read path of every kind; scrypt logins included
      const text = JSON.stringify(await everyRead(actors.get(who) as Actor));
      const seen = new Set<string>();
      for (const [name, value] of secrets) if (text.includes(value)) seen.add(name.replace(/#.*$/, ''));
      expect([...seen].sort()).to.deep.equal(EXPECTED[who]);
    });
  }

  it('masked secrets say only whether they are set (trunk and conference passwords, listen live)', async () => {
    const [trunk] = await fx.s.objects.list(SYSTEM, A(), 'trunks');
    expect(trunk).to.include({ passwordSet: true }).and.not.have.property('password');
    const room = await fx.s.objects.get(SYSTEM, A(), 'conferences', fx.ids.conference);
    expect(room).to.include({ passwordSet: true }).and.not.have.property('password');
    expect(await fx.s.pbx.getListenLive(SYSTEM, A())).to.include({ passwordSet: true, mode: 'both' });
    await expectForbidden(fx.s.objects.revealSecrets(SYSTEM, A(), 'trunks', trunk?.id as number), /never shown/);
    await expectForbidden(
      fx.s.objects.revealSecrets(actors.get('employee') as Actor, A(), 'extensions', fx.a.ext['201'].id),
    );
  });

  it('the employee module list is what the table assumes (no PBX Info, devices or conference)', () => {
    expect(MODULES).to.include.members(['pbx_info', 'devices', 'conference', 'listen_live']);
    const emp = actors.get('employee');
    expect(emp?.kind === 'user' && emp.permissions).to.not.include.members(['pbx_info', 'devices']);
  });
});
