// Bumps pbx.revision in the same flush as any change to a PBX or an object inside it, whatever code path made it.
// Readers that cache per PBX (xml_curl, provisioning) compare one integer instead of trusting in-process events,
// so a change made on another node of a cluster is seen on the next request too.
//
// Each bump also logs which rows it changed (pbx_change, see domain/model/pbx-change.ts): a reader holding the
// snapshot of revision r re-reads only the rows logged for r+1 … now. The rows are logged *before* the revision moves,
// labelled with the revision it will move to: whoever sees revision R finds every row logged for it. Writers racing
// can mislabel (two take the same label); then some revision in the range has no label, and the reader (which
// checks that every revision of the range is labelled) re-reads the whole PBX: slower, never wrong.
import type { Connection, EntityManager, EventSubscriber, FlushEventArgs, Transaction } from '@mikro-orm/core';

/** Rows one revision may log one by one; past this it logs "*" (re-read the PBX), as a bulk import would need. */
const MAX_LOGGED_ROWS = 200;
/** Revisions of a PBX whose changes are kept; a reader further behind re-reads the PBX. */
const KEEP_REVISIONS = 1000;

/** One logged change: the entity's class name and row id, "lock" (nothing changed) or "*" (everything may have). */
export type LoggedChange = [entity: string, rowId: number];

/**
 * Moves a PBX's revision by one and logs what changed in that revision. Every writer of pbx.revision goes through
 * here (the subscriber below, the object service's lock, native updates), so the log covers every revision.
 */
export async function bumpRevision(
  connection: Connection,
  ctx: Transaction | undefined,
  pbxId: number,
  changes: LoggedChange[],
): Promise<void> {
  const logged: LoggedChange[] = changes.length > MAX_LOGGED_ROWS ? [['*', 0]] : changes.length ? changes : [['*', 0]];
  // union all of one-row selects: portable across SQLite and PostgreSQL (typed parameters for PostgreSQL).
  const select = 'select id, revision + 1, cast(? as varchar(32)), cast(? as integer) from pbx where id = ?';
  await connection.execute(
    `insert into pbx_change (pbx_id, revision, entity, row_id) ${logged.map(() => select).join(' union all ')}`,
    logged.flatMap(([entity, rowId]) => [entity, rowId, pbxId]),
    'run',
    ctx,
  );
  await connection.execute('update pbx set revision = revision + 1 where id = ?', [pbxId], 'run', ctx);
  await connection.execute(
    'delete from pbx_change where pbx_id = ? and revision < (select revision from pbx where id = ?) - ?',
    [pbxId, pbxId, KEEP_REVISIONS],
    'run',
    ctx,
  );
}

interface Pending {
  /** Per PBX: the changed entities (ids are read after the flush: a created row has one only then). */
  byPbx: Map<number, Array<{ entity: string; ref: { id?: unknown } }>>;
}

export class PbxRevisionSubscriber implements EventSubscriber {
  private readonly pending = new WeakMap<EntityManager, Pending>();

  async onFlush(args: FlushEventArgs): Promise<void> {
    const byPbx: Pending['byPbx'] = new Map();
    const add = (pbxId: number, entity: string, ref: { id?: unknown }) => {
      const list = byPbx.get(pbxId) ?? [];
      if (!list.length) byPbx.set(pbxId, list);
      list.push({ entity, ref });
    };
    for (const cs of args.uow.getChangeSets()) {
      const name = cs.meta.className;
      const entity = cs.entity as { id?: number; pbxId?: number };
      // The audit log records changes; it is not one (phone and FreeSWITCH caches must not re-render for it). Nor are
      // API tokens (created, revoked, and their lastUsedAt written while a script runs), nor the change log itself.
      if (name === 'AuditEntry' || name === 'ApiToken' || name === 'PbxChange') continue;
      if (name === 'Pbx') {
        // The revision column itself changing must not loop.
        if (cs.payload && Object.keys(cs.payload).every((k) => k === 'revision')) continue;
        if (typeof entity.id === 'number') add(entity.id, name, entity);
      } else if (typeof entity.pbxId === 'number') add(entity.pbxId, name, entity);
      else if (cs.originalEntity && typeof (cs.originalEntity as { pbx_id?: number }).pbx_id === 'number')
        add((cs.originalEntity as { pbx_id: number }).pbx_id, name, cs.originalEntity as { id?: unknown });
    }
    if (byPbx.size) this.pending.set(args.em, { byPbx });
  }

  async afterFlush(args: FlushEventArgs): Promise<void> {
    const pending = this.pending.get(args.em);
    if (!pending) return;
    this.pending.delete(args.em);
    for (const [pbxId, list] of pending.byPbx) {
      const changes: LoggedChange[] = list.map(({ entity, ref }) =>
        typeof ref.id === 'number' ? [entity, ref.id] : ['*', 0],
      );
      await bumpRevision(args.em.getConnection(), args.em.getTransactionContext(), pbxId, changes);
    }
  }
}
