// The audit log: every change a service makes is written here in the same transaction (who, when, what, before → after).
// Services call recordAudit; the portal reads it back through AuditService (administrators only).
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { AUDIT_ACTIONS, type AuditAction, type AuditChanges, type AuditEntry, AuditEntrySchema } from '../domain/model';
import { type Actor, assertAdmin, assertCanUse } from './actor';

/** What a secret looks like in the log: that it changed, never its value. */
export const MASK = '••••••';

/** Fields that hold a secret in any kind (a kind's own `hidden` list is added to these). */
const SECRET_FIELDS = new Set([
  'password',
  'passwordConfirm',
  'passwordHash',
  'pin',
  'sipPassword',
  'phoneAdminPassword',
  'provisioningHa1',
  'provisioningPassword',
  'appTokenHash',
  'appTokenSalt',
  'token',
  'tokenHash',
  'csrfToken',
  'ha1',
]);
/** Bookkeeping that is not the user's change. */
const IGNORED = new Set([
  'id',
  'pbxId',
  'revision',
  'rowVersion',
  'createdAt',
  'lastSeenAt',
  'lastIp',
  'lastUserAgent',
]);

type Plain = Record<string, unknown>;

function masked(v: unknown): unknown {
  return v === null || v === undefined || v === '' ? v : MASK;
}

/** Field-by-field differences (whole values for nested settings such as routing), secrets masked. */
export function auditChanges(before: Plain | null, after: Plain | null, secrets: readonly string[] = []): AuditChanges {
  const secret = (k: string) => SECRET_FIELDS.has(k) || secrets.includes(k);
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: AuditChanges = {};
  for (const k of keys) {
    if (IGNORED.has(k)) continue;
    const b = before ? plainValue(before[k]) : null;
    const a = after ? plainValue(after[k]) : null;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    out[k] = secret(k) ? { before: masked(b), after: masked(a) } : { before: b ?? null, after: a ?? null };
  }
  return out;
}

function plainValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v === undefined ? null : v;
}

export function actorLabel(actor: Actor): string {
  if (actor.kind === 'system') return 'operator';
  return actor.username ?? `user #${actor.userId}`;
}

export interface AuditRecord {
  pbxId: number;
  action: AuditAction;
  kind: string;
  objectId: number | null;
  objectLabel: string;
  before?: Plain | null;
  after?: Plain | null;
  secrets?: readonly string[];
  /** Changes already computed (e.g. "password reset" with no values). */
  changes?: AuditChanges;
}

/** Adds the entry to `em` and flushes it: call inside the transaction that made the change. */
export async function recordAudit(em: EntityManager, actor: Actor, r: AuditRecord): Promise<void> {
  const changes = r.changes ?? auditChanges(r.before ?? null, r.after ?? null, r.secrets);
  if (r.action === 'update' && !Object.keys(changes).length) return; // saved without changing anything
  em.create(AuditEntrySchema, {
    pbxId: r.pbxId,
    at: new Date(),
    userId: actor.kind === 'user' ? actor.userId : null,
    actorLabel: actorLabel(actor).slice(0, 254),
    action: r.action,
    kind: r.kind,
    objectId: r.objectId,
    objectLabel: r.objectLabel.slice(0, 120),
    changes,
  });
  await em.flush();
}

export interface AuditFilter {
  kind?: string;
  action?: string;
  /** Part of the username of who made the change, or "operator". */
  who?: string;
  /** Part of the object's label ("extension 101"). */
  object?: string;
  /** Dates YYYY-MM-DD (UTC), inclusive. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  perPage: number;
}

export class AuditService {
  constructor(private readonly orm: MikroORM) {}

  /** Newest first, filtered, one page (administrators of the PBX with the Users module). */
  async list(actor: Actor, pbxId: number, filter: AuditFilter, page = 1, perPage = 50): Promise<AuditPage> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'read the audit log');
    const where: Record<string, unknown> = { pbxId };
    if (filter.kind) where.kind = filter.kind;
    if (filter.action && (AUDIT_ACTIONS as readonly string[]).includes(filter.action)) where.action = filter.action;
    if (filter.who) where.actorLabel = { $like: `%${escapeLike(filter.who.toLowerCase())}%` };
    if (filter.object) where.objectLabel = { $like: `%${escapeLike(filter.object)}%` };
    const at: Record<string, Date> = {};
    if (filter.from && /^\d{4}-\d{2}-\d{2}$/.test(filter.from)) at.$gte = new Date(`${filter.from}T00:00:00Z`);
    if (filter.to && /^\d{4}-\d{2}-\d{2}$/.test(filter.to))
      at.$lt = new Date(Date.parse(`${filter.to}T00:00:00Z`) + 864e5);
    if (Object.keys(at).length) where.at = at;
    const size = Math.min(Math.max(1, perPage), 200);
    const current = Math.max(1, Math.floor(page));
    const [entries, total] = await this.orm.em.fork().findAndCount(AuditEntrySchema, where as never, {
      orderBy: { id: 'desc' },
      limit: size,
      offset: (current - 1) * size,
    });
    return { entries, total, page: current, perPage: size };
  }
}

/** LIKE patterns treat % and _ as wildcards: what a person types is matched literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
