// Synchronous reads of the SQLite file for request-time hot paths (a phone's device row, its PBX's revision).
//
// The ORM's sqlite3 driver runs every query on libuv's thread pool through one connection: in a boot storm the
// provisioning server sat idle ~40% of the time waiting for those hops, and the queries of concurrent requests queued
// behind each other. A second, read-only better-sqlite3 connection to the same WAL database answers a primary-key or
// unique-index read in a few microseconds on the main thread, with no hop and no queue. WAL readers see every
// committed write and never wait for a writer, so freshness is that of a query started when the request is handled.
//
// Only for a SQLite file: PostgreSQL and an in-memory database (which a second connection cannot see) keep the
// batched async path. Rows come back with the ORM's own result mapping, so callers get what driver.find returns.
import type { EntityMetadata, MikroORM } from '@mikro-orm/core';
import { SqliteDriver } from '@mikro-orm/sqlite';
import Database from 'better-sqlite3';
import { DeviceSchema } from '../domain/model';
import type { PbxRow } from './live-snapshots';

export interface SyncReads {
  /**
   * The device row with this MAC mapped to property names (JSON columns still as stored) and its PBX's row (revision)
   * from the same read, or null when there is no such device. The objects returned are shared: never change them.
   */
  deviceByMac(mac: string): { device: Record<string, unknown>; pbx: PbxRow } | null;
  close(): void;
}

/**
 * How long a read may wait for a lock. WAL readers only meet one while a checkpoint restarts the log or after a crash;
 * the wait blocks the event loop, so it is short, and a read that times out throws (the caller falls back to async).
 */
const BUSY_TIMEOUT_MS = 20;
/** Device rows remembered between commits (one per phone of a big site; beyond this the map starts over). */
const MAX_REMEMBERED = 100_000;

/** Sync reads for this ORM's database, or null when it is not a SQLite file. */
export function openSyncReads(orm: MikroORM): SyncReads | null {
  if (!(orm.em.getDriver() instanceof SqliteDriver)) return null;
  const file = orm.config.get('dbName');
  if (!file || file === ':memory:' || file.startsWith('file:')) return null;
  return new SqliteSyncReads(orm, file);
}

interface PbxColumns {
  pbx__id: number;
  pbx__context: string;
  pbx__domain: string;
  pbx__revision: number;
}

class SqliteSyncReads implements SyncReads {
  private readonly db: Database.Database;
  private readonly device: Database.Statement<[string], Record<string, unknown> & PbxColumns>;
  private readonly meta: EntityMetadata;
  private readonly dataVersion: Database.Statement<[], number>;
  /** data_version when `rows` was last known good: any commit by another connection moves it. */
  private version = -1;
  private readonly rows = new Map<string, { device: Record<string, unknown>; pbx: PbxRow }>();

  constructor(
    private readonly orm: MikroORM,
    file: string,
  ) {
    this.db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    this.meta = orm.getMetadata().get(DeviceSchema.meta.className);
    const column = (prop: string) => this.meta.properties[prop as 'mac'].fieldNames[0];
    // One statement: each one opens a read transaction (~8 µs of locking here), so the join halves the cost.
    this.dataVersion = this.db.prepare<[], number>('pragma data_version').pluck();
    this.device = this.db.prepare(
      `select d.*, p.id as pbx__id, p.context as pbx__context, p.domain as pbx__domain, p.revision as pbx__revision ` +
        `from ${this.meta.tableName} d join pbx p on p.id = d.${column('pbxId')} where d.${column('mac')} = ?`,
    );
  }

  /**
   * Rows read since the last commit anywhere are reused: `pragma data_version` (~5 µs) tells whether any other
   * connection, in this process or another, committed since; if so every remembered row is dropped. A boot storm's
   * second and third fetch of a phone then cost a version check instead of a read (~15 µs) and a mapping.
   * Unknown MACs are never remembered (a flood of made-up ones cannot fill the map).
   */
  deviceByMac(mac: string): { device: Record<string, unknown>; pbx: PbxRow } | null {
    const version = this.dataVersion.get() as number;
    if (version !== this.version) {
      this.rows.clear();
      this.version = version;
    }
    const known = this.rows.get(mac);
    if (known) return known;
    const row = this.device.get(mac);
    if (!row) return null;
    const { pbx__id, pbx__context, pbx__domain, pbx__revision, ...device } = row;
    const found = {
      device: this.orm.em.getDriver().mapResult(device, this.meta) as Record<string, unknown>,
      pbx: { id: Number(pbx__id), context: pbx__context, domain: pbx__domain, revision: Number(pbx__revision) },
    };
    if (this.rows.size >= MAX_REMEMBERED) this.rows.clear();
    this.rows.set(mac, found);
    return found;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
