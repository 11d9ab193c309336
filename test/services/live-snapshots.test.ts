// Request-time snapshots: a committed change is visible to the very next lookup; concurrent lookups share queries.
import { expect } from 'chai';
import { DeviceSchema } from '../../src/domain/model';
import type { ProvisioningStore } from '../../src/provisioning/store';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { LiveProvisioningStore } from '../../src/services/live-provisioning-store';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

forEachEngine('live snapshots', (engine) => {
  let w: TestWorld;
  before(async () => {
    w = await openWorld(engine);
    await seedDemo(w.services, 'live_a');
    await seedDemo(w.services, 'live_b');
  });
  after(async () => w?.close());

  it('finds PBXs by domain and context, null for unknown', async () => {
    const live = new LiveSnapshots(w.orm);
    expect((await live.byDomain('live-a.dialtone.test'))?.snap.pbx.context).to.equal('live_a');
    expect((await live.byContext('live_b'))?.snap.extensions).to.have.length(3);
    expect(await live.byDomain('nope.test')).to.equal(null);
    expect((await live.all()).map((e) => e.snap.pbx.context)).to.deep.equal(['live_a', 'live_b']);
  });

  it('shows a change on the next lookup and keeps the memo only while the revision holds', async () => {
    const live = new LiveSnapshots(w.orm);
    const first = await live.byContext('live_a');
    first?.memo.set('k', 'v');
    expect((await live.byContext('live_a'))?.memo.get('k')).to.equal('v');
    const ext = first?.snap.extensions[0];
    await w.services.objects.update(SYSTEM, first!.snap.pbx.id, 'extensions', ext!.id, { name: 'Renamed Person' });
    const next = await live.byContext('live_a');
    expect(next?.snap.extensions[0].name).to.equal('Renamed Person');
    expect(next?.memo.has('k')).to.equal(false);
  });

  it('answers 100 concurrent lookups with the fresh data', async () => {
    const live = new LiveSnapshots(w.orm);
    const b = await live.byContext('live_b');
    await w.services.objects.create(SYSTEM, b!.snap.pbx.id, 'holidays', { name: 'Fresh', date: '2031-05-05' });
    const all = await Promise.all(Array.from({ length: 100 }, () => live.byDomain('live-b.dialtone.test')));
    expect(all.every((e) => e?.snap.holidays.some((h) => h.name === 'Fresh'))).to.equal(true);
  });
});

forEachEngine('live provisioning store', (engine) => {
  let w: TestWorld;
  before(async () => {
    w = await openWorld(engine);
    await seedDemo(w.services, 'prov_a');
  });
  after(async () => w?.close());

  async function addDevice(mac: string, salt: string): Promise<void> {
    const pbx = await w.services.pbx.byContext('prov_a');
    const em = w.orm.em.fork();
    em.create(DeviceSchema, {
      pbxId: pbx.id,
      mac,
      profileId: 'yealink-t54w',
      label: null,
      extensionIds: [],
      lineKeys: [],
      provisioningUsername: `u${mac}`,
      provisioningHa1: '0'.repeat(32),
      armedUntil: null,
      appTokenSalt: salt,
      appTokenHash: `${mac}${'0'.repeat(52)}`,
      lastSeenAt: null,
      lastIp: null,
      lastUserAgent: null,
    });
    await em.flush();
  }

  it('stores the token hashes of one turn in one guarded write, and reads the PBX revision with the device', async () => {
    await addDevice('0015650000a1', 'salt-a-000000000000000000000000');
    await addDevice('0015650000a2', 'salt-b-000000000000000000000000');
    const store = new LiveProvisioningStore(w.orm, {} as ProvisioningStore);
    const [a, b] = await Promise.all([store.deviceByMac('0015650000a1'), store.deviceByMac('0015650000a2')]);
    await Promise.all([
      store.storeAppTokenHash(a!.id, 'salt-a-000000000000000000000000', 'a'.repeat(64)),
      store.storeAppTokenHash(b!.id, 'rotated-salt-000000000000000000', 'b'.repeat(64)),
    ]);
    const rows = await w.orm.em.fork().find(DeviceSchema, { mac: { $in: ['0015650000a1', '0015650000a2'] } });
    const hashOf = (mac: string) => rows.find((r) => r.mac === mac)?.appTokenHash;
    expect(hashOf('0015650000a1')).to.equal('a'.repeat(64));
    expect(hashOf('0015650000a2')).to.equal(`0015650000a2${'0'.repeat(52)}`); // its salt moved on: not written
    // A change committed before the lookup is in the snapshot read with that device.
    const pbx = await w.services.pbx.byContext('prov_a');
    const before = await store.snapshot(pbx.id, a!);
    const ext = before.extensions[0];
    await w.services.objects.update(SYSTEM, pbx.id, 'extensions', ext.id, { name: 'Changed Name' });
    const again = await store.deviceByMac('0015650000a1');
    const after = await store.snapshot(pbx.id, again!);
    expect(after.extensions.find((e) => e.id === ext.id)?.name).to.equal('Changed Name');
  });

  it('runs one device lookup at a time: requests arriving meanwhile share the next, which sees what they would', async () => {
    await addDevice('0015650000c1', 'salt-e-000000000000000000000000');
    await addDevice('0015650000c2', 'salt-f-000000000000000000000000');
    const store = new LiveProvisioningStore(w.orm, {} as ProvisioningStore);
    // Device lookups are the connection's queries that name MACs; the first one is held until the test lets it go.
    const connection = w.orm.em.getConnection();
    const execute = connection.execute;
    const queried: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => {
      started = r;
    });
    connection.execute = (async (...args: Parameters<typeof execute>) => {
      const params = (args[1] ?? []) as unknown[];
      if (typeof args[0] === 'string' && /\bmac in \(/.test(args[0])) {
        queried.push(params.map(String));
        if (queried.length === 1) {
          started();
          await gate;
        }
      }
      return execute.apply(connection, args);
    }) as typeof execute;
    try {
      const first = store.deviceByMac('0015650000c1');
      await firstStarted;
      // Committed while the first lookup runs, before these requests arrive: they must see it.
      const em = w.orm.em.fork();
      await em.nativeUpdate(DeviceSchema, { mac: '0015650000c2' }, { provisioningUsername: 'renamed-c2' });
      const later = [
        store.deviceByMac('0015650000c2'),
        store.deviceByMac('0015650000c1'),
        store.deviceByMac('0015650000c2'),
      ];
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(queried).to.have.length(1); // nothing else started while the first one ran
      release();
      const [a, ...rest] = await Promise.all([first, ...later]);
      // The second lookup: c1's id and row version (read whole by the first), then c2 whole.
      expect(queried).to.deep.equal([['0015650000c1'], ['0015650000c1'], ['0015650000c2']]);
      expect(a?.mac).to.equal('0015650000c1');
      expect(rest.map((d) => d?.provisioningUsername)).to.deep.equal(['renamed-c2', 'u0015650000c1', 'renamed-c2']);
      // One object for the requests of one lookup, frozen: none can change what another sees.
      expect(rest[0]).to.equal(rest[2]);
      expect(Object.isFrozen(rest[0]) && Object.isFrozen(rest[0]?.lineKeys)).to.equal(true);
      // Mapped exactly as the ORM's own find maps the row (dates as Dates, JSON columns as values).
      const [ref] = (await w.orm.em
        .getDriver()
        .find(DeviceSchema.meta.className, { mac: '0015650000c1' } as never)) as unknown as Record<string, unknown>[];
      for (const k of ['extensionIds', 'lineKeys'])
        if (typeof ref[k] === 'string') ref[k] = JSON.parse(ref[k] as string);
      expect({ ...rest[1] }).to.deep.equal(ref);
    } finally {
      connection.execute = execute;
    }
  });

  it('reads a known MAC again by id and row version only, and any write to its row by anyone is seen next time', async () => {
    await addDevice('0015650000e1', 'salt-i-000000000000000000000000');
    const store = new LiveProvisioningStore(w.orm, {} as ProvisioningStore);
    const connection = w.orm.em.getConnection();
    const execute = connection.execute;
    const whole: string[][] = [];
    const narrow: string[][] = [];
    connection.execute = ((...args: Parameters<typeof execute>) => {
      if (typeof args[0] === 'string' && /\bmac in \(/.test(args[0]))
        (/select d\.\*/.test(args[0]) ? whole : narrow).push(((args[1] ?? []) as unknown[]).map(String));
      return execute.apply(connection, args);
    }) as typeof execute;
    const sql = (text: string) => execute.call(connection, text);
    try {
      const first = await store.deviceByMac('0015650000e1');
      const again = await store.deviceByMac('0015650000e1');
      expect(again).to.equal(first);
      expect({ whole, narrow }).to.deep.equal({ whole: [['0015650000e1']], narrow: [['0015650000e1']] });
      // A plain SQL write, as another process or the CLI would make it: the next lookup reads the row whole.
      await sql("update device set provisioning_ha1 = 'abababababababababababababababab' where mac = '0015650000e1'");
      const changed = await store.deviceByMac('0015650000e1');
      expect(changed?.provisioningHa1).to.equal('ab'.repeat(16));
      expect(whole).to.have.length(2);
      // Last-seen bookkeeping is not a change: the kept row stays.
      await sql("update device set last_ip = '192.0.2.9' where mac = '0015650000e1'");
      expect(await store.deviceByMac('0015650000e1')).to.equal(changed);
      expect(whole).to.have.length(2);
      // The MAC moved to a new row (deleted and added again): a new id, read whole; deleted and gone: null.
      await sql("delete from device where mac = '0015650000e1'");
      expect(await store.deviceByMac('0015650000e1')).to.equal(null);
      await addDevice('0015650000e1', 'salt-j-000000000000000000000000');
      const readded = await store.deviceByMac('0015650000e1');
      expect(readded?.appTokenSalt).to.equal('salt-j-000000000000000000000000');
      expect(readded?.id).to.not.equal(changed?.id);
      await sql("delete from device where mac = '0015650000e1'");
      expect(await store.deviceByMac('0015650000e1')).to.equal(null);
    } finally {
      connection.execute = execute;
    }
  });

  it('reads device rows ahead in pages (the changed ones only, once kept), so a phone’s first lookup is a version check', async () => {
    await addDevice('0015650000f1', 'salt-k-000000000000000000000000');
    await addDevice('0015650000f2', 'salt-l-000000000000000000000000');
    const store = new LiveProvisioningStore(w.orm, {} as ProvisioningStore);
    const total = Number(
      ((await w.orm.em.getConnection().execute('select count(*) as n from device')) as { n: unknown }[])[0]?.n,
    );
    expect(await store.warmDevices(undefined, 3)).to.equal(total);
    const connection = w.orm.em.getConnection();
    const execute = connection.execute;
    const whole: string[] = [];
    connection.execute = ((...args: Parameters<typeof execute>) => {
      if (typeof args[0] === 'string' && /select d\.\*/.test(args[0])) whole.push(args[0]);
      return execute.apply(connection, args);
    }) as typeof execute;
    try {
      const [a, b] = await Promise.all([store.deviceByMac('0015650000f1'), store.deviceByMac('0015650000f2')]);
      expect([a?.appTokenSalt, b?.appTokenSalt]).to.deep.equal([
        'salt-k-000000000000000000000000',
        'salt-l-000000000000000000000000',
      ]);
      expect(whole).to.deep.equal([]);
    } finally {
      connection.execute = execute;
    }
    // Brought up to date again: only the rows that changed since are read whole.
    await w.orm.em.getConnection().execute("update device set label = 'moved' where mac = '0015650000f2'");
    expect(await store.warmDevices(undefined, 3)).to.equal(1);
    expect((await store.deviceByMac('0015650000f2'))?.label).to.equal('moved');
    expect(await store.warmDevices()).to.equal(0);
    const aborted = new AbortController();
    aborted.abort();
    expect(await new LiveProvisioningStore(w.orm, {} as ProvisioningStore).warmDevices(aborted.signal)).to.equal(0);
  });

  it('fails a lookup that hangs after its timeout and goes on with the next; a broken row fails only its phone', async () => {
    await addDevice('0015650000d1', 'salt-g-000000000000000000000000');
    await addDevice('0015650000d2', 'salt-h-000000000000000000000000');
    const store = new LiveProvisioningStore(w.orm, {} as ProvisioningStore, { lookupTimeoutMs: 50 });
    const connection = w.orm.em.getConnection();
    const execute = connection.execute;
    let hung = false;
    let sent = 0;
    let answerLate!: () => void;
    connection.execute = ((...args: Parameters<typeof execute>) => {
      if (typeof args[0] === 'string' && /\bmac in \(/.test(args[0])) {
        sent++;
        if (!hung) {
          hung = true;
          // Answers only when the test says so, long after the timeout.
          return new Promise((resolve) => {
            answerLate = () => resolve(execute.apply(connection, args));
          });
        }
      }
      return execute.apply(connection, args);
    }) as typeof execute;
    try {
      const err = await store.deviceByMac('0015650000d1').catch((e) => e);
      expect(String(err?.message)).to.contain('took more than 50 ms');
      // While that query has not ended, lookups fail at once without sending another one.
      const waiting = await store.deviceByMac('0015650000d1').catch((e) => e);
      expect(String(waiting?.message)).to.contain('did not answer');
      expect(sent).to.equal(1);
      answerLate();
      await new Promise((r) => setTimeout(r, 20));
      expect((await store.deviceByMac('0015650000d1'))?.mac).to.equal('0015650000d1');
    } finally {
      connection.execute = execute;
    }
    if (engine.name !== 'sqlite') return; // PostgreSQL's jsonb cannot hold broken JSON
    await w.orm.em.getConnection().execute("update device set line_keys = '[broken' where mac = '0015650000d2'");
    const [bad, good] = await Promise.allSettled([
      store.deviceByMac('0015650000d2'),
      store.deviceByMac('0015650000d1'),
    ]);
    expect(bad.status).to.equal('rejected');
    expect(good.status === 'fulfilled' && good.value?.mac).to.equal('0015650000d1');
  });

  it('writes the last-seen rows of many phones in one statement, hostile values intact, dates as the ORM stores them', async () => {
    await addDevice('0015650000b1', 'salt-c-000000000000000000000000');
    await addDevice('0015650000b2', 'salt-d-000000000000000000000000');
    const store = new LiveProvisioningStore(w.orm, {} as ProvisioningStore);
    const [a, b] = await Promise.all([store.deviceByMac('0015650000b1'), store.deviceByMac('0015650000b2')]);
    const at = new Date('2026-11-26T07:00:00.123Z');
    const hostile = "Yealink'; drop table device; --";
    await store.recordSeen(a!.id, { at, ip: '192.0.2.10', userAgent: hostile });
    await store.recordSeen(b!.id, { at: new Date(at.getTime() + 1000), ip: '2001:db8::1', userAgent: null });
    await store.flushSeen();
    const rows = await w.orm.em.fork().find(DeviceSchema, { mac: { $in: ['0015650000b1', '0015650000b2'] } });
    const row = (mac: string) => rows.find((r) => r.mac === mac)!;
    expect(row('0015650000b1').lastSeenAt?.getTime()).to.equal(at.getTime());
    expect(row('0015650000b1').lastIp).to.equal('192.0.2.10');
    expect(row('0015650000b1').lastUserAgent).to.equal(hostile);
    expect(row('0015650000b2').lastSeenAt?.getTime()).to.equal(at.getTime() + 1000);
    expect(row('0015650000b2').lastIp).to.equal('2001:db8::1');
    expect(row('0015650000b2').lastUserAgent).to.equal(null);
  });
});
