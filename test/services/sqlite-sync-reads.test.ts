// Synchronous reads on a second connection to the SQLite file: the same rows the ORM maps, every committed write seen
// by the next read, none for an in-memory database, and the batched ORM path when a read fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openDatabase } from '../../src/db';
import type { Device } from '../../src/domain/model';
import { SYSTEM } from '../../src/services/actor';
import { LiveProvisioningStore } from '../../src/services/live-provisioning-store';
import { openSyncReads, type SyncReads } from '../../src/services/sqlite-sync-reads';
import { openPublishWorld, PHONES, type PublishWorld } from '../provisioning/publish-fixture';

describe('SQLite synchronous reads', function () {
  this.timeout(20_000);
  let dir: string;
  let w: PublishWorld;
  let reads: SyncReads;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-syncreads-'));
    w = await openPublishWorld('acme', join(dir, 'db.sqlite'));
    reads = openSyncReads(w.services.orm) as SyncReads;
  });
  after(async () => {
    reads?.close();
    await w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is not opened for an in-memory database', async () => {
    const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
    try {
      expect(openSyncReads(orm)).to.equal(null);
    } finally {
      await orm.close(true);
    }
  });

  it('maps a device row exactly as the ORM driver does, with its PBX revision', async () => {
    for (const phone of PHONES) {
      const found = reads.deviceByMac(phone.mac);
      const orm = await w.services.orm.em.fork().getDriver().findOne('Device', { mac: phone.mac });
      expect(found?.device, phone.mac).to.deep.equal(orm);
      const pbx = await w.services.pbx.get(SYSTEM, w.pbx.id);
      expect(found?.pbx).to.deep.include({ id: w.pbx.id, context: 'acme', revision: pbx.revision });
    }
    expect(reads.deviceByMac('0004f2ffffff')).to.equal(null);
    expect(reads.deviceByMac("' or 1=1 --")).to.equal(null);
  });

  it('sees a write the ORM connection committed on the very next read', async () => {
    const before = reads.deviceByMac(PHONES[1].mac)?.device;
    await w.devices.rotateCredentials(SYSTEM, PHONES[1].mac);
    const armed = await w.devices.arm(SYSTEM, PHONES[1].mac, 5);
    const after = reads.deviceByMac(PHONES[1].mac)?.device;
    expect(after?.provisioningHa1).to.not.equal(before?.provisioningHa1);
    expect((after!.armedUntil as Date).getTime()).to.equal(armed.getTime());
    const revision = reads.deviceByMac(PHONES[1].mac)?.pbx.revision as number;
    await w.services.objects.update(SYSTEM, w.pbx.id, 'extensions', w.ext['202']!.id, { name: 'Bob Renamed' });
    expect(reads.deviceByMac(PHONES[1].mac)?.pbx.revision).to.be.greaterThan(revision);
  });

  it('reuses a row until anything commits, on any connection (another process writing the file, too)', async () => {
    const mac = PHONES[2].mac;
    const first = reads.deviceByMac(mac);
    expect(reads.deviceByMac(mac), 'no commit in between: the same row').to.equal(first);
    // Another writer on the file, as the dialtone CLI in its own process would be.
    const other = new Database(join(dir, 'db.sqlite'));
    try {
      other.prepare('update device set label = ? where mac = ?').run('Front desk', mac);
    } finally {
      other.close();
    }
    const after = reads.deviceByMac(mac);
    expect(after).to.not.equal(first);
    expect(after?.device.label).to.equal('Front desk');
    expect(reads.deviceByMac(mac)).to.equal(after);
    await w.devices.arm(SYSTEM, mac, 5);
    expect(reads.deviceByMac(mac)?.device.armedUntil, 'a commit through the ORM drops it too').to.be.instanceOf(Date);
  });

  it('lets the store fall back to the batched ORM lookup when a read throws (a lock held too long)', async () => {
    const failing: SyncReads = {
      deviceByMac: () => {
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      },
      close: () => {},
    };
    const warnings: string[] = [];
    const store = new LiveProvisioningStore(w.services.orm, w.devices, {
      syncReads: failing,
      log: (_level, msg) => warnings.push(msg),
    });
    const device = (await store.deviceByMac(PHONES[0].mac)) as Device;
    expect(device.mac).to.equal(PHONES[0].mac);
    expect((await store.snapshot(device.pbxId, device)).pbx.id).to.equal(w.pbx.id);
    expect(warnings).to.deep.equal(['provisioning: synchronous device read failed, using the ORM connection']);
  });
});
