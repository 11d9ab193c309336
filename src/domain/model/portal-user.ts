// Portal user: administrator (whole PBX) or employee (own extension and mailbox), with per-module permissions.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const USER_TYPES = ['admin', 'employee'] as const;
export type UserType = (typeof USER_TYPES)[number];

export const PortalUserSchema = defineEntity({
  name: 'PortalUser',
  tableName: 'portal_user',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    username: p.string().length(254).unique(),
    /** scrypt$N$r$p$salt$hash — never the password itself. */
    passwordHash: p.string().length(255),
    type: p.string().length(16).$type<UserType>(),
    extensionId: p.integer().nullable(),
    firstName: p.string().length(50),
    lastName: p.string().length(50),
    email: p.string().length(254).nullable(),
    /** Module names this user may open; defaults to every module the type allows. */
    permissions: p.json<string[]>(),
    createdAt: p.datetime(),
    /** Set while the login is switched off (Settings → Users → Disable): no login, no session, no API token. */
    disabledAt: p.datetime().nullable(),
  },
});
export type PortalUser = InferEntity<typeof PortalUserSchema>;

/**
 * A portal login session. Only the SHA-256 of the cookie's token is stored (a database leak opens no session);
 * no pbxId column on purpose: a login must not bump the PBX revision that phone and FreeSWITCH caches key on.
 */
export const PortalSessionSchema = defineEntity({
  name: 'PortalSession',
  tableName: 'portal_session',
  properties: {
    tokenHash: p.string().length(64).primary(),
    userId: p.integer().index(),
    /** Synchronizer token every state-changing form of this session carries. */
    csrfToken: p.string().length(64),
    remember: p.boolean(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    /** Absolute end, whatever the activity. */
    expiresAt: p.datetime().index(),
  },
});
export type PortalSession = InferEntity<typeof PortalSessionSchema>;
