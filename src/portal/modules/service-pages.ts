// What the Time Frames, Groups and Conference Bridge pages share: the delete confirmation (with what still points at
// the object) and the delete itself, refused with the same page while something does.
import type { Request, Response } from 'express';
import { ConflictError } from '../../domain/errors';
import { idParam, type Portal, viewer } from '../context';
import { flash } from '../http';
import { objectPath } from '../links';
import { renderPage } from '../render';

export interface DeleteSpec {
  /** Kind name as in services/kinds.ts ("time-frames"). */
  kind: string;
  /** Where the list is, and the breadcrumb's label. */
  base: string;
  crumb: string;
  /** "time frame “Business hours”" from the stored object. */
  noun(row: Record<string, unknown>): string;
  /** The object's edit page (defaults to base/id). */
  back?(id: number): string;
}

export function deletePages(spec: DeleteSpec) {
  const back = spec.back ?? ((id: number) => `${spec.base}/${id}`);
  async function confirm(portal: Portal, req: Request, res: Response, status = 200): Promise<void> {
    const v = viewer(res);
    const id = idParam(req);
    const row = await portal.services.browse.get(v.actor, v.pbx.id, spec.kind, id);
    const refs = await portal.services.objects.referrers(v.actor, v.pbx.id, spec.kind, id);
    const noun = spec.noun(row);
    renderPage(
      portal,
      req,
      res,
      'service-pages/delete',
      {
        noun,
        action: req.originalUrl.split('?')[0],
        back: back(id),
        referrers: refs.map((r) => ({ label: r.label, field: r.field, href: objectPath(r.kind, r.id) })),
        blocked: refs.length > 0,
      },
      { title: `Delete ${noun}`, status, crumbs: [{ label: spec.crumb, path: spec.base }] },
    );
  }
  return {
    deleteForm: (portal: Portal, req: Request, res: Response) => confirm(portal, req, res),
    remove: async (portal: Portal, req: Request, res: Response): Promise<void> => {
      const v = viewer(res);
      const id = idParam(req);
      const row = await portal.services.browse.get(v.actor, v.pbx.id, spec.kind, id);
      try {
        await portal.services.objects.delete(v.actor, v.pbx.id, spec.kind, id);
      } catch (err) {
        if (err instanceof ConflictError) return confirm(portal, req, res, 409);
        throw err;
      }
      const noun = spec.noun(row);
      flash(res, portal.secure, `${noun.charAt(0).toUpperCase()}${noun.slice(1)} deleted.`);
      res.redirect(303, spec.base);
    },
  };
}
