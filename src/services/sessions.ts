// Portal login sessions, stored in the database so a restart (or another node) keeps them. The cookie carries a random
// token; only its SHA-256 is stored. Sessions end when idle too long, at an absolute limit, at logout, and when the
// user is disabled, deleted or given a new password.
import { timingSafeEqual } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { type PortalSession, PortalSessionSchema, type PortalUser, PortalUserSchema } from '../domain/model';
import { randomToken, sha256Hex } from './secrets';

export interface SessionPolicy {
  /** Ends a session nobody used for this long. */
  idleMs: number;
  /** Ends a session this long after login, whatever the activity. */
  absoluteMs: number;
  /** "Remember Me": the same two limits, longer. */
  rememberIdleMs: number;
  rememberAbsoluteMs: number;
  /** lastSeenAt is written at most this often (one write per minute, not one per request). */
  touchEveryMs: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const SESSION_POLICY: SessionPolicy = Object.freeze({
  idleMs: 2 * HOUR,
  absoluteMs: 12 * HOUR,
  rememberIdleMs: 14 * DAY,
  rememberAbsoluteMs: 30 * DAY,
  touchEveryMs: 60_000,
});

export interface StartedSession {
  /** Goes in the cookie; never stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  remember: boolean;
}

export interface ActiveSession {
  session: PortalSession;
  user: PortalUser;
  /** The user's PBX as the frame shows it (no secrets). */
  pbx: { id: number; name: string; context: string; domain: string };
}

export class SessionService {
  constructor(
    private readonly orm: MikroORM,
    readonly policy: SessionPolicy = SESSION_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  async start(userId: number, remember: boolean): Promise<StartedSession> {
    const token = randomToken();
    const csrfToken = randomToken();
    const now = new Date(this.now());
    const expiresAt = new Date(now.getTime() + (remember ? this.policy.rememberAbsoluteMs : this.policy.absoluteMs));
    const em = this.orm.em.fork();
    em.create(PortalSessionSchema, {
      tokenHash: sha256Hex(token),
      userId,
      csrfToken,
      remember,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    await em.flush();
    return { token, csrfToken, expiresAt, remember };
  }

  /** The live session and its (enabled) user for a cookie token, or null; expired sessions are removed on sight. */
  async resolve(token: string): Promise<ActiveSession | null> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const em = this.orm.em.fork();
    // Every portal page and API call starts here: one query for the session, its user and the PBX (three findOne
    // round trips were a tenth of a busy portal's CPU), mapped by the ORM as if each had been found on its own.
    const row = (await em.getConnection().execute(this.resolveSql(em), [sha256Hex(token)], 'get')) as
      | Record<string, unknown>
      | undefined;
    if (!row) return null;
    const part = (prefix: string) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([k]) => k.startsWith(prefix))
          .map(([k, val]) => [k.slice(prefix.length), val]),
      );
    const session = em.map(PortalSessionSchema, part('s__'));
    const now = this.now();
    const idle = session.remember ? this.policy.rememberIdleMs : this.policy.idleMs;
    if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idle <= now) {
      await em.remove(session).flush();
      return null;
    }
    const user = row.u__id == null ? null : em.map(PortalUserSchema, part('u__'));
    if (!user || user.disabledAt) {
      await em.remove(session).flush();
      return null;
    }
    if (row.p__id == null) return null;
    const pbx = {
      id: Number(row.p__id),
      name: String(row.p__name),
      context: String(row.p__context),
      domain: String(row.p__domain),
    };
    if (now - session.lastSeenAt.getTime() >= this.policy.touchEveryMs) {
      session.lastSeenAt = new Date(now);
      await em.flush();
    }
    return { session, user, pbx };
  }

  private resolveQuery: string | null = null;

  /** session s, user u, pbx p: every column of the first two (prefixed s__/u__, as em.map wants them back). */
  private resolveSql(em: EntityManager): string {
    if (this.resolveQuery) return this.resolveQuery;
    const q = (name: string) => em.getPlatform().quoteIdentifier(name);
    const cols = (className: string, alias: string) =>
      em
        .getMetadata()
        .get(className)
        .props.filter((prop) => prop.persist !== false && prop.fieldNames?.length)
        .flatMap((prop) => prop.fieldNames.map((f) => `${alias}.${q(f)} as ${q(`${alias}__${f}`)}`));
    const select = [
      ...cols(PortalSessionSchema.meta.className, 's'),
      ...cols(PortalUserSchema.meta.className, 'u'),
      ...['id', 'name', 'context', 'domain'].map((f) => `p.${q(f)} as ${q(`p__${f}`)}`),
    ];
    this.resolveQuery =
      `select ${select.join(', ')} from ${q('portal_session')} s ` +
      `left join ${q('portal_user')} u on u.${q('id')} = s.${q('user_id')} ` +
      `left join ${q('pbx')} p on p.${q('id')} = u.${q('pbx_id')} where s.${q('token_hash')} = ?`;
    return this.resolveQuery;
  }

  async end(token: string): Promise<void> {
    if (typeof token !== 'string' || !token) return;
    await this.orm.em.fork().nativeDelete(PortalSessionSchema, { tokenHash: sha256Hex(token) });
  }

  /** Removes every expired session (a scheduled clean-up; resolve() also removes them one by one). */
  async purgeExpired(): Promise<number> {
    const now = new Date(this.now());
    return this.orm.em.fork().nativeDelete(PortalSessionSchema, { expiresAt: { $lte: now } });
  }
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(submitted));
}
