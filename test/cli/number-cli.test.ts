// `dialtone number add / set / remove`: the operator assigns numbers; a PBX administrator (portal, API) cannot add,
// remove, renumber or mark one toll-free, but routes and names it.
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { openDatabase } from '../../src/db';
import { ForbiddenError } from '../../src/domain/errors';
import { createServices, type Services } from '../../src/services';
import { type Actor, actorFor, SYSTEM } from '../../src/services/actor';
import { makePbx } from '../helpers/services';

describe('dialtone number CLI and who may assign numbers', () => {
  let services: Services;
  let pbxId: number;
  let admin: Actor;
  const out: string[] = [];
  const err: string[] = [];
  const cli = async (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    return runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, async () => services);
  };
  const numbers = async () => (await services.snapshot(pbxId)).phoneNumbers;

  before(async () => {
    services = createServices(await openDatabase({ url: null, sqlitePath: ':memory:' }));
    pbxId = (await makePbx(services, 'acme')).pbx.id;
    await services.users.create(SYSTEM, pbxId, {
      username: 'boss@acme.test',
      password: 'long password 1',
      type: 'admin',
    });
    admin = actorFor((await services.users.authenticate('boss@acme.test', 'long password 1'))!);
  });
  after(async () => services.orm.close(true));

  it('adds a number in any notation, toll-free and with a state, and prints it as JSON', async () => {
    const code = await cli(
      'number',
      'add',
      '--pbx',
      'acme',
      '--number',
      '(800) 555-0142',
      '--toll-free',
      '--state',
      'il',
      '--json',
    );
    expect(code, err.join()).to.equal(0);
    const row = JSON.parse(out[0]!);
    expect(row).to.include({ number: '8005550142', tollFree: true, state: 'IL' });
    expect(row.routeTo).to.deep.equal({ kind: 'hangup' });
  });

  it('refuses a number another PBX has, and bad input, with exit 1 and the reason', async () => {
    expect(await cli('number', 'add', '--pbx', 'acme', '--number', '8005550142')).to.equal(1);
    expect(err.join()).to.include('already a phone number');
    expect(await cli('number', 'add', '--pbx', 'acme', '--number', '12|3')).to.equal(1);
    expect(await cli('number', 'add', '--pbx', 'acme')).to.equal(2);
  });

  it('changes toll-free and the number itself, then removes it', async () => {
    expect(await cli('number', 'set', '--pbx', 'acme', '--number', '800-555-0142', '--toll-free', 'no')).to.equal(0);
    expect((await numbers()).find((n) => n.number === '8005550142')?.tollFree).to.equal(false);
    expect(
      await cli('number', 'set', '--pbx', 'acme', '--number', '8005550142', '--new-number', '8005550143'),
    ).to.equal(0);
    expect(await cli('number', 'remove', '--pbx', 'acme', '--number', '+1 800 555 0143', '--json')).to.equal(0);
    expect(JSON.parse(out[0]!)).to.deep.equal({ removed: '8005550143' });
    expect((await numbers()).some((n) => n.number.startsWith('800555014'))).to.equal(false);
    expect(await cli('number', 'remove', '--pbx', 'acme', '--number', '8005550143')).to.equal(1);
    expect(err.join()).to.include('not assigned to this PBX');
  });

  it('a PBX administrator routes and names a number but cannot add, remove, renumber or make it toll-free', async () => {
    const [n] = await numbers();
    const o = services.objects;
    const refused = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).to.be.instanceOf(ForbiddenError);
      expect((e as Error).message).to.include('assigned to the PBX by your provider');
    };
    await refused(o.create(admin, pbxId, 'numbers', { number: '3125550177', routeTo: 'hangup' }));
    await refused(o.delete(admin, pbxId, 'numbers', n.id));
    await refused(o.update(admin, pbxId, 'numbers', n.id, { number: '3125550178' }));
    await refused(o.update(admin, pbxId, 'numbers', n.id, { tollFree: !n.tollFree }));
    // The same values sent back (a whole form or a PUT-like PATCH) are fine.
    const saved = await o.update(admin, pbxId, 'numbers', n.id, {
      number: n.number,
      tollFree: n.tollFree,
      callerIdName: 'Acme Sales',
      state: 'TX',
    });
    expect(saved).to.include({ callerIdName: 'Acme Sales', state: 'TX', number: n.number });
  });
});
