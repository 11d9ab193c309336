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
  },
});
export type PortalUser = InferEntity<typeof PortalUserSchema>;
