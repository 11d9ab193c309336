// Keeps phone files pre-rendered after PBX changes, as start-up pre-rendering does after a restart: a PBX whose
// revision moved and then stayed still for `quietMs` has its phones' files rendered again in the background (only
// files whose phone config changed are re-rendered; the rest are re-confirmed by hash). Phones an installer just
// added (`device add`, any process) or phones a change re-synced then find their files ready.
//
// Waiting for a quiet PBX keeps an administrator's burst of edits from re-checking a big PBX after every save.

export interface PbxRevision {
  id: number;
  revision: number;
}

export interface PrerenderAfterChangesDeps {
  /** Every PBX with its current revision (a fresh read). */
  revisions: () => Promise<PbxRevision[]>;
  /** Renders the PBX's phone files (CachedProvisioningFiles.warm); returns how many it looked at. */
  warm: (pbxId: number, signal?: AbortSignal) => Promise<number>;
  /** How long a PBX's revision must stay unchanged before its files are rendered (default 10 s). */
  quietMs?: number;
  now?: () => number;
  log?: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

export class PrerenderAfterChanges {
  /** Revision whose files are rendered, per PBX. */
  private readonly warmed = new Map<number, number>();
  /** Latest revision seen per PBX and when it was first seen. */
  private readonly pending = new Map<number, { revision: number; since: number }>();
  private running: Promise<number> | null = null;
  private readonly quietMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: PrerenderAfterChangesDeps) {
    this.quietMs = deps.quietMs ?? 10_000;
    this.now = deps.now ?? Date.now;
  }

  /** These revisions' files are already rendered (start-up pre-rendering began after they were read). */
  markWarmed(rows: PbxRevision[]): void {
    for (const r of rows) this.warmed.set(r.id, r.revision);
  }

  /** One pass (a pass already running is joined, not doubled). Returns how many files it looked at. */
  tick(signal?: AbortSignal): Promise<number> {
    this.running ??= this.pass(signal).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(signal?: AbortSignal): Promise<number> {
    const rows = await this.deps.revisions();
    const now = this.now();
    const ids = new Set(rows.map((r) => r.id));
    for (const id of [...this.warmed.keys()]) if (!ids.has(id)) this.warmed.delete(id);
    for (const id of [...this.pending.keys()]) if (!ids.has(id)) this.pending.delete(id);
    let files = 0;
    for (const row of rows) {
      if (signal?.aborted) break;
      if (this.warmed.get(row.id) === row.revision) {
        this.pending.delete(row.id);
        continue;
      }
      const seen = this.pending.get(row.id);
      if (!seen || seen.revision !== row.revision) {
        this.pending.set(row.id, { revision: row.revision, since: now });
        continue;
      }
      if (now - seen.since < this.quietMs) continue;
      try {
        // Marked with the revision read before rendering: a change during the render is rendered next time.
        files += await this.deps.warm(row.id, signal);
        this.warmed.set(row.id, row.revision);
        this.pending.delete(row.id);
      } catch (err) {
        this.deps.log?.('warn', 'provisioning: re-rendering after a change failed', { pbxId: row.id, err });
      }
    }
    if (files) this.deps.log?.('info', 'provisioning: phone files re-rendered after changes', { files });
    return files;
  }
}
