// The device lookups' own read-only SQLite connection: committed data only, prepared statements kept, closed cleanly;
// none where a second connection cannot see the database (in memory) or on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Orm, openDatabase } from '../../src/db';
import { DeviceSchema } from '../../src/domain/model';
import type { ProvisioningStore } from '../../src/provisioning/store';
import { createServices } from '../../src/services';
import { LiveProvisioningStore } from '../../src/services/live-provisioning-store';
import { SqliteReader } from '../../src/services/sqlite-reader';
import { makePbx } from '../helpers/services';

describe('SqliteReader', () => {
  let dir: string;
  let orm: Orm;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-reader-'));
    orm = await openDatabase({ url: null, sqlitePath: join(dir, 'db.sqlite') });
  });
  after(async () => {
    await orm?.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is none for an in-memory database', async () => {
    const memory = await openDatabase({ url: null, sqlitePath: ':memory:' });
    try {
      expect(await SqliteReader.open(memory)).to.equal(null);
    } finally {
      await memory.close(true);
    }
  });

  it('reads what is committed, never what a transaction on the ORM’s connection has not committed', async () => {
    const reader = (await SqliteReader.open(orm)) as SqliteReader;
    expect(reader).to.not.equal(null);
    const conn = orm.em.getConnection();
    await conn.execute('create table reader_probe (v text)');
    await conn.execute("insert into reader_probe (v) values ('committed')");
    const read = async () =>
      (await reader.all('select v from reader_probe where v in (select value from json_each(?)) order by v', [
        JSON.stringify(['committed', 'pending']),
      ])) as { v: string }[];
    expect((await read()).map((r) => r.v)).to.deep.equal(['committed']);
    await orm.em.fork().transactional(async (em) => {
      await em
        .getConnection()
        .execute("insert into reader_probe (v) values ('pending')", [], 'run', em.getTransactionContext());
      expect((await read()).map((r) => r.v)).to.deep.equal(['committed']);
    });
    expect((await read()).map((r) => r.v)).to.deep.equal(['committed', 'pending']);
    // Read-only: a write through it fails rather than bypass the application's rules.
    const err = await reader.all("insert into reader_probe (v) values ('x')", []).catch((e) => e);
    expect(String(err)).to.match(/readonly|read-only/i);
    await reader.close();
    expect(String(await reader.all('select 1', []).catch((e) => e))).to.contain('closed');
  });

  it('serves the provisioning store’s lookups on a file database, and the store closes it', async () => {
    const services = createServices(orm, { profileIds: new Set(['yealink-t54w']) });
    const { pbx } = await makePbx(services, 'reader');
    const em = orm.em.fork();
    em.create(DeviceSchema, {
      pbxId: pbx.id,
      mac: '805ec0aa0001',
      profileId: 'yealink-t54w',
      label: null,
      extensionIds: [],
      lineKeys: [],
      provisioningUsername: 'reader1',
      provisioningHa1: '0'.repeat(32),
      armedUntil: null,
      appTokenSalt: 's'.repeat(32),
      appTokenHash: 'a'.repeat(64),
      lastSeenAt: null,
      lastIp: null,
      lastUserAgent: null,
    });
    await em.flush();
    const store = new LiveProvisioningStore(orm, {} as ProvisioningStore);
    const conn = orm.em.getConnection();
    const execute = conn.execute;
    let ormLookups = 0;
    conn.execute = ((...args: Parameters<typeof execute>) => {
      if (typeof args[0] === 'string' && /\bmac in \(/.test(args[0])) ormLookups++;
      return execute.apply(conn, args);
    }) as typeof execute;
    try {
      expect((await store.deviceByMac('805ec0aa0001'))?.provisioningUsername).to.equal('reader1');
      await orm.em.fork().nativeUpdate(DeviceSchema, { mac: '805ec0aa0001' }, { label: 'Desk' });
      expect((await store.deviceByMac('805ec0aa0001'))?.label).to.equal('Desk');
      expect(await store.deviceByMac('805ec0aaffff')).to.equal(null);
      expect(ormLookups).to.equal(0);
    } finally {
      conn.execute = execute;
    }
    await store.close();
  });

  it('moves the lookups to the ORM’s connection when its own fails, and answers that lookup too', async () => {
    const logged: string[] = [];
    const store = new LiveProvisioningStore(orm, {} as ProvisioningStore, { log: (_l, msg) => logged.push(msg) });
    let failed = 0;
    (store as unknown as { reader: Promise<unknown> }).reader = Promise.resolve({
      all: async () => {
        failed++;
        throw new Error('disk I/O error');
      },
      close: async () => {},
    });
    expect((await store.deviceByMac('805ec0aa0001'))?.provisioningUsername).to.equal('reader1');
    expect((await store.deviceByMac('805ec0aa0001'))?.label).to.equal('Desk');
    expect(failed).to.equal(1);
    expect(logged).to.deep.equal(['provisioning: device lookups move to the main database connection']);
    await store.close();
  });
});
