// The unread-voicemail count next to "Voicemail" in the menu (res.locals.voicemailUnread): kept per user for a few
// seconds and refreshed in the background, so a page never waits on FreeSWITCH for more than a moment.
import type { NextFunction, Request, Response } from 'express';
import type { VoicemailService } from '../services/voicemail';
import type { Viewer } from './context';

interface Entry {
  count: number | null;
  at: number;
  /** VoicemailService.changes when the count was asked: a newer change (MWI, a delete) asks again at once. */
  changes: number;
  pending: Promise<void> | null;
}

export interface BadgeOptions {
  /** How long a count is shown before it is asked again (default 10 s). */
  ttlMs?: number;
  /** How long a page waits for a first count (default 250 ms); afterwards it renders without the badge. */
  waitMs?: number;
  now?: () => number;
}

export class VoicemailBadge {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly vm: VoicemailService,
    opts: BadgeOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.waitMs = opts.waitMs ?? 250;
    this.now = opts.now ?? Date.now;
  }

  /** The viewer's unread count, or null when FreeSWITCH did not say in time (or the user has no voicemail). */
  async count(v: Viewer): Promise<number | null> {
    if (!v.user.permissions.includes('voicemail')) return null;
    const key = `${v.pbx.id}:${v.user.id}`;
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size > 10_000) this.entries.clear(); // bounded: users come back and fill it again
      e = { count: null, at: 0, changes: -1, pending: null };
      this.entries.set(key, e);
    }
    const entry = e;
    const changes = this.vm.changes;
    if ((this.now() - entry.at > this.ttlMs || entry.changes !== changes) && !entry.pending) {
      entry.changes = changes;
      entry.pending = this.vm
        .unreadCount(v.actor, v.pbx.id)
        .then(
          (n) => {
            entry.count = n;
          },
          () => {
            entry.count = null;
          },
        )
        .finally(() => {
          entry.at = this.now();
          entry.pending = null;
        });
    }
    if (entry.pending && entry.at === 0) await within(this.waitMs, entry.pending);
    return entry.count;
  }

  /** After the viewer changed messages: the next page asks again. */
  forget(v: Viewer): void {
    this.entries.delete(`${v.pbx.id}:${v.user.id}`);
  }
}

async function within(ms: number, p: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p,
    new Promise<void>((r) => {
      timer = setTimeout(r, ms);
    }),
  ]);
  clearTimeout(timer);
}

const badges = new WeakMap<VoicemailService, VoicemailBadge>();

/** The one badge cache of a voicemail service (the pages that change messages make it forget a viewer). */
export function badgeFor(vm: VoicemailService | undefined): VoicemailBadge | null {
  if (!vm) return null;
  let b = badges.get(vm);
  if (!b) {
    b = new VoicemailBadge(vm);
    badges.set(vm, b);
  }
  return b;
}

/** Middleware: for page views of a logged-in user, puts the unread count in res.locals.voicemailUnread. */
export function voicemailBadge(badge: VoicemailBadge | null) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const v = res.locals.viewer as Viewer | undefined;
    // Not for the audio itself (a player seeking asks many times) nor the API.
    if (badge && v && req.method === 'GET' && !req.path.startsWith('/api/') && !req.path.endsWith('/audio')) {
      res.locals.voicemailUnread = await badge.count(v).catch(() => null);
    }
    next();
  };
}
