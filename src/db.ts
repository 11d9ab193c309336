// MikroORM start-up: SQLite by default (DATA_DIR/dialtone.sqlite), PostgreSQL when a URL is given; committed migrations run on open.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { ENTITIES } from './domain/model';
import { MIGRATIONS } from './migrations';
import { PbxRevisionSubscriber } from './revision-subscriber';

export interface DatabaseOptions {
  /** postgres://… or null for SQLite. */
  url: string | null;
  /** SQLite file path, or ':memory:'. Ignored for PostgreSQL. */
  sqlitePath?: string;
  debug?: boolean;
}

export type Orm = MikroORM;

export function ormOptions(opts: DatabaseOptions): Options {
  const common: Options = {
    entities: ENTITIES,
    extensions: [Migrator],
    subscribers: [new PbxRevisionSubscriber()],
    debug: opts.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      tableName: 'dialtone_migrations',
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  };
  if (opts.url) return { ...common, driver: PostgreSqlDriver, clientUrl: opts.url, dbName: undefined };
  return { ...common, driver: SqliteDriver, dbName: opts.sqlitePath ?? ':memory:' };
}

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openDatabase(opts: DatabaseOptions): Promise<Orm> {
  if (!opts.url && opts.sqlitePath && opts.sqlitePath !== ':memory:') {
    mkdirSync(join(opts.sqlitePath, '..'), { recursive: true });
  }
  const orm = await MikroORM.init(ormOptions(opts));
  try {
    if (!opts.url) {
      // One statement per call: the driver runs only the first statement of a string. WAL lets phones and xml_curl
      // read while the portal writes, and costs one fsync per commit instead of the rollback journal's several.
      const connection = orm.em.getConnection();
      await connection.execute('pragma foreign_keys = on');
      await connection.execute('pragma journal_mode = wal');
    }
    await orm.getMigrator().up();
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  return orm;
}

/** Cheap liveness probe for /healthz. */
export async function databaseAnswers(orm: Orm): Promise<boolean> {
  try {
    await orm.em.fork().getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
