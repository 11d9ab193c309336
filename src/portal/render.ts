// Renders a page inside the frame (header, menu, flash, footer) or, without a viewer, inside the bare frame.
import type { Request, Response } from 'express';
import type { Portal, Viewer } from './context';
import { takeFlash } from './http';
import { type MenuView, menuFor } from './menu';

export interface PageOptions {
  title: string;
  status?: number;
  /** Breadcrumb trail above the title, e.g. [{label: 'Extensions', path: '/services/extensions'}]. */
  crumbs?: Array<{ label: string; path: string }>;
}

export function renderPage(
  portal: Portal,
  req: Request,
  res: Response,
  view: string,
  model: object,
  opts: PageOptions,
): void {
  const v = res.locals.viewer as Viewer | undefined;
  const body = portal.views.render(view, { ...model, csrfToken: v?.csrfToken });
  const menu = v ? withVoicemailBadge(menuFor(v.user, req.path), res.locals.voicemailUnread) : null;
  const layout = {
    title: opts.title,
    body,
    crumbs: opts.crumbs ?? [],
    flash: takeFlash(req, res, portal.secure),
    menu,
    hasSide: !!menu?.side.length,
    viewer: v
      ? {
          name: [v.user.firstName, v.user.lastName].filter(Boolean).join(' ') || v.user.username,
          username: v.user.username,
          role: v.isAdmin ? 'Administrator' : 'Employee',
          pbxName: v.pbx.name,
          csrfToken: v.csrfToken,
        }
      : null,
  };
  res.status(opts.status ?? 200);
  res.setHeader('Cache-Control', 'no-store');
  res.type('html').send(portal.views.render('layouts/main', layout));
}

/** The unread-voicemail count (voicemail-badge.ts) next to the Voicemail tab and side item, when known and not 0. */
function withVoicemailBadge(menu: MenuView, unread: unknown): MenuView {
  if (typeof unread !== 'number' || unread <= 0) return menu;
  const badge = unread > 99 ? '99+' : String(unread);
  const mark = <T extends { path: string }>(i: T) => (i.path === '/voicemail' ? { ...i, badge } : i);
  return { ...menu, tabs: menu.tabs.map(mark), side: menu.side.map(mark) };
}
