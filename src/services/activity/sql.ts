// What differs between the engines for Activity's raw SQL: how an instant is bound and read back (SQLite keeps
// MikroORM datetimes as epoch milliseconds, PostgreSQL as timestamptz), and the 15-minute slot of a call's start.
import type { MikroORM } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

export interface Sql {
  pg: boolean;
  /** A bound parameter for an instant. */
  time(ms: number): number | Date;
  /** An instant read from a row. */
  ms(value: unknown): number;
  /** Integer 15-minute UTC slot (floor(epoch seconds / 900)) of a column. */
  slot(column: string): string;
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
}

const cache = new WeakMap<MikroORM, Sql>();

export function sqlFor(orm: MikroORM): Sql {
  let sql = cache.get(orm);
  if (!sql) {
    sql = build(orm);
    cache.set(orm, sql);
  }
  return sql;
}

function build(orm: MikroORM): Sql {
  const pg = orm.em.getPlatform() instanceof PostgreSqlPlatform;
  return {
    pg,
    time: pg ? (ms) => new Date(ms) : (ms) => ms,
    ms: (v) => (typeof v === 'number' ? v : v instanceof Date ? v.getTime() : Number(new Date(String(v)))),
    slot: pg ? (c) => `floor(extract(epoch from ${c}) / 900)::bigint` : (c) => `(${c} / 900000)`,
    query: async <T>(sql: string, params: unknown[]) =>
      (await orm.em.getConnection().execute(sql, params as never[], 'all')) as T[],
  };
}
