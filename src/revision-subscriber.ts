// Bumps pbx.revision in the same flush as any change to a PBX or an object inside it, whatever code path made it.
// Readers that cache per PBX (xml_curl, provisioning) compare one integer instead of trusting in-process events,
// so a change made on another node of a cluster is seen on the next request too.
import type { EntityManager, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';

export class PbxRevisionSubscriber implements EventSubscriber {
  private readonly pending = new WeakMap<EntityManager, Set<number>>();

  async onFlush(args: FlushEventArgs): Promise<void> {
    const ids = new Set<number>();
    for (const cs of args.uow.getChangeSets()) {
      const name = cs.meta.className;
      const entity = cs.entity as { id?: number; pbxId?: number };
      // The audit log records changes; it is not one (phone and FreeSWITCH caches must not re-render for it). Nor are
      // API tokens (created, revoked, and their lastUsedAt written while a script runs).
      if (name === 'AuditEntry' || name === 'ApiToken') continue;
      if (name === 'Pbx') {
        // The revision column itself changing must not loop.
        if (cs.payload && Object.keys(cs.payload).every((k) => k === 'revision')) continue;
        if (typeof entity.id === 'number') ids.add(entity.id);
      } else if (typeof entity.pbxId === 'number') ids.add(entity.pbxId);
      else if (cs.originalEntity && typeof (cs.originalEntity as { pbx_id?: number }).pbx_id === 'number')
        ids.add((cs.originalEntity as { pbx_id: number }).pbx_id);
    }
    if (ids.size) this.pending.set(args.em, ids);
  }

  async afterFlush(args: FlushEventArgs): Promise<void> {
    const ids = this.pending.get(args.em);
    if (!ids?.size) return;
    this.pending.delete(args.em);
    const list = [...ids];
    await args.em
      .getConnection()
      .execute(
        `update pbx set revision = revision + 1 where id in (${list.map(() => '?').join(', ')})`,
        list,
        'run',
        args.em.getTransactionContext(),
      );
  }
}
