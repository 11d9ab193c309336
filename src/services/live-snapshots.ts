// Per-PBX snapshots for request-time readers (xml_curl, provisioning), fresh on every request:
// each request waits for a revision check that STARTED after it arrived (concurrent requests share it), and a PBX
// whose revision moved is re-read: the rows its change log names since the snapshot held (readChangesSince), or the
// whole PBX when the log cannot say. A committed change is therefore visible to the next request, on any node.
import type { MikroORM } from '@mikro-orm/core';
import type { PbxSnapshot } from '../domain/snapshot';
import { readChangesSince, readSnapshots } from './snapshot-reader';

export interface PbxRow {
  id: number;
  context: string;
  domain: string;
  revision: number;
}

export interface LiveEntry {
  snap: PbxSnapshot;
  revision: number;
  /** When the PBX was last read whole (patched entries keep their base's time). */
  readWholeAt: number;
  /** Rendered answers for this revision (cleared with it): key -> text. */
  memo: Map<string, string>;
}

/** How long patched snapshots are built on one read of the whole PBX (see entry()). */
const READ_WHOLE_MS = 10 * 60_000;

export class LiveSnapshots {
  private rows: PbxRow[] = [];
  private inFlight: Promise<PbxRow[]> | null = null;
  private queued: Promise<PbxRow[]> | null = null;
  private readonly entries = new Map<number, LiveEntry>();
  private readonly loading = new Map<number, Promise<LiveEntry>>();

  constructor(private readonly orm: MikroORM) {}

  /** The current list of PBXs with revisions, from a query that started after this call. */
  private fresh(): Promise<PbxRow[]> {
    if (!this.inFlight) {
      this.inFlight = this.query().finally(() => {
        this.inFlight = null;
      });
      return this.inFlight;
    }
    // A check is running but may have started before our caller's change committed: wait for the next one.
    if (!this.queued) {
      this.queued = this.inFlight.then(
        () => this.fresh(),
        () => this.fresh(),
      );
      this.queued.finally(() => {
        this.queued = null;
      });
    }
    return this.queued;
  }

  private async query(): Promise<PbxRow[]> {
    // The connection only: no EntityManager fork per check (this runs back to back under load).
    const rows = (await this.orm.em
      .getConnection()
      .execute('select id, context, domain, revision from pbx order by context')) as PbxRow[];
    this.rows = rows.map((r) => ({
      id: Number(r.id),
      context: r.context,
      domain: r.domain,
      revision: Number(r.revision),
    }));
    return this.rows;
  }

  private async entry(row: PbxRow): Promise<LiveEntry> {
    const have = this.entries.get(row.id);
    if (have && have.revision === row.revision) return have;
    const pending = this.loading.get(row.id);
    if (pending) {
      const e = await pending;
      if (e.revision >= row.revision) return e;
    }
    const load = (async () => {
      const em = this.orm.em.fork();
      // The rows changed since the snapshot held, when the change log can say which; else the whole PBX.
      const base = this.entries.get(row.id);
      const now = Date.now();
      // A row changed behind Dialtone's back (by hand, in the database) is in no change log: the whole PBX is read
      // again now and then, so such an edit shows after the next change at most READ_WHOLE_MS later.
      const patched =
        base && now - base.readWholeAt < READ_WHOLE_MS ? await readChangesSince(em, base.snap, row.revision) : null;
      const snap = patched ?? (await readSnapshots(em, { ids: [row.id] }))[0];
      // Keyed by the revision read with the snapshot, so a change racing the read is caught next time.
      const e: LiveEntry = {
        snap,
        revision: snap.pbx.revision,
        readWholeAt: patched && base ? base.readWholeAt : now,
        memo: new Map(),
      };
      this.entries.set(row.id, e);
      return e;
    })().finally(() => this.loading.delete(row.id));
    this.loading.set(row.id, load);
    return load;
  }

  /** The PBX rows (with revisions) from a check that started after this call, shared with concurrent callers. */
  rowsNow(): Promise<PbxRow[]> {
    return this.fresh();
  }

  /** The entry of a row rowsNow() returned: re-read only if that revision moved. */
  entryFor(row: PbxRow): Promise<LiveEntry> {
    return this.entry(row);
  }

  async byDomain(domain: string): Promise<LiveEntry | null> {
    const row = (await this.fresh()).find((r) => r.domain === domain.toLowerCase());
    return row ? this.entry(row) : null;
  }

  async byId(pbxId: number): Promise<LiveEntry | null> {
    const row = (await this.fresh()).find((r) => r.id === pbxId);
    return row ? this.entry(row) : null;
  }

  async byContext(context: string): Promise<LiveEntry | null> {
    const row = (await this.fresh()).find((r) => r.context === context);
    return row ? this.entry(row) : null;
  }

  async all(): Promise<LiveEntry[]> {
    const rows = await this.fresh();
    for (const id of this.entries.keys()) if (!rows.some((r) => r.id === id)) this.entries.delete(id);
    return Promise.all(rows.map((r) => this.entry(r)));
  }
}
