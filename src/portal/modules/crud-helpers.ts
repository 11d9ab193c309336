// Small shared steps of the part-2 service modules (call blocking, holidays, queues, SIP trunks): save with the
// services' field errors re-shown next to their fields, and a delete confirmation that names what still points here.
import type { Request, Response } from 'express';
import { ConflictError, ValidationError } from '../../domain/errors';
import { idParam, type Portal, viewer } from '../context';
import { flash } from '../http';
import { objectPath } from '../links';
import { DESTINATION_LABEL } from '../picker';
import { renderPage } from '../render';

/** Create or update `kind`; a ValidationError (or a renumber conflict) calls `reshow` with the field errors. */
export async function saveObject(
  portal: Portal,
  res: Response,
  kind: string,
  id: number | null,
  input: Record<string, unknown>,
  reshow: (errors: Record<string, string>, status: number) => Promise<void>,
): Promise<Record<string, unknown> | null> {
  const v = viewer(res);
  const o = portal.services.objects;
  try {
    return id === null
      ? await o.create(v.actor, v.pbx.id, kind, input)
      : await o.update(v.actor, v.pbx.id, kind, id, input);
  } catch (err) {
    if (err instanceof ValidationError) {
      await reshow(err.fields, 422);
      return null;
    }
    if (err instanceof ConflictError) {
      await reshow({ _form: err.message }, 409);
      return null;
    }
    throw err;
  }
}

/** A create/edit form's post target, whether it is new, and (for an administrator editing) its delete page. */
export function formPaths(base: string, id: number | null, isAdmin: boolean) {
  return {
    action: id === null ? `${base}/new` : `${base}/${id}`,
    isNew: id === null,
    deletePath: isAdmin && id !== null ? `${base}/${id}/delete` : null,
  };
}

export interface DeleteSpec {
  kind: string;
  base: string;
  /** "call block 900*" — what the page calls the object. */
  what: (row: Record<string, unknown>) => string;
  crumbs: Array<{ label: string; path: string }>;
  /** Deletes (default: services.objects.delete). */
  remove?: (portal: Portal, res: Response, id: number) => Promise<void>;
  /** The object's edit page (default: base/id). */
  back?: (id: number) => string;
  /** The message after a delete (default: "Deleted <what>."). */
  deleted?: (what: string) => string;
}

async function confirm(portal: Portal, req: Request, res: Response, spec: DeleteSpec, status: number): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const row = await portal.services.browse.get(v.actor, v.pbx.id, spec.kind, id);
  const refs = await portal.services.objects.referrers(v.actor, v.pbx.id, spec.kind, id);
  const what = spec.what(row);
  renderPage(
    portal,
    req,
    res,
    'partials-pages/delete',
    {
      what,
      action: req.originalUrl.split('?')[0],
      back: spec.back ? spec.back(id) : `${spec.base}/${id}`,
      referrers: refs.map((r) => ({ label: r.label, field: r.field, href: objectPath(r.kind, r.id) })),
      blocked: refs.length > 0,
    },
    { title: `Delete ${what}`, status, crumbs: spec.crumbs },
  );
}

export function deleteHandlers(spec: DeleteSpec) {
  return {
    deleteForm: (portal: Portal, req: Request, res: Response) => confirm(portal, req, res, spec, 200),
    remove: async (portal: Portal, req: Request, res: Response) => {
      const v = viewer(res);
      const id = idParam(req);
      const row = await portal.services.browse.get(v.actor, v.pbx.id, spec.kind, id);
      try {
        if (spec.remove) await spec.remove(portal, res, id);
        else await portal.services.objects.delete(v.actor, v.pbx.id, spec.kind, id);
      } catch (err) {
        if (err instanceof ConflictError) return confirm(portal, req, res, spec, 409);
        throw err;
      }
      const what = spec.what(row);
      flash(res, portal.secure, spec.deleted ? spec.deleted(what) : `Deleted ${what}.`);
      res.redirect(303, spec.base);
    },
  };
}

/** A destination in words for lists ("Auto Attendant Main", "Outside Number 3125550100"). */
export function describeDestination(
  d: import('../../domain/destination').Destination | null | undefined,
  labels: Map<string, { label: string }>,
): string {
  if (!d) return 'None';
  const kind = DESTINATION_LABEL.get(d.kind) ?? d.kind;
  if ('id' in d) return `${kind} ${labels.get(`${d.kind}:${d.id}`)?.label ?? ''}`.trim();
  if (d.kind === 'outside_number') return `${kind} ${d.number}`;
  if (d.kind === 'custom') return `${kind} ${d.value}`;
  return kind;
}
