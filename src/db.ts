// MikroORM start-up: SQLite by default (DATA_DIR/dialtone.sqlite), PostgreSQL when a URL is given; committed migrations run on open.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { ENTITIES } from './domain/model';
import { MIGRATIONS } from './migrations';
import { PbxRevisionSubscriber } from './revision-subscriber';

export interface DatabaseOptions {
  /** postgres://… or null for SQLite. */
  url: string | null;
  /** SQLite file path, or ':memory:'. Ignored for PostgreSQL. */
  sqlitePath?: string;
  debug?: boolean;
  /**
   * Bring the schema up to date (default). Processes that start after one that migrated (the cluster's workers) pass
   * false and skip loading the migrator.
   */
  migrate?: boolean;
}

export type Orm = MikroORM;

/** How long an SQLite connection waits for another process's write to finish before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

// Drivers and the migrator are loaded only when used: the PostgreSQL driver is not needed on SQLite, the migrator
// not in processes that do not migrate (each costs start-up time).
export async function ormOptions(opts: DatabaseOptions): Promise<Options> {
  const migrate = opts.migrate ?? true;
  const extensions = migrate ? [(await import('@mikro-orm/migrations')).Migrator] : [];
  const common: Options = {
    entities: ENTITIES,
    extensions,
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
  if (opts.url) {
    const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
    return { ...common, driver: PostgreSqlDriver, clientUrl: opts.url, dbName: undefined };
  }
  const { SqliteDriver } = await import('@mikro-orm/sqlite');
  return { ...common, driver: SqliteDriver, dbName: opts.sqlitePath ?? ':memory:' };
}

interface KnexTransaction {
  begin(connection: unknown): Promise<unknown>;
  query(connection: unknown, sql: string): Promise<unknown>;
}

/**
 * SQLite transactions take the write lock when they begin (BEGIN IMMEDIATE), waiting up to the busy timeout for
 * another process's write. Several processes share the file (the cluster's workers, the CLI), and a transaction that
 * began with a read (knex's BEGIN is deferred) cannot wait when it later writes after another process committed: SQLite
 * fails it at once with SQLITE_BUSY, which an administrator would see as a failed save during a boot storm's last-seen
 * writes. Nested transactions (savepoints) are unchanged.
 */
function immediateTransactions(orm: MikroORM): void {
  const client = (orm.em.getConnection() as unknown as { getKnex(): { client: Record<string, unknown> } }).getKnex()
    .client as { transaction: (...args: unknown[]) => KnexTransaction };
  const create = client.transaction.bind(client);
  client.transaction = (...args: unknown[]) => {
    const trx = create(...args);
    // begin() runs after the connection is acquired (a later microtask), so replacing it here is in time.
    trx.begin = (connection) => trx.query(connection, 'BEGIN IMMEDIATE;');
    return trx;
  };
}

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openDatabase(opts: DatabaseOptions): Promise<Orm> {
  if (!opts.url && opts.sqlitePath && opts.sqlitePath !== ':memory:') {
    mkdirSync(join(opts.sqlitePath, '..'), { recursive: true });
  }
  const orm = await MikroORM.init(await ormOptions(opts));
  try {
    if (!opts.url) {
      // One statement per call: the driver runs only the first statement of a string. WAL lets phones and xml_curl
      // read while the portal writes, and costs one fsync per commit instead of the rollback journal's several.
      const connection = orm.em.getConnection();
      await connection.execute('pragma foreign_keys = on');
      await connection.execute('pragma journal_mode = wal');
      await connection.execute(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      immediateTransactions(orm);
    }
    if (opts.migrate ?? true) await orm.getMigrator().up();
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
