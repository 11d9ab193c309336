// Re-sync: a change that alters a phone's configuration queues a check-sync for that phone only.
import { expect } from 'chai';
import { phoneConfigFingerprint } from '../../src/provisioning/fingerprint';
import type { ResyncTarget } from '../../src/provisioning/resync-queue';
import { provisioningSettings } from '../../src/servers/provisioning/start';
import { SYSTEM } from '../../src/services/actor';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { ResyncWatcher } from '../../src/services/resync-watcher';
import { openWorld, type World } from '../servers/provisioning-world';

describe('ResyncWatcher', function () {
  this.timeout(20000);
  let w: World;
  const queued: ResyncTarget[] = [];
  let watcher: ResyncWatcher;

  before(async () => {
    w = await openWorld();
    const add = (mac: string, ext: string, blf: string) =>
      w.devices.add(SYSTEM, w.pbx.id, {
        mac,
        profileId: 'yealink-t54w',
        label: null,
        extensionIds: [w.ext[ext]!.id],
        lineKeys: [{ type: 'blf', extensionId: w.ext[blf]!.id }],
      });
    await add('805ec0000001', '201', '202');
    await add('805ec0000002', '202', '202');
    watcher = new ResyncWatcher(
      new LiveSnapshots(w.services.orm),
      phoneConfigFingerprint(w.catalog, provisioningSettings('http://127.0.0.1:8080', 2026)),
      {
        enqueue: (t) => {
          queued.push(...t);
          return t.length;
        },
      },
    );
  });
  after(async () => w?.close());

  it('records fingerprints on the first pass without re-syncing anyone', async () => {
    expect(await watcher.check()).to.equal(0);
  });

  it('queues only the phone whose configuration a change affects', async () => {
    // Extension 201's name is shown only on the phone whose line 1 is 201.
    await w.services.objects.update(SYSTEM, w.pbx.id, 'extensions', w.ext['201']!.id, { name: 'New Name' });
    expect(await watcher.check()).to.equal(1);
    expect(queued.map((t) => t.key)).to.deep.equal(['805ec0000001']);
    expect(queued[0]).to.include({ user: '201' });
  });

  it('queues every phone of the PBX for a PBX-wide feature, and nothing when nothing changed', async () => {
    queued.length = 0;
    expect(await watcher.check()).to.equal(0);
    await w.services.pbx.update(SYSTEM, w.pbx.id, { intercom: false });
    await watcher.check();
    expect(queued.map((t) => t.key).sort()).to.deep.equal(['805ec0000001', '805ec0000002']);
  });
});
