// Who is asking: the session cookie resolved to a live session, its enabled user and PBX (res.locals.viewer).
// CSRF: every state-changing request carries the session's synchronizer token (form field, header or, for
// multipart uploads only, the query string), compared in constant time.
import type { NextFunction, Request, Response } from 'express';
import { actorFor } from '../services/actor';
import { csrfMatches } from '../services/sessions';
import type { Portal, Viewer } from './context';
import { cookieNames, readCookies } from './http';

export function loadViewer(portal: Portal) {
  const names = cookieNames(portal.secure);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = readCookies(req)[names.session];
      const active = token ? await portal.services.sessions.resolve(token) : null;
      if (active) {
        const { passwordHash: _, ...user } = active.user;
        const viewer: Viewer = {
          user,
          actor: actorFor(active.user),
          csrfToken: active.session.csrfToken,
          pbx: active.pbx,
          isAdmin: user.type === 'admin',
        };
        res.locals.viewer = viewer;
        res.locals.sessionToken = token;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The token a state-changing request carries. */
export function submittedCsrf(req: Request): unknown {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (fromBody !== undefined) return fromBody;
  const header = req.get('x-csrf-token');
  if (header) return header;
  // A multipart upload is parsed by its own handler, after this check: its form action carries the token.
  if (req.is('multipart/form-data')) return req.query._csrf;
  return undefined;
}

export function csrfOk(req: Request, viewer: Viewer): boolean {
  return csrfMatches(viewer.csrfToken, submittedCsrf(req));
}

/** Thrown when a state-changing request lacks the session's token (an old tab, or a forged cross-site request). */
export class CsrfRefused extends Error {
  override name = 'CsrfRefused';
}
