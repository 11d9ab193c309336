// device.row_version moves, by the database's own trigger, whenever a column a phone's answer depends on is written —
// whoever writes it (service, native UPDATE, plain SQL) — and not for last-seen bookkeeping. Provisioning trusts a
// device row it keeps only while this number holds (src/services/live-provisioning-store.ts).
import { expect } from 'chai';
import { VERSIONED_DEVICE_COLUMNS } from '../../src/migrations/0012-device-row-version';
import { SYSTEM } from '../../src/services/actor';
import { standaloneDeviceService } from '../../src/services/device-setup';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';

forEachEngine('device row version', (engine) => {
  let w: TestWorld;
  let deviceId: number;
  const mac = '0004f2aabb77';
  before(async () => {
    w = await openWorld(engine);
    const { pbx, ext } = await makePbx(w.services, 'rowver');
    const devices = standaloneDeviceService(w.orm, 'http://127.0.0.1');
    const added = await devices.add(SYSTEM, pbx.id, {
      mac,
      profileId: 'polycom-vvx450',
      label: null,
      extensionIds: [ext['201']?.id as number],
      lineKeys: [],
    });
    deviceId = added.device.id;
  });
  after(async () => w?.close());

  const sql = (text: string, params: unknown[] = []) => w.orm.em.getConnection().execute(text, params);
  const version = async () =>
    Number(
      ((await sql('select row_version from device where id = ?', [deviceId])) as { row_version: unknown }[])[0]
        ?.row_version,
    );

  it('moves once per write naming any column a phone answer depends on, even to the same value', async () => {
    for (const column of VERSIONED_DEVICE_COLUMNS) {
      const before = await version();
      await sql(`update device set ${column} = ${column} where id = ?`, [deviceId]);
      expect(await version(), column).to.equal(before + 1);
    }
  });

  it('stays for last-seen writes, and never shows in what the services return', async () => {
    const before = await version();
    await sql('update device set last_seen_at = ?, last_ip = ?, last_user_agent = ? where id = ?', [
      new Date(),
      '192.0.2.1',
      'test',
      deviceId,
    ]);
    expect(await version()).to.equal(before);
    const devices = standaloneDeviceService(w.orm, 'http://127.0.0.1');
    expect(await devices.byMac(SYSTEM, mac)).to.not.have.property('rowVersion');
  });

  it('moves for the services’ own writes, and affected-row counts are the outer statement’s', async () => {
    const devices = standaloneDeviceService(w.orm, 'http://127.0.0.1');
    let before = await version();
    await devices.rotateAppToken(SYSTEM, mac);
    expect(await version()).to.be.greaterThan(before);
    before = await version();
    await devices.arm(SYSTEM, mac, 5);
    expect(await version()).to.be.greaterThan(before);
    before = await version();
    // consumeWindow relies on the count: exactly one of two fetches closes the window.
    expect(await devices.consumeWindow(deviceId, new Date(), 'f'.repeat(32))).to.equal(true);
    expect(await devices.consumeWindow(deviceId, new Date(), 'e'.repeat(32))).to.equal(false);
    expect(await version()).to.equal(before + 1);
  });
});
