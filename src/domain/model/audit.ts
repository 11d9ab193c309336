// Audit log: one row per change made through the services (portal, API, CLI, jobs) — who, when, what, before → after.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'disable',
  'enable',
  'reset_password',
  'permissions',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A field's value before and after; secrets are replaced by a mask before they are stored. */
export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    id: p.integer().primary().autoincrement(),
    /** The PBX the object belongs to (no revision bump: see src/revision-subscriber.ts). */
    pbxId: p.integer().index(),
    at: p.datetime().index(),
    /** Portal/API user id, or null for the operator (CLI, jobs). */
    userId: p.integer().nullable(),
    /** Who, as shown: the username at the time, or "operator". */
    actorLabel: p.string().length(254),
    action: p.string().length(16).$type<AuditAction>(),
    /** Kind name as in `dialtone list` ("extensions", "users", "pbx", …). */
    kind: p.string().length(32),
    objectId: p.integer().nullable(),
    objectLabel: p.string().length(120),
    changes: p.json<AuditChanges>(),
  },
});
export type AuditEntry = InferEntity<typeof AuditEntrySchema>;
