// A read-only SQLite connection of its own, with prepared statements kept, for the few fixed queries a boot storm
// makes per request (device lookups). Through the ORM each query cost ~420 µs of CPU (knex's pool, query building,
// a fresh statement parsed each time): ~125 µs here for 30 phones. A connection of its own sees only committed data
// (WAL: each statement reads the latest commit), exactly what the ORM's connection shows outside a transaction, and
// never runs inside a transaction the portal has open on that one. Null where it cannot be: PostgreSQL, or an
// in-memory database (tests) that a second connection would not see.
import type { MikroORM } from '@mikro-orm/core';
import { isPostgres } from '../db-platform';

interface Sqlite3Statement {
  all(params: unknown[], callback: (err: Error | null, rows: Record<string, unknown>[]) => void): void;
  finalize(callback: () => void): void;
}
interface Sqlite3Database {
  prepare(sql: string, callback: (err: Error | null) => void): Sqlite3Statement;
  exec(sql: string, callback: (err: Error | null) => void): void;
  close(callback: (err: Error | null) => void): void;
}
interface Sqlite3Module {
  Database: new (path: string, mode: number, callback: (err: Error | null) => void) => Sqlite3Database;
  OPEN_READONLY: number;
}

export class SqliteReader {
  private readonly statements = new Map<string, Promise<Sqlite3Statement>>();
  private closed = false;

  private constructor(private readonly db: Sqlite3Database) {}

  /** A reader of the ORM's SQLite file, or null (PostgreSQL, in-memory, or it cannot be opened). */
  static async open(orm: MikroORM, busyTimeoutMs = 5000): Promise<SqliteReader | null> {
    if (isPostgres(orm.em.getPlatform())) return null;
    const path = orm.config.get('dbName');
    if (!path || path === ':memory:' || path.startsWith('file:')) return null;
    // The driver the ORM itself loaded (knex's client holds it): no second copy of the native module.
    const knex = (orm.em.getConnection() as unknown as { getKnex(): { client: { driver?: Sqlite3Module } } }).getKnex();
    const sqlite3 = knex.client.driver;
    if (!sqlite3?.Database) return null;
    const module = sqlite3;
    try {
      const db = await new Promise<Sqlite3Database>((resolve, reject) => {
        const opened: Sqlite3Database = new module.Database(path, module.OPEN_READONLY, (err) =>
          err ? reject(err) : resolve(opened),
        );
      });
      await new Promise<void>((resolve, reject) =>
        db.exec(`pragma busy_timeout = ${Math.floor(busyTimeoutMs)}`, (err) => (err ? reject(err) : resolve())),
      );
      return new SqliteReader(db);
    } catch {
      return null;
    }
  }

  /** The rows of `sql` (prepared once per text: callers pass a few fixed texts) with these parameters. */
  async all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    if (this.closed) throw new Error('the SQLite reader is closed');
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = new Promise<Sqlite3Statement>((resolve, reject) => {
        const s: Sqlite3Statement = this.db.prepare(sql, (err) => (err ? reject(err) : resolve(s)));
      });
      this.statements.set(sql, statement);
      statement.catch(() => this.statements.delete(sql));
    }
    const s = await statement;
    return new Promise((resolve, reject) => s.all(params, (err, rows) => (err ? reject(err) : resolve(rows))));
  }

  /** Finalizes the statements and closes the connection (the ORM's is the caller's to close). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const statement of this.statements.values()) {
      const s = await statement.catch(() => null);
      if (s) await new Promise<void>((resolve) => s.finalize(resolve));
    }
    this.statements.clear();
    await new Promise<void>((resolve) => this.db.close(() => resolve()));
  }
}
