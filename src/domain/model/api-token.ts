// API token: a bearer secret that acts as one portal user. Only its SHA-256 is stored; the token is shown once.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.integer().primary().autoincrement(),
    /** The user's PBX, kept here so an administrator lists the PBX's tokens in one query. */
    pbxId: p.integer().index(),
    userId: p.integer().index(),
    /** What the person called it ("billing sync"); shown in lists. */
    name: p.string().length(50),
    /** The token's first characters ("dt_AbC1"), enough to recognise it in a list, far too few to use. */
    hint: p.string().length(16),
    /** SHA-256 (hex) of the whole token: what a request's token is looked up by. */
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime(),
    /** Updated at most once a minute (a write per request would serialise every API call on SQLite). */
    lastUsedAt: p.datetime().nullable(),
    /** Set when revoked; the row stays so lists can show what existed. A revoked token never authenticates. */
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiToken = InferEntity<typeof ApiTokenSchema>;
