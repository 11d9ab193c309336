// ObjectService mechanics: input shape, kinds created only by their own service, unknown kinds, database unique
// indexes as ConflictError, change listeners told after commit only, hidden fields never returned.
import { expect } from 'chai';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/errors';
import { SYSTEM } from '../../src/services/actor';
import type { ChangeListener } from '../../src/services/object-service';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, insertAudio, openFixture, validInput } from './fixture';
import { expectUnchanged, rejection } from './support';

forEachEngine('object service', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  const A = () => fx.a.pbx.id;
  const device = (mac: string, username: string) =>
    fx.s.objects.create(
      SYSTEM,
      A(),
      'devices',
      { mac, profileId: 'yealink-t54w', extensionIds: [fx.a.ext['201'].id] },
      {
        provisioningUsername: username,
        provisioningHa1: 'a'.repeat(32),
        appTokenSalt: username.padEnd(32, '0'),
        appTokenHash: username.padEnd(64, '0'),
      },
    );

  it('input that is not an object of fields is a ValidationError, not a TypeError', async () => {
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      for (const input of [null, undefined, 'name=x', 42, ['name', 'x']]) {
        const c = await rejection(fx.s.objects.create(SYSTEM, A(), 'holidays', input as never));
        expect(c, JSON.stringify(input)).to.be.instanceOf(ValidationError);
        expect((c as ValidationError).fields).to.have.property('input');
        const u = await rejection(fx.s.objects.update(SYSTEM, A(), 'extensions', fx.a.ext['201'].id, input as never));
        expect(u, JSON.stringify(input)).to.be.instanceOf(ValidationError);
      }
    });
  });

  it('unknown kinds are NotFound', async () => {
    expect(await rejection(fx.s.objects.list(SYSTEM, A(), 'users'))).to.be.instanceOf(NotFoundError);
    expect(await rejection(fx.s.objects.create(SYSTEM, A(), '__proto__', {}))).to.be.instanceOf(NotFoundError);
  });

  it('devices and audio are created only through their own services', async () => {
    const audio = await insertAudio(fx, fx.a, 1000);
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      const d = await rejection(
        fx.s.objects.create(SYSTEM, A(), 'devices', {
          mac: '0004f2000099',
          profileId: 'yealink-t54w',
          extensionIds: [1],
        }),
      );
      expect(d).to.be.instanceOf(ForbiddenError);
      expect(await rejection(fx.s.objects.create(SYSTEM, A(), 'audio', {}))).to.be.instanceOf(ForbiddenError);
      expect(await rejection(fx.s.objects.update(SYSTEM, A(), 'audio', audio, { originalName: 'x' }))).to.be.instanceOf(
        ForbiddenError,
      );
    });
  });

  it('a MAC is one phone across all PBXs', async () => {
    await device('00:04:f2:00:00:01', 'pa1');
    const err = await rejection(
      fx.s.objects.create(
        SYSTEM,
        fx.b.pbx.id,
        'devices',
        { mac: '0004F2000001', profileId: 'yealink-t54w', extensionIds: [fx.b.ext['201'].id] },
        {
          provisioningUsername: 'pb1',
          provisioningHa1: 'a'.repeat(32),
          appTokenSalt: 'b'.repeat(32),
          appTokenHash: 'c'.repeat(64),
        },
      ),
    );
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).fields.mac).to.equal('this phone is already registered');
  });

  it('a unique index the rules do not know about answers ConflictError, and nothing is saved', async () => {
    await device('00:04:f2:00:00:02', 'same_user');
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      const err = await rejection(device('00:04:f2:00:00:03', 'same_user'));
      expect(err).to.be.instanceOf(ConflictError);
    });
  });

  it('hidden fields are never returned by create, get, list or update', async () => {
    const d = await device('00:04:f2:00:00:04', 'pa4');
    for (const row of [d, await fx.s.objects.get(SYSTEM, A(), 'devices', d.id as number)])
      for (const h of ['provisioningHa1', 'appTokenHash']) expect(row).to.not.have.property(h);
    const ext = await fx.s.objects.update(SYSTEM, A(), 'extensions', fx.a.ext['202'].id, { secondsToRing: 25 });
    expect(ext).to.not.have.property('sipPassword');
    for (const row of await fx.s.objects.list(SYSTEM, A(), 'extensions'))
      expect(row).to.not.have.property('sipPassword');
  });

  it('change listeners hear committed changes only, and a failing listener does not undo the save', async () => {
    const heard: Array<Parameters<ChangeListener>[0]> = [];
    fx.s.objects.onChange((c) => heard.push(c));
    fx.s.objects.onChange(() => {
      throw new Error('listener broke');
    });
    const row = await create(fx, 'holidays', await validInput('holidays', fx));
    await fx.s.objects.update(SYSTEM, A(), 'holidays', row.id as number, { name: 'Renamed day' });
    await rejection(fx.s.objects.update(SYSTEM, A(), 'holidays', row.id as number, { name: '<x>' }));
    await rejection(fx.s.objects.create(SYSTEM, A(), 'holidays', { name: '' }));
    await fx.s.objects.delete(SYSTEM, A(), 'holidays', row.id as number);
    expect(heard).to.deep.equal([
      { pbxId: A(), kind: 'holidays', id: row.id, action: 'create' },
      { pbxId: A(), kind: 'holidays', id: row.id, action: 'update' },
      { pbxId: A(), kind: 'holidays', id: row.id, action: 'delete' },
    ]);
  });
});
