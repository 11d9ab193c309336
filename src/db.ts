// MikroORM start-up: SQLite by default (DATA_DIR/dialtone.sqlite), PostgreSQL when a URL is given; committed migrations run on open.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type MigrationObject, MikroORM, type Options } from '@mikro-orm/core';
import { ENTITIES } from './domain/model';
import { MIGRATION_NAMES } from './migrations/names';
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
  /**
   * Awaited after the ORM is loaded and set up, before the database is touched: a cluster worker loads and sets up
   * MikroORM while the primary still migrates, and connects once told the schema is ready.
   */
  beforeConnect?: () => Promise<void>;
}

export type Orm = MikroORM;

/** How long an SQLite connection waits for another process's write to finish before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Loads a CommonJS package with require(): import() of one goes through Node's ESM loader, which first scans the
 * package's entry for its exports (a tenth of a CLI command's start-up for the SQLite driver alone).
 */
const loadPackage = createRequire(import.meta.url);

// Drivers and the migrator are loaded only when used: the PostgreSQL driver is not needed on SQLite, the migrator
// not in processes that do not migrate (each costs start-up time).
export async function ormOptions(opts: DatabaseOptions): Promise<Options> {
  const migrate = opts.migrate ?? true;
  const extensions = migrate
    ? [(loadPackage('@mikro-orm/migrations') as typeof import('@mikro-orm/migrations')).Migrator]
    : [];
  const common: Options = {
    entities: ENTITIES,
    extensions,
    migrations: migrationOptions(migrate ? (await import('./migrations')).MIGRATIONS : []),
    subscribers: [new PbxRevisionSubscriber()],
    debug: opts.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
  };
  if (opts.url) {
    const { PostgreSqlDriver } = loadPackage('@mikro-orm/postgresql') as typeof import('@mikro-orm/postgresql');
    return { ...common, driver: PostgreSqlDriver, clientUrl: opts.url, dbName: undefined };
  }
  const { SqliteDriver } = loadPackage('@mikro-orm/sqlite') as typeof import('@mikro-orm/sqlite');
  return { ...common, driver: SqliteDriver, dbName: opts.sqlitePath ?? ':memory:' };
}

function migrationOptions(migrationsList: MigrationObject[]): NonNullable<Options['migrations']> {
  return {
    tableName: MIGRATIONS_TABLE,
    migrationsList,
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    silent: true,
  };
}

const MIGRATIONS_TABLE = 'dialtone_migrations';

/**
 * Whether every committed migration has run: then the migrator (with umzug and its command-line parser, a quarter of
 * a CLI command's start-up) is not loaded at all. A missing table (a new database) or any missing name: not up to date.
 */
async function schemaUpToDate(orm: MikroORM): Promise<boolean> {
  try {
    const rows = (await orm.em.getConnection().execute(`select name from ${MIGRATIONS_TABLE}`)) as Array<{
      name: string;
    }>;
    const done = new Set(rows.map((r) => r.name));
    return MIGRATION_NAMES.every((n) => done.has(n));
  } catch {
    return false;
  }
}

/** Runs the committed migrations that have not run yet (loading the migrator only now). */
async function migrate(orm: MikroORM): Promise<void> {
  const { Migrator } = loadPackage('@mikro-orm/migrations') as typeof import('@mikro-orm/migrations');
  const { MIGRATIONS } = await import('./migrations');
  orm.config.set('migrations', { ...orm.config.get('migrations'), ...migrationOptions(MIGRATIONS) });
  Migrator.register(orm);
  await orm.getMigrator().up();
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
  const options = await ormOptions({ ...opts, migrate: false });
  const orm = await MikroORM.init(opts.beforeConnect ? { ...options, connect: false } : options);
  try {
    if (opts.beforeConnect) {
      await opts.beforeConnect();
      await orm.connect();
    }
    if (!opts.url) {
      // One statement per call: the driver runs only the first statement of a string. WAL lets phones and xml_curl
      // read while the portal writes, and costs one fsync per commit instead of the rollback journal's several.
      const connection = orm.em.getConnection();
      await connection.execute('pragma foreign_keys = on');
      await connection.execute('pragma journal_mode = wal');
      await connection.execute(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      immediateTransactions(orm);
    }
    if ((opts.migrate ?? true) && !(await schemaUpToDate(orm))) await migrate(orm);
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
