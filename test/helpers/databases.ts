// Runs a suite once per database engine: SQLite in memory and a fresh PostgreSQL database (when one is available).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Orm, openDatabase } from '../../src/db';

export interface Engine {
  name: 'sqlite' | 'postgresql';
  open(): Promise<Orm>;
}

export async function freshPostgresDatabase(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL as string;
  const name = `dialtone_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export const ENGINES: Engine[] = [
  { name: 'sqlite', open: () => openDatabase({ url: null, sqlitePath: ':memory:' }) },
  {
    name: 'postgresql',
    open: async () => openDatabase({ url: await freshPostgresDatabase() }),
  },
];

/** describe() the suite for each engine; the PostgreSQL run is skipped, with the reason, only when no server exists. */
export function forEachEngine(title: string, suite: (engine: Engine) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine.name}]`, () => {
      before(function () {
        if (engine.name !== 'postgresql' || process.env.TEST_DATABASE_URL) return;
        // CI installs PostgreSQL: there a missing server is a failure, never a quiet skip.
        if (process.env.CI) throw new Error('PostgreSQL tests cannot run: no TEST_DATABASE_URL and no server binaries');
        this.skip();
      });
      suite(engine);
    });
  }
}
