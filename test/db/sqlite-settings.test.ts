// The embedded SQLite file is opened in WAL mode with foreign keys enforced (both were once silently skipped: the
// driver runs only the first statement of a multi-statement string), and several connections (the cluster's
// processes) write to it without failing each other's transactions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../src/db';

describe('SQLite file settings', () => {
  it('uses WAL and enforces foreign keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-sqlite-'));
    const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'db.sqlite') });
    try {
      const c = orm.em.getConnection();
      expect(await c.execute('pragma journal_mode')).to.deep.equal([{ journal_mode: 'wal' }]);
      expect(await c.execute('pragma foreign_keys')).to.deep.equal([{ foreign_keys: 1 }]);
    } finally {
      await orm.close(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite shared by several connections (the cluster)', () => {
  it("a transaction that reads, then writes after another connection's commit, waits instead of failing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-sqlite-'));
    const path = join(dir, 'db.sqlite');
    const a = await openDatabase({ url: null, sqlitePath: path });
    const b = await openDatabase({ url: null, sqlitePath: path, migrate: false });
    try {
      await a.em.getConnection().execute('create table counter (n integer not null)');
      await a.em.getConnection().execute('insert into counter (n) values (0)');
      let other: Promise<unknown> | null = null;
      await a.em.fork().transactional(async (em) => {
        const ctx = em.getTransactionContext();
        await em.getConnection().execute('select n from counter', [], 'all', ctx);
        // Another process writes meanwhile. With a deferred BEGIN its commit lands here and the write below fails
        // with SQLITE_BUSY at once (a read transaction cannot wait to become a write); with BEGIN IMMEDIATE it waits.
        other = b.em.getConnection().execute('update counter set n = n + 10', [], 'run');
        await new Promise((r) => setTimeout(r, 100));
        await em.getConnection().execute('update counter set n = n + 1', [], 'run', ctx);
      });
      await other;
      expect(await a.em.getConnection().execute('select n from counter')).to.deep.equal([{ n: 11 }]);
      expect(await b.em.getConnection().execute('pragma busy_timeout')).to.deep.equal([{ timeout: 5000 }]);
    } finally {
      await b.close(true);
      await a.close(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
