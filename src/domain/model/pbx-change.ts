// The change log behind pbx.revision: which rows each revision of a PBX changed, so a reader holding an older
// snapshot re-reads those rows instead of the whole PBX (services/live-snapshots.ts). Written by
// src/revision-subscriber.ts in the same breath as the revision; only the last revisions are kept.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const PbxChangeSchema = defineEntity({
  name: 'PbxChange',
  tableName: 'pbx_change',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer(),
    /** The revision this change moved the PBX to. */
    revision: p.integer(),
    /**
     * The entity's class name ("Extension"), or "*" (too many rows in one revision: re-read the PBX) or "lock" (the
     * revision moved to take the PBX's write lock; nothing changed).
     */
    entity: p.string().length(32),
    rowId: p.integer(),
  },
  indexes: [{ properties: ['pbxId', 'revision'] }],
});
export type PbxChange = InferEntity<typeof PbxChangeSchema>;
