// isPostgres tells the two engines apart without loading the PostgreSQL driver on SQLite.
import { expect } from 'chai';
import type { Orm } from '../../src/db';
import { isPostgres } from '../../src/db-platform';
import { forEachEngine } from '../helpers/databases';

forEachEngine('database platform', (engine) => {
  let orm: Orm;
  before(async () => {
    orm = await engine.open();
  });
  after(async () => orm?.close(true));

  it('says PostgreSQL exactly on PostgreSQL', () => {
    expect(isPostgres(orm.em.getPlatform())).to.equal(engine.name === 'postgresql');
  });
});
