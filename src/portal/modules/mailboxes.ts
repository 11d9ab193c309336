// Services → Mailboxes (list, New Standard Mailbox, edit, delete with what points at it) and the same edit page under
// Voicemail → Voicemail Configuration (voicemail-configuration.ts): one page builder, two URL bases, so the menu shows
// where the user came from. Employees see and change only their own mailbox (the services answer 404 for others).
import type { Request, Response } from 'express';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { Mailbox } from '../../domain/model';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { objectPath } from '../links';
import { listQuery, pager } from '../paging';
import { renderPage } from '../render';
import { type GreetingErrorPage, type GreetingKind, greetingBlock } from './greetings';
import { mailboxFormView, mailboxInput, mailboxValues, newMailboxValues } from './mailbox-form';

export const MAILBOXES = '/services/mailboxes';

const crumbsFor = (base: string) =>
  base === MAILBOXES ? [{ label: 'Mailboxes', path: MAILBOXES }] : [{ label: 'Voicemail Configuration', path: base }];

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'mailboxes', { q, page, perPage: 50 });
  const rows = result.rows as unknown as Mailbox[];
  const own = (id: number | null | undefined) => (id == null ? null : 'own');
  renderPage(
    portal,
    req,
    res,
    'mailboxes/list',
    {
      q,
      isAdmin: v.isAdmin,
      rows: rows.map((m) => ({
        number: m.number,
        name: m.name,
        email: m.email ?? '',
        greetings:
          [
            own(m.unavailableGreetingId) && 'Unavailable',
            own(m.busyGreetingId) && 'Busy',
            own(m.nameGreetingId) && 'Name',
          ]
            .filter(Boolean)
            .join(', ') || 'Default',
        hidden: m.hideFromDirectory,
        path: `${MAILBOXES}/${m.id}`,
        deletePath: v.isAdmin ? `${MAILBOXES}/${m.id}/delete` : null,
      })),
      pager: pager(MAILBOXES, q, result),
      empty: result.total === 0,
    },
    { title: 'Mailboxes' },
  );
}

interface ShowOptions {
  base: string;
  id: number | null;
  values: Values;
  errors?: Record<string, string>;
  greetingErrors?: Partial<Record<GreetingKind, string>>;
  status?: number;
  /** The saved mailbox (edit): its greetings are shown. */
  saved?: Mailbox;
}

async function showForm(portal: Portal, req: Request, res: Response, o: ShowOptions): Promise<void> {
  const v = viewer(res);
  const isNew = o.id === null;
  const form = new FormView(o.values, o.errors ?? {});
  const view = mailboxFormView(v, form, isNew);
  const title = isNew ? 'New Standard Mailbox' : `Mailbox ${o.saved?.number ?? o.values.number ?? ''}`.trim();
  const page = `${o.base}/${o.id}`;
  renderPage(
    portal,
    req,
    res,
    'mailboxes/form',
    {
      ...view,
      title,
      isNew,
      action: isNew ? `${o.base}/new` : page,
      cancel: o.base,
      greetings: o.saved
        ? await greetingBlock(portal, v, o.saved, { base: o.base, back: page, errors: o.greetingErrors })
        : null,
      deletePath: v.isAdmin && !isNew ? `${MAILBOXES}/${o.id}/delete` : null,
    },
    { title, status: o.status, crumbs: crumbsFor(o.base) },
  );
}

/** The edit page of mailbox `id` under `base` (also what greeting actions fall back to on an error). */
export async function showMailbox(
  portal: Portal,
  req: Request,
  res: Response,
  base: string,
  id: number,
  extra: Partial<ShowOptions> = {},
): Promise<void> {
  const v = viewer(res);
  const m = (await portal.services.browse.get(v.actor, v.pbx.id, 'mailboxes', id)) as unknown as Mailbox;
  await showForm(portal, req, res, { base, id, values: mailboxValues(m), saved: m, ...extra });
}

/** Handlers of the edit page and its greeting actions' error page, for one URL base. */
export function editPages(base: string) {
  const errorPage: GreetingErrorPage = (portal, req, res, kind, message, status) =>
    showMailbox(portal, req, res, base, idParam(req), { greetingErrors: { [kind]: message }, status });
  return {
    edit: (portal: Portal, req: Request, res: Response) => showMailbox(portal, req, res, base, idParam(req)),
    update: (portal: Portal, req: Request, res: Response) => save(portal, req, res, base, idParam(req)),
    errorPage,
  };
}

export async function newForm(portal: Portal, req: Request, res: Response): Promise<void> {
  await showForm(portal, req, res, { base: MAILBOXES, id: null, values: newMailboxValues() });
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, MAILBOXES, null);

async function save(portal: Portal, req: Request, res: Response, base: string, id: number | null): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  // 404 for another's mailbox before anything is read or checked.
  const saved =
    id === null ? undefined : ((await portal.services.browse.get(v.actor, v.pbx.id, 'mailboxes', id)) as Mailbox);
  const { input, errors } = mailboxInput(v, values, id === null);
  const again = (errs: Record<string, string>, status: number) =>
    showForm(portal, req, res, {
      base,
      id,
      // What the user typed is kept; a read-only number stays the saved one.
      values: { ...values, number: 'number' in input ? (values.number ?? '') : (saved?.number ?? '') },
      errors: errs,
      status,
      saved,
    });
  const o = portal.services.objects;
  if (Object.keys(errors).length) {
    const others = await o.validate(v.actor, v.pbx.id, 'mailboxes', id, input);
    return again({ ...others, ...errors }, 422);
  }
  let row: Record<string, unknown>;
  try {
    row =
      id === null
        ? await o.create(v.actor, v.pbx.id, 'mailboxes', input)
        : await o.update(v.actor, v.pbx.id, 'mailboxes', id, input);
  } catch (err) {
    if (err instanceof ValidationError) return again(err.fields, 422);
    if (err instanceof ConflictError) return again({ number: err.message }, 409);
    throw err;
  }
  flash(res, portal.secure, `Mailbox ${row.number} saved.`);
  res.redirect(303, `${base}/${row.id}`);
}

async function confirmDelete(portal: Portal, req: Request, res: Response, status = 200): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const m = (await portal.services.browse.get(v.actor, v.pbx.id, 'mailboxes', id)) as unknown as Mailbox;
  const refs = await portal.services.objects.referrers(v.actor, v.pbx.id, 'mailboxes', id);
  renderPage(
    portal,
    req,
    res,
    'mailboxes/delete',
    {
      number: m.number,
      name: m.name,
      action: `${MAILBOXES}/${id}/delete`,
      back: `${MAILBOXES}/${id}`,
      referrers: refs.map((r) => ({ label: r.label, field: r.field, href: objectPath(r.kind, r.id) })),
      blocked: refs.length > 0,
    },
    { title: `Delete mailbox ${m.number}`, status, crumbs: crumbsFor(MAILBOXES) },
  );
}

export const deleteForm = (portal: Portal, req: Request, res: Response) => confirmDelete(portal, req, res);

export async function remove(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const m = (await portal.services.browse.get(v.actor, v.pbx.id, 'mailboxes', id)) as unknown as Mailbox;
  try {
    await portal.services.objects.delete(v.actor, v.pbx.id, 'mailboxes', id);
  } catch (err) {
    if (err instanceof ConflictError) return confirmDelete(portal, req, res, 409);
    throw err;
  }
  // Its greeting files are no longer anyone's: the audio rows and files go with the references gone.
  for (const g of [m.unavailableGreetingId, m.busyGreetingId, m.nameGreetingId])
    if (g != null) await portal.services.audio.forget(v.pbx.id, g);
  flash(res, portal.secure, `Mailbox ${m.number} deleted.`);
  res.redirect(303, MAILBOXES);
}
