// API tokens: create (shown once), list, revoke, and authenticate a bearer token as the user it belongs to.
//
// Stored as SHA-256, not scrypt: a token is 256 random bits, so nobody can search its hash for it (a slow hash only
// protects low-entropy secrets such as passwords), and an unsalted hash lets each request find its token by an
// indexed lookup instead of paying ~50 ms of scrypt per API call.
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { type ApiToken, ApiTokenSchema, type PortalUser, PortalUserSchema } from '../domain/model';
import { Fields } from '../domain/validate';
import { type Actor, actorFor, isAdmin } from './actor';
import { rowToPlain } from './plain-row';
import { randomToken, sha256Hex } from './secrets';

/** Every token starts with this, so a leaked one is recognisable in logs, diffs and secret scanners. */
export const API_TOKEN_PREFIX = 'dt_';
const TOKEN_RE = /^dt_[A-Za-z0-9_-]{43}$/;
/** Characters of the token kept for lists ("dt_AbC1…"): 4 random ones, 24 bits — recognisable, useless to guess with. */
const HINT_LENGTH = API_TOKEN_PREFIX.length + 4;
/** Active tokens one user may hold: plenty for scripts, not a table anyone can fill. */
export const MAX_ACTIVE_TOKENS = 25;
/** lastUsedAt is written at most this often per token (a write per request would serialise API calls on SQLite). */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** A token as lists show it: never the token, never its hash. */
export interface PublicApiToken {
  id: number;
  userId: number;
  username: string;
  name: string;
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiToken {
  token: PublicApiToken;
  /** The bearer token itself: returned only here, only once. */
  secret: string;
}

/** Who a request's token acts as. */
export interface ApiCaller {
  actor: Actor & { kind: 'user' };
  user: PortalUser;
  tokenId: number;
  /** The user's PBX context, so a request's URL is checked against it without another query. */
  pbxContext: string;
}

function publicToken(t: ApiToken, username: string): PublicApiToken {
  return {
    id: t.id,
    userId: t.userId,
    username,
    name: t.name,
    hint: t.hint,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt ?? null,
    revokedAt: t.revokedAt ?? null,
  };
}

/** A disabled login (Settings → Users → Disable) stops its tokens too, from the next request on. */
function loginDisabled(user: PortalUser): boolean {
  return user.disabledAt !== null && user.disabledAt !== undefined;
}

export class ApiTokenService {
  constructor(private readonly orm: MikroORM) {}

  /** A user creates tokens for themselves (a token acts as its user: nobody mints one for someone else); the operator for anyone. */
  async create(actor: Actor, pbxId: number, userId: number, input: Record<string, unknown>): Promise<CreatedApiToken> {
    if (actor.kind === 'user' && (actor.pbxId !== pbxId || actor.userId !== userId))
      throw new ForbiddenError('a token can only be created by the user it will act as');
    const em = this.orm.em.fork();
    const user = await em.findOne(PortalUserSchema, { id: userId, pbxId });
    if (!user) throw new NotFoundError(`user #${userId} does not exist`);
    const f = new Fields(input ?? {});
    const name = f.text('name', { max: 50, fallback: 'API token' });
    f.done();
    const active = await em.count(ApiTokenSchema, { userId, revokedAt: null });
    if (active >= MAX_ACTIVE_TOKENS)
      throw new ValidationError({ name: `a user may hold at most ${MAX_ACTIVE_TOKENS} tokens; revoke one first` });
    const secret = `${API_TOKEN_PREFIX}${randomToken()}`;
    const row = em.create(ApiTokenSchema, {
      pbxId,
      userId,
      name,
      hint: secret.slice(0, HINT_LENGTH),
      tokenHash: sha256Hex(secret),
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await em.flush();
    return { token: publicToken(row, user.username), secret };
  }

  /** Tokens of the PBX: a user sees their own; an administrator (or the operator) every user's, or one user's. */
  async list(actor: Actor, pbxId: number, opts: { userId?: number } = {}): Promise<PublicApiToken[]> {
    if (actor.kind === 'user' && actor.pbxId !== pbxId) throw new NotFoundError('no such PBX');
    const userId = isAdmin(actor) ? opts.userId : (actor as { userId: number }).userId;
    const em = this.orm.em.fork();
    const where = userId === undefined ? { pbxId } : { pbxId, userId };
    const tokens = await em.find(ApiTokenSchema, where, { orderBy: { id: 'asc' } });
    const users = await em.find(
      PortalUserSchema,
      { id: { $in: [...new Set(tokens.map((t) => t.userId))] } },
      {
        fields: ['id', 'username'],
      },
    );
    const names = new Map(users.map((u) => [u.id, u.username]));
    return tokens.map((t) => publicToken(t, names.get(t.userId) ?? '(deleted user)'));
  }

  /** Revokes at once. Another user's token (for a non-administrator) or another PBX's answers "does not exist". */
  async revoke(actor: Actor, pbxId: number, tokenId: number): Promise<PublicApiToken> {
    const em = this.orm.em.fork();
    const token = await em.findOne(ApiTokenSchema, { id: tokenId, pbxId });
    const mine = actor.kind === 'user' && token?.userId === actor.userId;
    if (!token || (actor.kind === 'user' && (actor.pbxId !== pbxId || (!mine && !isAdmin(actor)))))
      throw new NotFoundError(`API token #${tokenId} does not exist`);
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await em.flush();
    }
    const user = await em.findOne(PortalUserSchema, { id: token.userId }, { fields: ['username'] });
    return publicToken(token, user?.username ?? '(deleted user)');
  }

  /** Revokes every token of a user (for when a login is disabled or deleted); returns how many. */
  async revokeAllOf(actor: Actor, pbxId: number, userId: number): Promise<number> {
    if (!isAdmin(actor) || (actor.kind === 'user' && actor.pbxId !== pbxId))
      throw new ForbiddenError('only an administrator can revoke the tokens of a user');
    return this.orm.em
      .fork()
      .nativeUpdate(ApiTokenSchema, { pbxId, userId, revokedAt: null }, { revokedAt: new Date() });
  }

  /**
   * The user a bearer token acts as, or null for anything that is not a live token of an existing, enabled user:
   * malformed, unknown, revoked, user deleted or disabled. The caller gets the same null for each (one 401).
   */
  async authenticate(secret: string, now = new Date()): Promise<ApiCaller | null> {
    if (typeof secret !== 'string' || !TOKEN_RE.test(secret)) return null;
    // One joined query of plain rows: this runs before every API request, where entity hydration and three round
    // trips cost several times the lookup itself.
    const em = this.orm.em.fork() as SqlEntityManager;
    const [row] = await em
      .getKnex()('api_token as t')
      .join('portal_user as u', function () {
        this.on('u.id', '=', 't.user_id').andOn('u.pbx_id', '=', 't.pbx_id');
      })
      .join('pbx as p', 'p.id', 'u.pbx_id')
      .where('t.token_hash', sha256Hex(secret))
      .whereNull('t.revoked_at')
      .select('u.*', 't.id as t__id', 't.last_used_at as t__last_used_at', 'p.context as p__context');
    if (!row) return null;
    const user = rowToPlain(this.orm, 'PortalUser', row) as unknown as PortalUser;
    if (loginDisabled(user)) return null;
    const token = { id: row.t__id as number, lastUsedAt: row.t__last_used_at ? new Date(row.t__last_used_at) : null };
    const pbx = { context: row.p__context as string };
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      // Conditional, so concurrent requests of one token write once; a lost race only loses a timestamp.
      await em.nativeUpdate(
        ApiTokenSchema,
        {
          id: token.id,
          $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }],
        },
        { lastUsedAt: now },
      );
    }
    return { actor: actorFor(user) as ApiCaller['actor'], user, tokenId: token.id, pbxContext: pbx.context };
  }
}
