// ProvisioningStore for a busy provisioning server (DeviceService underneath does the writes):
// - PBX snapshots from LiveSnapshots (plain rows, re-read only when the PBX's revision moves, one revision check shared
//   by concurrent requests) instead of hydrating every entity of the PBX on every request;
// - device lookups answered by one `mac IN (…)` query of plain rows for all requests that arrived since the previous
//   such query started, one query at a time (an ORM findOne with a fresh EntityManager costs ~1 ms of CPU; this is what
//   capped a boot storm at ~1,000 responses/s); a MAC whose row was read before is asked only for its id and
//   row_version (moved by a database trigger with every write to the row's other columns, migration 0012), and its
//   kept row is used while they hold: a phone's boot reads its whole row once, not once per file;
// - last-seen writes folded (a phone's boot of 3–5 fetches is one write) and batched: written shortly after, many rows
//   per statement (one ORM nativeUpdate per row cost ~2 ms of CPU each, the largest cost of a second boot storm).
//
// Freshness is unchanged where it matters: every request's device row (credentials, window) comes from a query that
// started after the request arrived, and so does the revision check of its snapshot (see live-snapshots.ts).
import type { MikroORM } from '@mikro-orm/core';
import { isPostgres } from '../db-platform';
import { NotFoundError } from '../domain/errors';
import { type Device, DeviceSchema, PbxSchema } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { ProvisioningLog, ProvisioningStore } from '../provisioning/store';
import { LiveSnapshots, type PbxRow } from './live-snapshots';
import { SqliteReader } from './sqlite-reader';

export interface LiveProvisioningStoreOptions {
  /** A phone's last-seen row is rewritten at most this often unless its address or User-Agent changed (default 60 s). */
  seenIntervalMs?: number;
  /** Last-seen updates wait this long to be written together (default 500 ms). */
  seenFlushMs?: number;
  /** Where a failed last-seen write is reported (it never fails a phone's request). */
  log?: ProvisioningLog;
  /** Share the snapshots xml_curl and the re-sync watcher already keep (one copy of a big PBX in memory, not two). */
  live?: LiveSnapshots;
  /**
   * A device lookup that has not answered after this long fails its requests (default 10 s): lookups run one at a
   * time, so one that hangs (a lock held by a migration) must not hold every later phone too.
   */
  lookupTimeoutMs?: number;
  /** SQLite: device lookups on a read-only connection of their own (default true; see sqlite-reader.ts). */
  ownConnection?: boolean;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Seen {
  at: number;
  ip: string;
  userAgent: string | null;
}

/** Bounds the last-seen memory: beyond this many phones it starts over (a few extra writes, no wrong answers). */
const MAX_SEEN = 200_000;
/** MACs per lookup query (well under SQLite's bound-parameter limit). */
const MAX_BATCH = 500;
/** Device rows kept between lookups; beyond this many it starts over (whole rows read again, no wrong answers). */
const MAX_KNOWN = 100_000;

/** A device row as last read whole: used again while the database still says this id and row_version. */
interface KnownDevice {
  id: number;
  version: number;
  device: Device;
}

/** A lookup's answer for one MAC: the device and its PBX's row, or why its row could not be read. */
type Found = { device: Device; pbx: PbxRow } | { error: unknown };

type Waiter = { resolve: (d: Device | null) => void; reject: (err: unknown) => void };
type TokenWrite = {
  salt: string;
  hash: string;
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
};

export class LiveProvisioningStore implements ProvisioningStore {
  private readonly live: LiveSnapshots;
  private readonly contexts = new Map<number, string>();
  private readonly seen = new Map<number, Seen>();
  private readonly seenIntervalMs: number;
  private readonly seenFlushMs: number;
  private readonly lookupTimeoutMs: number;
  private readonly log: ProvisioningLog;
  private unwritten = new Map<number, Seen>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly jsonProps: string[];
  private batch: Map<string, Waiter[]> | null = null;
  private lookingUp = false;
  /** Set while a lookup that timed out has not ended. */
  private stuck: Promise<void> | null = null;
  private tokenBatch: Map<number, TokenWrite> | null = null;
  /**
   * The PBX row (revision) read together with each device object handed out: snapshot() needs no second check. Kept
   * device objects are shared by the requests of one lookup and later ones: each holds the newest row read with it.
   */
  private readonly pbxRowOf = new WeakMap<Device, PbxRow>();
  /** Device rows read whole, by MAC (frozen: every request shares them). */
  private readonly known = new Map<string, KnownDevice>();
  /** SQLite: the lookups' own read-only connection (see sqlite-reader.ts), opened at the first lookup. */
  private reader: Promise<SqliteReader | null> | null = null;
  private readonly useReader: boolean;

  constructor(
    private readonly orm: MikroORM,
    private readonly inner: ProvisioningStore,
    options: LiveProvisioningStoreOptions = {},
  ) {
    this.live = options.live ?? new LiveSnapshots(orm);
    this.seenIntervalMs = options.seenIntervalMs ?? 60_000;
    this.seenFlushMs = options.seenFlushMs ?? 500;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 10_000;
    this.useReader = options.ownConnection ?? true;
    this.log = options.log ?? (() => {});
    // SQLite hands JSON columns back as text, PostgreSQL as values.
    this.jsonProps = Object.values(orm.getMetadata().get(DeviceSchema.meta.className).properties)
      .filter((p) => String(p.columnTypes?.[0] ?? '').startsWith('json'))
      .map((p) => p.name);
  }

  /**
   * Joins the next lookup. One lookup runs at a time: requests that arrive while it runs wait for the next one, which
   * starts when it ends (or once the requests being read now are all in, setImmediate, when none runs). Starting one
   * per event-loop turn instead queued dozens of 1–2-phone lookups on the single SQLite connection at a storm's start:
   * each waited 20–120 ms behind the others, which was most of the storm's p99.
   */
  deviceByMac(mac: string): Promise<Device | null> {
    return new Promise((resolve, reject) => {
      if (!this.batch) {
        this.batch = new Map();
        if (!this.lookingUp) setImmediate(() => void this.lookUp());
      }
      const waiting = this.batch.get(mac);
      if (waiting) waiting.push({ resolve, reject });
      else this.batch.set(mac, [{ resolve, reject }]);
    });
  }

  private async lookUp(): Promise<void> {
    const batch = this.batch ?? new Map<string, Waiter[]>();
    this.batch = null;
    this.lookingUp = true;
    try {
      await this.answer(batch);
    } finally {
      this.lookingUp = false;
      // Everything that arrived meanwhile: its lookup starts now, after those requests arrived.
      if (this.batch) void this.lookUp();
    }
  }

  private async answer(batch: Map<string, Waiter[]>): Promise<void> {
    const macs = [...batch.keys()];
    for (let i = 0; i < macs.length; i += MAX_BATCH) {
      const part = macs.slice(i, i + MAX_BATCH);
      let found: Map<string, Found>;
      try {
        found = await this.find(part);
      } catch (err) {
        for (const mac of part) for (const w of batch.get(mac) ?? []) w.reject(err);
        continue;
      }
      for (const mac of part) {
        const f = found.get(mac);
        // One unreadable row (say, broken JSON) fails its own phone, not the others.
        if (f && 'error' in f) for (const w of batch.get(mac) ?? []) w.reject(f.error);
        else {
          if (f) this.pbxRowOf.set(f.device, f.pbx);
          for (const w of batch.get(mac) ?? []) w.resolve(f ? f.device : null);
        }
      }
    }
  }

  /**
   * Brings the kept device rows up to date with the database, a page at a time between requests: every row's id and
   * row_version are read, and the rows not kept or changed since are read whole; then their PBXs' snapshots. Run at start-up and once the
   * background process's re-rendering goes quiet (its token writes move row versions): in a boot storm a phone's first
   * file may come to any process, and one that did not know the phone read its row whole, in a second query next to
   * the version check of the others. Returns how many rows it read whole.
   */
  async warmDevices(signal?: AbortSignal, pageSize = MAX_BATCH): Promise<number> {
    const { col, pbxFrom, versionColumns, pbxColumns } = this.names();
    const size = Math.max(1, Math.floor(pageSize));
    let after = 0;
    let read = 0;
    const pbxs = new Map<number, PbxRow>();
    while (!signal?.aborted) {
      const rows = await this.query(
        `select ${versionColumns}, ${pbxColumns} ${pbxFrom} where d.${col('id')} > ? order by d.${col('id')} limit ${size}`,
        [after],
        await this.ownReader(),
      );
      const stale: string[] = [];
      for (const r of rows) {
        after = Math.max(after, Number(r.dt_id));
        pbxs.set(Number(r.dt_pbx_id), {
          id: Number(r.dt_pbx_id),
          context: String(r.dt_pbx_context),
          domain: String(r.dt_pbx_domain),
          revision: Number(r.dt_pbx_revision),
        });
        const kept = this.known.get(String(r.dt_mac));
        if (!kept || kept.id !== Number(r.dt_id) || kept.version !== Number(r.dt_version)) stale.push(String(r.dt_mac));
      }
      if (stale.length > 0 && this.known.size + stale.length <= MAX_KNOWN) {
        for (const { device: row } of await this.rowsByMac(stale)) {
          read++;
          try {
            const device = this.device(row);
            this.known.set(device.mac, this.keep(device));
          } catch {
            // An unreadable row is read again (and fails) when its phone asks.
          }
        }
      }
      if (rows.length < size) break;
      await new Promise((r) => setImmediate(r));
    }
    // And the snapshots of their PBXs: a 10,000-extension PBX takes a few hundred ms to read, which the first phone
    // (and every phone behind it) would otherwise wait for.
    for (const row of pbxs.values()) {
      if (signal?.aborted) break;
      await this.live.entryFor(row).catch(() => null);
    }
    return read;
  }

  /**
   * The devices of these MACs as the database holds them now: known rows whose id and row_version still match are used
   * as kept; the others (new, changed, or never read) are read whole.
   */
  private async find(macs: string[]): Promise<Map<string, Found>> {
    const found = new Map<string, Found>();
    const unknown: string[] = [];
    const known: string[] = [];
    for (const mac of macs) (this.known.has(mac) ? known : unknown).push(mac);
    if (known.length > 0) {
      const versions = new Map((await this.versionsByMac(known)).map((v) => [v.mac, v]));
      for (const mac of known) {
        const v = versions.get(mac);
        const kept = this.known.get(mac);
        if (!v)
          this.known.delete(mac); // deleted since: no device
        else if (kept && kept.id === v.id && kept.version === v.version)
          found.set(mac, { device: kept.device, pbx: v.pbx });
        else unknown.push(mac);
      }
    }
    if (unknown.length === 0) return found;
    const rows = new Map((await this.rowsByMac(unknown)).map((r) => [r.device.mac as string, r]));
    for (const mac of unknown) {
      const row = rows.get(mac);
      if (!row) {
        this.known.delete(mac);
        continue;
      }
      try {
        const device = this.device(row.device);
        if (this.known.size >= MAX_KNOWN) this.known.clear();
        this.known.set(mac, this.keep(device));
        found.set(mac, { device, pbx: row.pbx });
      } catch (error) {
        this.known.delete(mac);
        found.set(mac, { error });
      }
    }
    return found;
  }

  private keep(device: Device): KnownDevice {
    return { id: device.id, version: Number(device.rowVersion), device };
  }

  /** The SQL names of Device's and Pbx's properties, worked out once. */
  private sqlNames: ReturnType<typeof this.readNames> | null = null;
  private names() {
    this.sqlNames ??= this.readNames();
    return this.sqlNames;
  }

  private readNames() {
    const meta = this.orm.getMetadata().get(DeviceSchema.meta.className);
    const pbxMeta = this.orm.getMetadata().get(PbxSchema.meta.className);
    const col = (prop: string) => meta.properties[prop as keyof typeof meta.properties].fieldNames[0] as string;
    const pcol = (prop: string) => pbxMeta.properties[prop as keyof typeof pbxMeta.properties].fieldNames[0] as string;
    const pbxFrom = `from ${meta.tableName} d join ${pbxMeta.tableName} p on p.${pcol('id')} = d.${col('pbxId')}`;
    const from = `${pbxFrom} where d.${col('mac')} in `;
    const pbxColumns =
      `p.${pcol('context')} as dt_pbx_context, p.${pcol('domain')} as dt_pbx_domain, ` +
      `p.${pcol('revision')} as dt_pbx_revision`;
    const versionColumns =
      `d.${col('mac')} as dt_mac, d.${col('id')} as dt_id, d.${col('rowVersion')} as dt_version, ` +
      `d.${col('pbxId')} as dt_pbx_id`;
    return { meta, col, from, pbxFrom, pbxColumns, versionColumns };
  }

  /** Id, row_version and PBX row of each MAC's device: a fraction of a whole row's cost to read and convert. */
  private async versionsByMac(
    macs: string[],
  ): Promise<Array<{ mac: string; id: number; version: number; pbx: PbxRow }>> {
    const { pbxColumns, versionColumns } = this.names();
    const rows = await this.byMacs(`select ${versionColumns}, ${pbxColumns}`, macs);
    return rows.map((r) => ({
      mac: String(r.dt_mac),
      id: Number(r.dt_id),
      version: Number(r.dt_version),
      pbx: {
        id: Number(r.dt_pbx_id),
        context: String(r.dt_pbx_context),
        domain: String(r.dt_pbx_domain),
        revision: Number(r.dt_pbx_revision),
      },
    }));
  }

  /**
   * Device rows, mapped to properties as the ORM's find maps them, each with its PBX's row (the revision its
   * snapshot is checked against) read by the same query: one database round trip per lookup, where a separate
   * revision check made two (the lookup is what a storm's requests wait for). The SQL is ours: the ORM's query
   * builder spent ~0.45 ms of the event loop per 100-phone lookup (1.2 ms against 0.78 ms measured).
   */
  private async rowsByMac(macs: string[]): Promise<Array<{ device: Record<string, unknown>; pbx: PbxRow }>> {
    const { meta, pbxColumns } = this.names();
    return this.mapRows(await this.byMacs(`select d.*, ${pbxColumns}`, macs), meta);
  }

  private mapRows(
    rows: Record<string, unknown>[],
    meta: ReturnType<typeof this.readNames>['meta'],
  ): Array<{ device: Record<string, unknown>; pbx: PbxRow }> {
    const driver = this.orm.em.getDriver();
    return rows.map(({ dt_pbx_context, dt_pbx_domain, dt_pbx_revision, ...r }) => {
      const device = driver.mapResult(r, meta) as Record<string, unknown>;
      const pbx = {
        id: Number(device.pbxId),
        context: String(dt_pbx_context),
        domain: String(dt_pbx_domain),
        revision: Number(dt_pbx_revision),
      };
      return { device, pbx };
    });
  }

  /**
   * `select … from device d join pbx p … where d.mac in <macs>`: on the own connection one statement for any number of
   * MACs (a JSON array parameter), prepared once; on the ORM's connection one placeholder per MAC.
   */
  private async byMacs(select: string, macs: string[]): Promise<Record<string, unknown>[]> {
    const { from } = this.names();
    const reader = await this.ownReader();
    if (reader) {
      try {
        return await this.query(`${select} ${from}(select value from json_each(?))`, [JSON.stringify(macs)], reader);
      } catch (err) {
        if (this.stuck) throw err;
        // The own connection failed (its file replaced, a read-only WAL it cannot recover): the ORM's connection
        // answers from now on, this query included.
        this.log('warn', 'provisioning: device lookups move to the main database connection', { err });
        this.reader = Promise.resolve(null);
        void reader.close().catch(() => {});
      }
    }
    return this.query(`${select} ${from}(${macs.map(() => '?').join(', ')})`, macs, null);
  }

  private ownReader(): Promise<SqliteReader | null> {
    if (!this.useReader) return Promise.resolve(null);
    this.reader ??= SqliteReader.open(this.orm);
    return this.reader;
  }

  /** Closes the lookups' own connection, after writing the last-seen rows still waiting (before the database closes). */
  async close(): Promise<void> {
    await this.flushSeen();
    const reader = await this.reader;
    this.reader = Promise.resolve(null);
    await reader?.close();
  }

  /** One lookup query, failed after lookupTimeoutMs (see stuck). */
  private async query(
    sql: string,
    params: unknown[],
    reader: SqliteReader | null = null,
  ): Promise<Record<string, unknown>[]> {
    // A lookup that timed out may still hold a connection: until it ends, fail at once instead of sending more
    // queries after it (on PostgreSQL each would hold another pool connection until the portal starved too).
    if (this.stuck) throw new Error('device lookups wait for an earlier query that did not answer');
    const work = reader ? reader.all(sql, params) : this.orm.em.getConnection().execute(sql, params);
    let settled = false;
    work.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    return (await withTimeout(work, this.lookupTimeoutMs, 'device lookup').catch((err) => {
      if (!settled)
        this.stuck ??= work.then(
          () => {
            this.stuck = null;
          },
          () => {
            this.stuck = null;
          },
        );
      throw err;
    })) as Record<string, unknown>[];
  }

  /** The row as a Device, JSON columns parsed, frozen through its JSON values: every request of the phone shares it. */
  private device(row: Record<string, unknown>): Device {
    const d: Record<string, unknown> = { ...row };
    for (const k of this.jsonProps) if (typeof d[k] === 'string') d[k] = JSON.parse(d[k] as string);
    for (const k of this.jsonProps) deepFreeze(d[k]);
    return Object.freeze(d) as unknown as Device;
  }

  /** The same object for every call until the PBX's revision moves (CachedProvisioningFiles keys its memo on it). */
  async snapshot(pbxId: number, device?: Device): Promise<PbxSnapshot> {
    const row = device ? this.pbxRowOf.get(device) : undefined;
    if (row && row.id === pbxId) {
      const entry = await this.live.entryFor(row);
      if (entry.snap.pbx.id === pbxId) return entry.snap;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const context = this.contexts.get(pbxId) ?? (await this.contextOf(pbxId));
      const entry = context === null ? null : await this.live.byContext(context);
      if (entry && entry.snap.pbx.id === pbxId) return entry.snap;
      // The context (which never changes) was cached for a PBX since deleted: look it up once more.
      this.contexts.delete(pbxId);
    }
    throw new NotFoundError(`PBX #${pbxId} does not exist`);
  }

  private async contextOf(pbxId: number): Promise<string | null> {
    const rows = (await this.orm.em.getConnection().execute('select context from pbx where id = ?', [pbxId])) as {
      context: string;
    }[];
    const context = rows[0]?.context ?? null;
    if (context !== null) this.contexts.set(pbxId, context);
    return context;
  }

  /** Remembered now, written with others within `seenFlushMs` (call flushSeen() before closing the database). */
  async recordSeen(deviceId: number, seen: { at: Date; ip: string; userAgent: string | null }): Promise<void> {
    const last = this.seen.get(deviceId);
    const at = seen.at.getTime();
    if (last && last.ip === seen.ip && last.userAgent === seen.userAgent && at - last.at < this.seenIntervalMs) return;
    if (this.seen.size >= MAX_SEEN) this.seen.clear();
    const row = { at, ip: seen.ip.slice(0, 45), userAgent: seen.userAgent?.slice(0, 255) ?? null };
    this.seen.set(deviceId, { at, ip: seen.ip, userAgent: seen.userAgent });
    this.unwritten.set(deviceId, row);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flushSeen(), this.seenFlushMs);
      this.flushTimer.unref();
    }
  }

  /** Writes every remembered last-seen now; resolves when they (and any write in progress) are stored. */
  flushSeen(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const rows = [...this.unwritten];
    this.unwritten = new Map();
    this.flushing = this.flushing.then(() => this.write(rows));
    return this.flushing;
  }

  /**
   * One UPDATE per 500 phones, joined to a VALUES list (SQLite 3.33+ and PostgreSQL both take UPDATE … FROM). The
   * ORM's nativeUpdateMany spent ~30 µs of CPU per row building a CASE per column, which the database then evaluated
   * once per row (quadratic in the batch). Values go through MikroORM's execute, which writes them as escaped
   * literals (platform.formatQuery; a hostile User-Agent is tested); dates in the platform's own form.
   */
  private async write(rows: [number, Seen][]): Promise<void> {
    const meta = this.orm.getMetadata().get(DeviceSchema.meta.className);
    const col = (prop: string) => meta.properties[prop as keyof typeof meta.properties].fieldNames[0];
    const platform = this.orm.em.getPlatform();
    // PostgreSQL types bound parameters in VALUES as text unless told: the first row says what each column holds.
    const pg = isPostgres(platform);
    const first = pg
      ? '(cast(? as integer), cast(? as timestamptz), cast(? as varchar), cast(? as varchar))'
      : '(?, ?, ?, ?)';
    const table = meta.tableName;
    for (let i = 0; i < rows.length; i += MAX_BATCH) {
      const part = rows.slice(i, i + MAX_BATCH);
      const params = part.flatMap(([deviceId, s]) => [
        deviceId,
        platform.processDateProperty(new Date(s.at)),
        s.ip,
        s.userAgent,
      ]);
      const values = [first, ...part.slice(1).map(() => '(?, ?, ?, ?)')].join(', ');
      const sql =
        `with seen (id, at, ip, ua) as (values ${values}) ` +
        `update ${table} set ${col('lastSeenAt')} = seen.at, ${col('lastIp')} = seen.ip, ` +
        `${col('lastUserAgent')} = seen.ua from seen where ${table}.${col('id')} = seen.id`;
      try {
        await this.orm.em.getConnection().execute(sql, params, 'run');
      } catch (err) {
        // Informational only: forget them so the next fetch of these phones tries again.
        for (const [deviceId] of part) this.seen.delete(deviceId);
        this.log('warn', 'provisioning: last-seen update failed', { phones: part.length, err });
      }
    }
  }

  consumeWindow(deviceId: number, now: Date, newHa1: string): Promise<boolean> {
    return this.inner.consumeWindow(deviceId, now, newHa1);
  }

  /**
   * Joins the other phones' token hashes stored in this turn of the event loop: one UPDATE for all of them. A first
   * boot storm renders every phone's config once, and one write per phone queued them behind each other on the
   * database (the requests still wait for their row to be written, as before). Each row is written only while its
   * salt is the one the token was made from, in the same statement, so a rotation in between still wins.
   */
  storeAppTokenHash(deviceId: number, salt: string, hash: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.tokenBatch) {
        this.tokenBatch = new Map();
        setImmediate(() => void this.writeTokenHashes());
      }
      const pending = this.tokenBatch.get(deviceId);
      const waiters = pending?.waiters ?? [];
      waiters.push({ resolve, reject });
      this.tokenBatch.set(deviceId, { salt, hash, waiters });
    });
  }

  private async writeTokenHashes(): Promise<void> {
    const batch = [...(this.tokenBatch ?? new Map<number, TokenWrite>())];
    this.tokenBatch = null;
    const meta = this.orm.getMetadata().get(DeviceSchema.meta.className);
    const col = (prop: string) => meta.properties[prop as keyof typeof meta.properties].fieldNames[0];
    const [id, salt, hash] = [col('id'), col('appTokenSalt'), col('appTokenHash')];
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const part = batch.slice(i, i + MAX_BATCH);
      const params: unknown[] = [];
      const cases = part.map(([deviceId, w]) => {
        params.push(deviceId, w.salt, w.hash);
        return `when ${id} = ? and ${salt} = ? then ?`;
      });
      params.push(...part.map(([deviceId]) => deviceId));
      const sql =
        `update ${meta.tableName} set ${hash} = case ${cases.join(' ')} else ${hash} end ` +
        `where ${id} in (${part.map(() => '?').join(', ')})`;
      try {
        await this.orm.em.getConnection().execute(sql, params, 'run');
        for (const [, w] of part) for (const waiter of w.waiters) waiter.resolve();
      } catch (err) {
        for (const [, w] of part) for (const waiter of w.waiters) waiter.reject(err);
      }
    }
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}
