// The embedded SQLite file is opened in WAL mode with foreign keys enforced (both were once silently skipped: the
// driver runs only the first statement of a multi-statement string).
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
