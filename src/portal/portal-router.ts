// Mounts the route table: login gate, CSRF check on every POST, module and administrator gates, then the handler.
// Menu items no route serves yet answer a "coming soon" page inside the frame (and so do their sub-pages).
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { ForbiddenError } from '../domain/errors';
import type { Portal, PortalRoute } from './context';
import { MENU } from './menu';
import { comingSoon } from './modules/home';
import { CsrfRefused, csrfOk, loadViewer } from './session-middleware';
import { badgeFor, voicemailBadge } from './voicemail-badge';

function gate(portal: Portal, route: PortalRoute) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const v = res.locals.viewer;
      if (!route.public) {
        if (!v) {
          // Not logged in (or the session ended): to the login page, and back here afterwards for a page view.
          const back = route.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
          res.redirect(303, `/login${back}`);
          return;
        }
        if (route.method === 'POST' && !csrfOk(req, v)) throw new CsrfRefused('missing or wrong CSRF token');
        if (route.admin && !v.isAdmin) throw new ForbiddenError('Only an administrator can open this page');
        if (route.module && !v.user.permissions.includes(route.module))
          throw new ForbiddenError('You do not have permission for this part of the portal');
      }
      await route.handler(portal, req, res);
    } catch (err) {
      next(err);
    }
  };
}

/** Coming-soon routes for menu items no route of the table serves. */
export function comingSoonRoutes(routes: readonly PortalRoute[]): PortalRoute[] {
  const served = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.path));
  return MENU.flatMap((s) => s.items)
    .filter((i) => !served.has(i.path))
    .flatMap((i) => {
      const handler: PortalRoute['handler'] = async (portal, req, res) => {
        res.locals.comingSoonLabel = i.label;
        await comingSoon(portal, req, res);
      };
      const base = { method: 'GET' as const, handler, module: i.module, admin: i.adminOnly };
      return [
        { ...base, path: i.path },
        { ...base, path: `${i.path}/*rest` },
      ];
    });
}

export function portalRouter(portal: Portal, routes: readonly PortalRoute[]): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 2000 }));
  router.use(loadViewer(portal));
  router.use(voicemailBadge(badgeFor(portal.services.voicemail)));
  for (const route of [...routes, ...comingSoonRoutes(routes)]) {
    if (route.method === 'GET') router.get(route.path, gate(portal, route));
    else router.post(route.path, gate(portal, route));
  }
  return router;
}
