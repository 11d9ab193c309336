// Services → Extensions: list (search, pages), new, edit (all sections of the manual), delete with what points at it.
// The pattern module: handlers read with services.browse, save with services.objects, and build view models for
// templates/portal/extensions/*.hbs.
import type { Request, Response } from 'express';
import { type Destination, OBJECT_KINDS } from '../../domain/destination';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { Extension } from '../../domain/model';
import type { RefKind } from '../../services/kinds';
import type { TargetList } from '../../services/object-browser';
import { randomAlnum } from '../../services/secrets';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { objectPath } from '../links';
import { listQuery, pager } from '../paging';
import { DESTINATION_LABEL, type TargetCatalog } from '../picker';
import { renderPage } from '../render';
import { formPaths } from './crud-helpers';
import {
  extensionFormView,
  extensionInput,
  extensionRefs,
  extensionValues,
  type FormContext,
  newExtensionValues,
} from './extension-form';

const BASE = '/services/extensions';
const crumbs = [{ label: 'Extensions', path: BASE }];

function describe(d: Destination, labels: Map<string, { label: string }>): string {
  const kind = DESTINATION_LABEL.get(d.kind) ?? d.kind;
  if ('id' in d) return `${kind} ${labels.get(`${d.kind}:${d.id}`)?.label ?? ''}`.trim();
  if (d.kind === 'outside_number') return `${kind} ${d.number}`;
  if (d.kind === 'custom') return `${kind} ${d.value}`;
  return kind;
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'extensions', { q, page, perPage: 50 });
  const rows = result.rows as unknown as Extension[];
  const refs: Array<{ kind: RefKind; id: number }> = [];
  for (const e of rows) {
    if (e.mailboxId != null) refs.push({ kind: 'mailbox', id: e.mailboxId });
    if ('id' in e.routing.tryFirst) refs.push({ kind: e.routing.tryFirst.kind, id: e.routing.tryFirst.id as number });
  }
  const labels = await portal.services.browse.labels(v.actor, v.pbx.id, refs);
  renderPage(
    portal,
    req,
    res,
    'extensions/list',
    {
      q,
      isAdmin: v.isAdmin,
      total: result.total,
      rows: rows.map((e) => ({
        number: e.number,
        name: e.name,
        // Number and name apart, as the template writes them.
        mailbox: e.mailboxId == null ? null : (labels.get(`mailbox:${e.mailboxId}`) ?? { number: '', name: null }),
        tryFirst: describe(e.routing.tryFirst, labels),
        path: `${BASE}/${e.id}`,
        deletePath: v.isAdmin ? `${BASE}/${e.id}/delete` : null,
      })),
      pager: pager(BASE, q, result),
      empty: result.total === 0,
    },
    { title: 'Extensions' },
  );
}

async function context(portal: Portal, v: Viewer): Promise<FormContext> {
  // One catalog read (one revision check) for the pickers and the form's own lists.
  const all = await portal.services.browse.targetCatalog(v.actor, v.pbx.id, [...OBJECT_KINDS, 'e911_location']);
  const list = (k: Parameters<typeof all.get>[0]) => all.get(k) as TargetList;
  return {
    catalog: all as TargetCatalog,
    numbers: list('phone_number'),
    locations: list('e911_location'),
    mailboxes: list('mailbox'),
    extensions: list('extension'),
  };
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  opts: { id: number | null; values: Values; errors?: Record<string, string>; title: string; status?: number },
): Promise<void> {
  const v = viewer(res);
  const form = new FormView(opts.values, opts.errors ?? {});
  const view = extensionFormView(v, form, await context(portal, v), opts.id);
  renderPage(
    portal,
    req,
    res,
    'extensions/form',
    {
      ...view,
      title: opts.title,
      ...formPaths(BASE, opts.id, v.isAdmin),
      isAdmin: v.isAdmin,
      callFlowPath: v.isAdmin && opts.id !== null ? `/services/call-flow/extensions/${opts.id}` : null,
      // TODO(sec-b): the SIP password is never read here; when the services offer an explicit, audited
      // "reveal SIP password" read for administrators, link it from this page.
    },
    { title: opts.title, status: opts.status, crumbs },
  );
}

export async function newForm(portal: Portal, req: Request, res: Response): Promise<void> {
  await showForm(portal, req, res, { id: null, values: newExtensionValues(), title: 'New Extension' });
}

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const e = (await portal.services.browse.get(v.actor, v.pbx.id, 'extensions', id)) as unknown as Extension;
  const numbers = await portal.services.browse.labels(v.actor, v.pbx.id, extensionRefs(e));
  await showForm(portal, req, res, { id, values: extensionValues(e, numbers), title: `Extension ${e.number}` });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const title = id === null ? 'New Extension' : `Extension ${values.number ?? ''}`.trim();
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'extensions', id); // 404 before anything else
  const parsed = await extensionInput(portal, v, values, id);
  const o = portal.services.objects;
  if (Object.keys(parsed.errors).length) {
    // Part of the form could not be read (a typed number not in the PBX): still show every other problem at once.
    const errors = await o.validate(
      v.actor,
      v.pbx.id,
      'extensions',
      id,
      withoutErrored(parsed.input, parsed.errors, id),
    );
    if (parsed.newMailbox)
      for (const [k, m] of Object.entries(await o.validate(v.actor, v.pbx.id, 'mailboxes', null, parsed.newMailbox)))
        errors[`mailbox.${k}`] = m;
    await showForm(portal, req, res, { id, values, errors: { ...errors, ...parsed.errors }, title, status: 422 });
    return;
  }
  let saved: Record<string, unknown>;
  try {
    if (parsed.newMailbox)
      saved = (
        await o.saveExtensionWithNewMailbox(
          v.actor,
          v.pbx.id,
          id,
          parsed.input,
          parsed.newMailbox,
          id === null ? { sipPassword: randomAlnum(20) } : {},
        )
      ).extension;
    else if (id === null)
      saved = await o.create(v.actor, v.pbx.id, 'extensions', parsed.input, { sipPassword: randomAlnum(20) });
    else saved = await o.update(v.actor, v.pbx.id, 'extensions', id, parsed.input);
  } catch (err) {
    if (err instanceof ValidationError) {
      await showForm(portal, req, res, { id, values, errors: err.fields, title, status: 422 });
      return;
    }
    if (err instanceof ConflictError && id !== null) {
      await showForm(portal, req, res, { id, values, errors: { number: err.message }, title, status: 409 });
      return;
    }
    throw err;
  }
  flash(res, portal.secure, `Extension ${saved.number} saved.`);
  res.redirect(303, `${BASE}/${saved.id}`);
}

/** The input without the parts that could not be read (their own errors are shown instead). */
function withoutErrored(input: Record<string, unknown>, errors: Record<string, string>, id: number | null) {
  const out: Record<string, unknown> = { ...input, ...(id === null ? { sipPassword: 'A'.repeat(20) } : {}) };
  const routing = { ...((out.routing as Record<string, unknown>) ?? {}) };
  const findMe = { ...((out.findMe as Record<string, unknown>) ?? {}) };
  for (const key of Object.keys(errors)) {
    if (key.startsWith('routing.')) delete routing[key.slice('routing.'.length)];
    if (key === 'findMe.fallback') delete findMe.fallback;
    if (key === 'mailboxId') delete out.mailboxId;
  }
  if (out.routing) out.routing = routing;
  if (out.findMe) out.findMe = findMe;
  if (out.mailboxId === undefined && id === null) out.mailboxId = null;
  return out;
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

export async function confirmDelete(portal: Portal, req: Request, res: Response, status = 200): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const e = (await portal.services.browse.get(v.actor, v.pbx.id, 'extensions', id)) as unknown as Extension;
  const refs = await portal.services.objects.referrers(v.actor, v.pbx.id, 'extensions', id);
  renderPage(
    portal,
    req,
    res,
    'extensions/delete',
    {
      number: e.number,
      name: e.name,
      action: `${BASE}/${id}/delete`,
      back: `${BASE}/${id}`,
      referrers: refs.map((r) => ({ label: r.label, field: r.field, href: objectPath(r.kind, r.id) })),
      blocked: refs.length > 0,
    },
    { title: `Delete extension ${e.number}`, status, crumbs },
  );
}

export const deleteForm = (portal: Portal, req: Request, res: Response) => confirmDelete(portal, req, res);

export async function remove(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const e = (await portal.services.browse.get(v.actor, v.pbx.id, 'extensions', id)) as unknown as Extension;
  try {
    await portal.services.objects.delete(v.actor, v.pbx.id, 'extensions', id);
  } catch (err) {
    if (err instanceof ConflictError) return confirmDelete(portal, req, res, 409);
    throw err;
  }
  flash(res, portal.secure, `Extension ${e.number} deleted.`);
  res.redirect(303, BASE);
}
