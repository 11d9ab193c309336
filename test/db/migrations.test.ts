// The committed migrations create exactly the schema the entities describe, on SQLite and on PostgreSQL.
import { expect } from 'chai';
import type { Orm } from '../../src/db';
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
    expect(executed.map((m) => m.name)).to.deep.equal([
      '0001-initial',
      '0002-audio-file-unique-name',
      '0003-portal-sessions-audit',
      '0004-api-tokens',
      '0005-audio-file-details',
      '0006-activity',
      '0008-services-part-two',
      '0009-services-part-b',
      '0010-mailbox-delete-after-email',
    ]);
    expect(await orm.getMigrator().up()).to.deep.equal([]);
  });
});
