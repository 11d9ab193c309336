// The device data the portal shows says plainly what the phone model cannot do with what is configured for it:
// a Yealink cannot light for other mailboxes (the extension's "message waiting" list), a Polycom can.
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { DeviceService } from '../../src/services/device-service';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';
import { forEachEngine } from '../helpers/databases';
import { type Fixture, openFixture } from './fixture';

const catalog = loadProfileCatalog(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));

forEachEngine('device warnings', (engine) => {
  let fx: Fixture;
  let devices: DeviceService;
  const A = () => fx.a.pbx.id;

  before(async function () {
    this.timeout(120000); // several PBX objects through the services, on a machine the whole suite shares
    fx = await openFixture(engine);
    devices = new DeviceService(fx.s.orm, catalog);
    await fx.s.objects.create(SYSTEM, A(), 'mailboxes', { number: '2001', name: 'Sales', password: '97531' });
    await fx.s.objects.update(SYSTEM, A(), 'extensions', fx.a.ext['201'].id, { mwiMailboxes: ['2001', '202'] });
  });
  after(async () => fx?.w.close());

  it('a Yealink whose line watches other mailboxes says it cannot show them, on add, list and byMac', async () => {
    const added = await devices.add(SYSTEM, A(), {
      mac: '805ec0aabb01',
      profileId: 'yealink-t54w',
      extensionIds: [fx.a.ext['201'].id],
      lineKeys: [],
    });
    const expected = [
      'The T54W cannot show message waiting for other mailboxes: mailboxes 2001 and 202 (watched by extension 201) will not light on this phone.',
    ];
    expect(added.device.warnings).to.deep.equal(expected);
    const listed = (await devices.list(SYSTEM, A())).find((d) => d.mac === '805ec0aabb01');
    expect(listed?.warnings).to.deep.equal(expected);
    expect((await devices.byMac(SYSTEM, '80:5e:c0:aa:bb:01')).warnings).to.deep.equal(expected);
  });

  it('a Polycom with the same lines has nothing to say; nor has a Yealink whose lines watch no other mailbox', async () => {
    await devices.add(SYSTEM, A(), {
      mac: '0004f2aabb02',
      profileId: 'polycom-vvx450',
      extensionIds: [fx.a.ext['201'].id],
      lineKeys: [],
    });
    await devices.add(SYSTEM, A(), {
      mac: '805ec0aabb03',
      profileId: 'yealink-t54w',
      extensionIds: [fx.a.ext['202'].id],
      lineKeys: [],
    });
    expect((await devices.byMac(SYSTEM, '0004f2aabb02')).warnings).to.deep.equal([]);
    expect((await devices.byMac(SYSTEM, '805ec0aabb03')).warnings).to.deep.equal([]);
  });

  it('a Polycom short of registrations names the mailboxes it cannot watch', async () => {
    await devices.add(SYSTEM, A(), {
      mac: '0004f2aabb04',
      profileId: 'polycom-vvx150',
      extensionIds: [fx.a.ext['201'].id, fx.a.ext['202'].id],
      lineKeys: [],
    });
    expect((await devices.byMac(SYSTEM, '0004f2aabb04')).warnings).to.deep.equal([
      'The VVX 150 has no free line to show message waiting for mailbox 2001 (watched by extension 201): it will not light on this phone.',
    ]);
  });
});
