// The committed migrations create exactly the schema the entities describe, on SQLite and on PostgreSQL.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Orm, openDatabase } from '../../src/db';
import { MIGRATIONS } from '../../src/migrations';
import { MIGRATION_NAMES } from '../../src/migrations/names';
import { forEachEngine } from '../helpers/databases';

forEachEngine('migrations', (engine) => {
  let orm: Orm;
  before(async () => {
    orm = await engine.open();
  });
  after(async () => orm?.close(true));

  it('leave no difference between the database and the entity definitions', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).to.equal('');
  });

  it('are recorded, so running them again changes nothing', async () => {
    const executed = await orm.getMigrator().getExecutedMigrations();
    expect(executed.map((m) => m.name)).to.deep.equal([...MIGRATION_NAMES]);
    expect(await orm.getMigrator().up()).to.deep.equal([]);
  });
});

describe('migration names', () => {
  it('names.ts lists exactly the committed migrations, in order (db.ts skips the migrator when all have run)', () => {
    expect(MIGRATIONS.map((m) => m.name)).to.deep.equal([...MIGRATION_NAMES]);
  });

  it('a database opened again is left as it is, and one missing a migration record is migrated on open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-migrate-'));
    try {
      const path = join(dir, 'db.sqlite');
      const first = await openDatabase({ url: null, sqlitePath: path });
      await first.close(true);
      const again = await openDatabase({ url: null, sqlitePath: path });
      const c = again.em.getConnection();
      expect((await c.execute('select count(*) as n from dialtone_migrations'))[0].n).to.equal(MIGRATION_NAMES.length);
      // As if the last migration had never run: its record gone and its column not there.
      await c.execute("delete from dialtone_migrations where name = '0010-mailbox-delete-after-email'");
      await c.execute('alter table mailbox drop column delete_after_email');
      await again.close(true);
      const third = await openDatabase({ url: null, sqlitePath: path });
      expect(await third.schema.getUpdateSchemaSQL({ wrap: false })).to.equal('');
      await third.close(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
