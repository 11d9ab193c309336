// Portal login sessions, stored in the database so a restart (or another node) keeps them. The cookie carries a random
// token; only its SHA-256 is stored. Sessions end when idle too long, at an absolute limit, at logout, and when the
// user is disabled, deleted or given a new password.
import { timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { PbxSchema, type PortalSession, PortalSessionSchema, type PortalUser, PortalUserSchema } from '../domain/model';
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
    const session = await em.findOne(PortalSessionSchema, { tokenHash: sha256Hex(token) });
    if (!session) return null;
    const now = this.now();
    const idle = session.remember ? this.policy.rememberIdleMs : this.policy.idleMs;
    if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idle <= now) {
      await em.remove(session).flush();
      return null;
    }
    const user = await em.findOne(PortalUserSchema, { id: session.userId });
    if (!user || user.disabledAt) {
      await em.remove(session).flush();
      return null;
    }
    const pbx = await em.findOne(PbxSchema, { id: user.pbxId }, { fields: ['id', 'name', 'context', 'domain'] });
    if (!pbx) return null;
    if (now - session.lastSeenAt.getTime() >= this.policy.touchEveryMs) {
      session.lastSeenAt = new Date(now);
      await em.flush();
    }
    return { session, user, pbx: { id: pbx.id, name: pbx.name, context: pbx.context, domain: pbx.domain } };
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
