// What differs between the engines for Activity's raw SQL: how an instant is bound and read back (SQLite keeps
// MikroORM datetimes as epoch milliseconds, PostgreSQL as timestamptz), and a call's local day or hour.
import type { MikroORM } from '@mikro-orm/core';
import { isPostgres } from '../../db-platform';

export interface Sql {
  pg: boolean;
  /** A bound parameter for an instant. */
  time(ms: number): number | Date;
  /** An instant read from a row. */
  ms(value: unknown): number;
  /**
   * A column's local time in whole `unitMs` units (local days or hours since the epoch) and the offset (ms) it was
   * read with, given the zone's constant-offset pieces over the range queried: integers both, for GROUP BY.
   */
  localUnit(
    column: string,
    segments: Array<{ start: number; offsetMinutes: number }>,
    unitMs: number,
  ): {
    unit: string;
    offset: string;
    /** The offset is one number (no DST change in the range): not a GROUP BY term (a number there is a position). */
    constant: boolean;
  };
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
  const pg = isPostgres(orm.em.getPlatform());
  return {
    pg,
    time: pg ? (ms) => new Date(ms) : (ms) => ms,
    ms: (v) => (typeof v === 'number' ? v : v instanceof Date ? v.getTime() : Number(new Date(String(v)))),
    localUnit(column, segments, unitMs) {
      // date_part is double precision: extract() is numeric on PostgreSQL 14+, several times slower per row.
      const epoch = pg ? `(date_part('epoch', ${column}) * 1000)` : column;
      const int = (n: number) => String(Math.trunc(n));
      // Only integers this code computed are written into the SQL (no user input reaches it).
      const offset =
        segments.length === 1
          ? int(segments[0].offsetMinutes * 60_000)
          : `(case ${segments
              .slice(1)
              .map((s, i) => `when ${epoch} < ${int(s.start)} then ${int(segments[i].offsetMinutes * 60_000)}`)
              .join(' ')} else ${int(segments[segments.length - 1].offsetMinutes * 60_000)} end)`;
      const unit = pg
        ? `floor((${epoch} + ${offset}) / ${int(unitMs)})::bigint`
        : `((${epoch} + ${offset}) / ${int(unitMs)})`;
      return { unit, offset, constant: segments.length === 1 };
    },
    query: async <T>(sql: string, params: unknown[]) =>
      (await orm.em.getConnection().execute(sql, params as never[], 'all')) as T[],
  };
}
