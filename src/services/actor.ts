// Who is acting: the operator (CLI, jobs) or a portal/API user bound to one PBX. Every service call takes one.
import { ForbiddenError } from '../domain/errors';
import type { PortalUser } from '../domain/model';
import type { Module } from '../domain/rules/device-user-rules';

export type Actor =
  | { kind: 'system' }
  | {
      kind: 'user';
      userId: number;
      /** Shown in the audit log as who made a change. */
      username?: string;
      pbxId: number;
      type: 'admin' | 'employee';
      extensionId: number | null;
      permissions: readonly string[];
    };

export const SYSTEM: Actor = Object.freeze({ kind: 'system' });

export function actorFor(user: Omit<PortalUser, 'passwordHash'>): Actor {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    pbxId: user.pbxId,
    type: user.type,
    extensionId: user.extensionId ?? null,
    permissions: [...user.permissions],
  };
}

/** Same answer for "other tenant" and "does not exist" is given by callers; this only guards the tenant and module. */
export function assertCanUse(actor: Actor, pbxId: number, module: Module): void {
  if (actor.kind === 'system') return;
  if (actor.pbxId !== pbxId) throw new ForbiddenError('not allowed for this PBX');
  if (!actor.permissions.includes(module)) throw new ForbiddenError(`no permission for ${module.replace('_', ' ')}`);
}

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || actor.type === 'admin';
}

export function assertAdmin(actor: Actor, what: string): void {
  if (!isAdmin(actor)) throw new ForbiddenError(`only an administrator can ${what}`);
}
