// Caching for boot storms: LiveProvisioningStore + CachedProvisioningFiles serve the very bytes the uncached parts serve,
// and every change that affects a phone's file (PBX data, a rotated phone-app token, a window fetch) is seen at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { NotFoundError } from '../../src/domain/errors';
import type { Device } from '../../src/domain/model';
import { appTokenFor, appTokenHash } from '../../src/provisioning/app-token';
import {
  CachedProvisioningFiles,
  type SharedMemoEntry,
  sameJson,
} from '../../src/provisioning/cached-provisioning-files';
import { fileClass } from '../../src/provisioning/policy';
import { PrerenderAfterChanges } from '../../src/provisioning/prerender-after-changes';
import { type ProvisioningFile, ProvisioningFiles } from '../../src/provisioning/provisioning-files';
import { SYSTEM } from '../../src/services/actor';
import { LiveProvisioningStore } from '../../src/services/live-provisioning-store';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import type { BootRequest } from '../../src/vendors/boot-request';
import { identifyDevice } from '../../src/vendors/identify-device';
import { openPublishWorld, PHONES, type PublishWorld, provisioningFilesDeps } from './publish-fixture';

const NAMES: Record<string, (mac: string) => string[]> = {
  polycom: (mac) => [`${mac}.cfg`, `${mac}-user.cfg`, `${mac}-directory.xml`],
  yealink: (mac) => [`${mac}.cfg`],
};
const SHARED = ['000000000000.cfg', 'common.cfg', 'common-polycom-vvx450.cfg', 'y000000000096.cfg', 'bootstrap.cfg'];

function body(file: ProvisioningFile | null): string {
  if (file?.type !== 'body') throw new Error('expected a rendered file');
  return file.body.toString('utf8');
}

describe('boot-storm caching: LiveProvisioningStore and CachedProvisioningFiles', function () {
  this.timeout(30_000);
  let w: PublishWorld;
  let dir: string;
  let store: LiveProvisioningStore;
  let cached: CachedProvisioningFiles;
  let plain: ProvisioningFiles;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-cache-'));
    w = await openPublishWorld();
    store = new LiveProvisioningStore(w.services.orm, w.devices);
    cached = new CachedProvisioningFiles({ ...deps(), store });
    plain = new ProvisioningFiles({ ...deps(), store: w.devices });
  });
  const deps = () => provisioningFilesDeps(w, dir);
  /** Counts renders of the shared renderer (the uncached parts use it too: count only around cached fetches). */
  const countRenders = () => {
    const original = w.renderer.renderFile;
    const counter = {
      count: 0,
      restore: () => {
        w.renderer.renderFile = original;
      },
    };
    w.renderer.renderFile = (req) => {
      counter.count++;
      return original(req);
    };
    return counter;
  };
  after(async () => {
    await w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (name: string): BootRequest => identifyDevice(null, name, w.catalog).request;
  const fetch = async (files: ProvisioningFiles, name: string, mac?: string) => {
    const r = request(name);
    if (fileClass(r, 'GET') === 'shared') return files.sharedFile(r, 'http');
    const device = (await (files === cached ? store : w.devices).deviceByMac(mac ?? name.slice(0, 12))) as Device;
    return files.deviceFile(r, device);
  };

  it('serves byte-identical files to the uncached parts, and the same object again while nothing changed', async () => {
    for (const name of [...SHARED, ...PHONES.flatMap((p) => NAMES[p.profileId.split('-')[0]!]!(p.mac))]) {
      const a = await fetch(cached, name);
      const b = await fetch(plain, name);
      expect(body(a), name).to.equal(body(b));
      expect(await fetch(cached, name), `${name} from the memo`).to.equal(a);
    }
  });

  it('sees a change to the PBX on the next fetch', async () => {
    const before = body(await fetch(cached, '805ec0000003.cfg'));
    await w.services.objects.update(SYSTEM, w.pbx.id, 'extensions', w.ext['203']!.id, { name: 'Carol Changed' });
    const after = body(await fetch(cached, '805ec0000003.cfg'));
    expect(before).to.not.contain('Carol Changed');
    expect(after).to.contain('Carol Changed');
    expect(after).to.equal(body(await fetch(plain, '805ec0000003.cfg')));
  });

  it('puts a rotated phone-app token in the file at once, and stores its hash (no PBX revision involved)', async () => {
    const before = body(await fetch(cached, '0004f2000001-user.cfg'));
    await w.devices.rotateAppToken(SYSTEM, '0004f2000001');
    const device = (await store.deviceByMac('0004f2000001')) as Device;
    const token = appTokenFor(w.appTokenKey, device.appTokenSalt);
    const after = body(await fetch(cached, '0004f2000001-user.cfg'));
    expect(before).to.not.contain(token);
    expect(after).to.contain(`/phone-apps/${token}/`);
    expect((await w.devices.byAppTokenHash(appTokenHash(token)))?.mac).to.equal('0004f2000001');
  });

  it('stores the token hashes of one turn in one write, never over a salt rotated meanwhile', async () => {
    const a = (await store.deviceByMac('0004f2000001')) as Device;
    const b = (await store.deviceByMac('805ec0000003')) as Device;
    const hashA = appTokenHash(appTokenFor(w.appTokenKey, a.appTokenSalt));
    const stale = 'e'.repeat(64);
    await Promise.all([
      store.storeAppTokenHash(a.id, a.appTokenSalt, hashA),
      store.storeAppTokenHash(b.id, 'not-the-current-salt-0000000000', stale),
    ]);
    expect((await w.devices.byAppTokenHash(hashA))?.mac).to.equal('0004f2000001');
    expect(await w.devices.byAppTokenHash(stale)).to.equal(null);
  });

  it('renders again when a device field the file depends on differs from the memo entry', async () => {
    const device = (await store.deviceByMac('805ec0000003')) as Device;
    const r = request('805ec0000003.cfg');
    const a = body(await cached.deviceFile(r, device));
    const moved = { ...device, lineKeys: [{ type: 'park', slot: 702 }] } as Device;
    const b = body(await cached.deviceFile(r, moved));
    expect(b).to.not.equal(a);
    expect(b).to.equal(body(await plain.deviceFile(r, moved)));
    expect(body(await cached.deviceFile(r, device)), 'and back').to.equal(a);
  });

  it('keeps a file across a PBX change that leaves its phone config alone, and renders only what changed', async () => {
    const names = PHONES.flatMap((p) => NAMES[p.profileId.split('-')[0]!]!(p.mac));
    const before = new Map<string, ProvisioningFile | null>();
    for (const name of names) before.set(name, await fetch(cached, name));
    const renders = countRenders();
    try {
      // A number routed to hang up is on no phone: every phone config stays the same.
      await w.services.objects.create(SYSTEM, w.pbx.id, 'numbers', {
        number: '2125550199',
        routeTo: { kind: 'hangup' },
      });
      for (const name of names) expect(await fetch(cached, name), name).to.equal(before.get(name));
      expect(renders.count, 'nothing rendered again').to.equal(0);
      // Carol's name is on her phone's line and on every buddy list: every phone's config changes (a file that
      // does not show it, like a Polycom master, is still rendered again: the check is on the whole phone config).
      await w.services.objects.update(SYSTEM, w.pbx.id, 'extensions', w.ext['203']!.id, { name: 'Carol Again' });
      const after = new Map<string, string>();
      for (const name of names) after.set(name, body(await fetch(cached, name)));
      const rendered = renders.count;
      renders.restore();
      let changed = 0;
      for (const name of names) {
        expect(after.get(name), name).to.equal(body(await fetch(plain, name)));
        if (after.get(name) !== body(before.get(name) ?? null)) changed++;
      }
      expect(after.get('805ec0000003.cfg')).to.contain('Carol Again');
      expect(changed).to.be.greaterThan(0);
      expect(rendered, 'every file that changed was rendered').to.be.at.least(changed);
    } finally {
      renders.restore();
    }
  });

  /** Every phone's files come from `files` without a render, byte-identical to the uncached parts. */
  const servesEveryPhoneFileUnrendered = async (files: CachedProvisioningFiles) => {
    const names = PHONES.flatMap((p) => NAMES[p.profileId.split('-')[0]!]!(p.mac));
    const served = new Map<string, string>();
    const renders = countRenders();
    try {
      for (const name of names) {
        const device = (await store.deviceByMac(name.slice(0, 12))) as Device;
        served.set(name, body(await files.deviceFile(request(name), device)));
      }
      expect(renders.count).to.equal(0);
    } finally {
      renders.restore();
    }
    for (const name of names) expect(served.get(name), name).to.equal(body(await fetch(plain, name)));
    return served;
  };

  it('warm() renders every phone file ahead of the phones, which then get the same bytes with no render', async () => {
    const fresh = new CachedProvisioningFiles({ ...deps(), store });
    expect(await fresh.warm(w.pbx.id)).to.equal(3 + 3 + 1 + 1);
    await servesEveryPhoneFileUnrendered(fresh);
    const stop = new AbortController();
    stop.abort();
    expect(await fresh.warm(w.pbx.id, { signal: stop.signal }), 'stops when aborted').to.equal(0);
  });

  it('after a change, the re-render pass makes the changed files ready before the phones ask', async () => {
    const fresh = new CachedProvisioningFiles({ ...deps(), store });
    const live = new LiveSnapshots(w.services.orm);
    const rerender = new PrerenderAfterChanges({
      revisions: () => live.rowsNow(),
      warm: (pbxId, signal) => fresh.warm(pbxId, { signal }),
      quietMs: 0,
    });
    rerender.markWarmed(await live.rowsNow());
    await fresh.warm(w.pbx.id);
    // A buddy-list name every phone shows changes: their files change.
    await w.services.objects.update(SYSTEM, w.pbx.id, 'extensions', w.ext['202']!.id, { name: 'Bob Rerendered' });
    expect(await rerender.tick()).to.equal(0); // first seen
    expect(await rerender.tick()).to.equal(3 + 3 + 1 + 1);
    const served = await servesEveryPhoneFileUnrendered(fresh);
    expect([...served.values()].some((b) => b.includes('Bob Rerendered'))).to.equal(true);
  });

  it('adopts files another process rendered (the cluster background process): served with no render here', async () => {
    const sent: SharedMemoEntry[] = [];
    const background = new CachedProvisioningFiles({ ...deps(), store, onMemo: (e) => sent.push(e) });
    await background.warm(w.pbx.id);
    expect(sent.filter((e) => e.file !== null)).to.have.length(3 + 3 + 1 + 1);
    // Structured clone, as the cluster's IPC delivers them (Buffers may arrive as plain bytes).
    const worker = new CachedProvisioningFiles({ ...deps(), store });
    worker.adopt(structuredClone(sent));
    expect(worker.size).to.equal(8);
    await servesEveryPhoneFileUnrendered(worker);

    // A change no phone shows: the background process re-confirms the files; the worker takes the confirmations
    // and still renders nothing.
    sent.length = 0;
    await w.services.objects.create(SYSTEM, w.pbx.id, 'numbers', { number: '2125550198', routeTo: { kind: 'hangup' } });
    await background.warm(w.pbx.id);
    expect(sent.every((e) => e.file === null)).to.equal(true);
    worker.adopt(sent);
    await servesEveryPhoneFileUnrendered(worker);

    // An older entry never replaces a newer one.
    const newest = [...worker.entries()][0] as SharedMemoEntry;
    worker.adopt([
      { ...newest, revision: newest.revision - 1, file: { type: 'disk', name: 'x', path: '/x', contentType: 'x' } },
    ]);
    expect([...worker.entries()].find((e) => e.key === newest.key)?.file).to.deep.equal(newest.file);
  });

  it('never caches a file that teaches the phone credentials', async () => {
    const device = (await store.deviceByMac('805ec0000003')) as Device;
    const taught = body(
      await cached.deviceFile(request('805ec0000003.cfg'), device, { user: 'pu', password: 'Pw-123' }),
    );
    expect(taught).to.contain('static.auto_provision.server.password = Pw-123');
    expect(body(await fetch(cached, '805ec0000003.cfg'))).to.not.contain('Pw-123');
  });

  it(`looks devices up like DeviceService, one lookup for requests that arrive together, one frozen object per MAC`, async () => {
    await w.devices.arm(SYSTEM, '0004f2000002', 10);
    const macs = [...PHONES.map((p) => p.mac), '0004f2ffffff', PHONES[0].mac];
    const connection = w.services.orm.em.getConnection();
    const execute = connection.execute;
    const queries: string[] = [];
    connection.execute = function (this: unknown, ...args: Parameters<typeof execute>) {
      if (typeof args[0] === 'string' && /\bmac in \(/.test(args[0])) queries.push(args[0]);
      return execute.apply(this, args);
    } as typeof execute;
    let live: (Device | null)[];
    try {
      live = await Promise.all(macs.map((m) => store.deviceByMac(m)));
    } finally {
      connection.execute = execute;
    }
    // Rows read before are checked by id and row version; the changed (armed) and never-read ones are read whole.
    expect(queries.length).to.be.within(1, 2);
    expect(queries.filter((q) => /select d\.\*/.test(q))).to.have.length(1);
    // Last-seen bookkeeping is the one thing a kept row may hold older than the database (provisioning never reads it).
    const decisive = (d: Device | null) => {
      const { lastSeenAt: _a, lastIp: _b, lastUserAgent: _c, ...rest } = { ...d };
      return rest;
    };
    for (const [i, mac] of macs.entries()) {
      const want = await w.devices.deviceByMac(mac);
      if (!want) {
        expect(live[i], mac).to.equal(null);
        continue;
      }
      expect(decisive(live[i] ?? null), mac).to.deep.equal(decisive(want));
    }
    expect(live[1]!.armedUntil).to.be.instanceOf(Date);
    expect(live[0]).to.equal(live[macs.length - 1]);
    expect(Object.isFrozen(live[0])).to.equal(true);
  });

  it('folds last-seen writes of one boot into one, writes a new address at once, and batches rows', async () => {
    const device = (await store.deviceByMac('805ec0000004')) as Device;
    const other = (await store.deviceByMac('0004f2000001')) as Device;
    const ua = 'Yealink SIP-T46U 108.86.0.20';
    const t0 = new Date('2026-03-02T15:00:00Z');
    const seenAt = async (mac: string) => (await w.devices.deviceByMac(mac))?.lastSeenAt?.getTime();
    const snapshot = await store.snapshot(w.pbx.id);
    await store.recordSeen(device.id, { at: t0, ip: '10.0.0.5', userAgent: ua });
    await store.recordSeen(other.id, { at: t0, ip: '10.0.0.9', userAgent: 'PolycomVVX-VVX_450-UA/6.4.6.2152' });
    await store.recordSeen(device.id, { at: new Date(t0.getTime() + 2000), ip: '10.0.0.5', userAgent: ua });
    await store.flushSeen();
    expect(await seenAt('805ec0000004')).to.equal(t0.getTime());
    expect(await seenAt('0004f2000001')).to.equal(t0.getTime());
    expect((await w.devices.deviceByMac('0004f2000001'))?.lastIp).to.equal('10.0.0.9');
    await store.recordSeen(device.id, { at: new Date(t0.getTime() + 3000), ip: '10.0.0.6', userAgent: ua });
    await store.flushSeen();
    expect((await w.devices.deviceByMac('805ec0000004'))?.lastIp).to.equal('10.0.0.6');
    await store.recordSeen(device.id, { at: new Date(t0.getTime() + 64_000), ip: '10.0.0.6', userAgent: ua });
    await store.flushSeen();
    expect(await seenAt('805ec0000004')).to.equal(t0.getTime() + 64_000);
    expect(await store.snapshot(w.pbx.id), 'last-seen writes do not move the PBX revision').to.equal(snapshot);
  });

  it('hands out one snapshot object per PBX revision, and refuses an unknown PBX', async () => {
    const a = await store.snapshot(w.pbx.id);
    expect(await store.snapshot(w.pbx.id)).to.equal(a);
    await w.services.objects.update(SYSTEM, w.pbx.id, 'extensions', w.ext['202']!.id, { name: 'Bob Changed' });
    const b = await store.snapshot(w.pbx.id);
    expect(b).to.not.equal(a);
    expect(b.extensions.find((e) => e.id === w.ext['202']!.id)?.name).to.equal('Bob Changed');
    let err: unknown;
    try {
      await store.snapshot(987654);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(NotFoundError);
  });
});

describe('sameJson (memo inputs)', () => {
  it('compares JSON values deeply, arrays and objects apart', () => {
    expect(sameJson([1, 2], [1, 2])).to.equal(true);
    expect(sameJson([1, 2], [2, 1])).to.equal(false);
    expect(sameJson([{ type: 'park', slot: 701 }], [{ slot: 701, type: 'park' }])).to.equal(true);
    expect(sameJson([{ type: 'park', slot: 701 }], [{ type: 'park', slot: 702 }])).to.equal(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).to.equal(false);
    expect(sameJson([], {})).to.equal(false);
    expect(sameJson({ 0: 1 }, [1])).to.equal(false);
    expect(sameJson(null, {})).to.equal(false);
    expect(sameJson('1', 1)).to.equal(false);
  });
});
