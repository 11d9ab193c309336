// Services → Call Blocking: numbers and patterns blocked for incoming calls (by caller ID) or outgoing calls (dialled),
// each explained in words (describeBlock, the same reading the generator compiles).
import type { Request, Response } from 'express';
import type { CallBlock } from '../../domain/model';
import { describeBlock, storedBlockPattern } from '../../domain/rules/block-patterns';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { listQuery, pager } from '../paging';
import { renderPage } from '../render';
import { deleteHandlers, saveObject } from './crud-helpers';

const BASE = '/services/call-blocking';
const crumbs = [{ label: 'Call Blocking', path: BASE }];
const DIRECTIONS = [
  { value: 'inbound', label: 'Incoming' },
  { value: 'outbound', label: 'Outgoing' },
];

const HELP_NUMBER =
  'Enter the phone number to be blocked, either for incoming or outgoing calls. To block many numbers at once use a ' +
  'pattern: X is any digit, N any digit 2-9, Z any digit 1-9, and a * at the end blocks every number that starts ' +
  'with what comes before it (900* blocks all 900 numbers). Spaces, dashes and brackets are ignored.';

export function explain(b: Pick<CallBlock, 'number' | 'direction'>): string {
  const p = storedBlockPattern(b.number);
  return p ? describeBlock(p, b.direction) : `${b.number} (not a valid pattern: blocks nothing)`;
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'call-blocks', { q, page, perPage: 50 });
  const rows = (result.rows as unknown as CallBlock[]).map((b) => ({
    number: b.number,
    direction: b.direction === 'inbound' ? 'Incoming' : 'Outgoing',
    blocks: explain(b),
    comment: b.comment ?? '',
    path: `${BASE}/${b.id}`,
    deletePath: `${BASE}/${b.id}/delete`,
  }));
  renderPage(
    portal,
    req,
    res,
    'call-blocking/list',
    { q, rows, empty: result.total === 0, isAdmin: v.isAdmin, pager: pager(BASE, q, result) },
    { title: 'Call Blocking' },
  );
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  o: { id: number | null; values: Values; errors?: Record<string, string>; status?: number },
): Promise<void> {
  const form = new FormView(o.values, o.errors ?? {});
  const title = o.id === null ? 'New Call Block' : `Call Block ${o.values.number ?? ''}`;
  const fields = {
    number: form.text('number', 'Phone Number', { hint: HELP_NUMBER, maxlength: 24, inputmode: 'tel' }),
    direction: form.select('direction', 'Direction', DIRECTIONS, {
      hint: 'Incoming blocks calls from this number into the PBX (by caller ID); Outgoing stops anyone in the PBX from dialling it. 911 can never be blocked.',
    }),
    comment: form.text('comment', 'Comment', {
      hint: 'Optional: why this number is blocked, who it belongs to, or other general information.',
      maxlength: 200,
    }),
  };
  const stored = o.id !== null && o.values.number ? explain(o.values as never) : null;
  renderPage(
    portal,
    req,
    res,
    'call-blocking/form',
    {
      ...fields,
      summary: form.summary().concat(o.errors?._form ? [{ href: '#f-number', text: o.errors._form }] : []),
      title,
      stored,
      action: o.id === null ? `${BASE}/new` : `${BASE}/${o.id}`,
      submit: o.id === null ? 'Add Call Block' : 'Save',
      deletePath: o.id === null ? null : `${BASE}/${o.id}/delete`,
    },
    { title, status: o.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, { id: null, values: { direction: 'inbound' } });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const b = (await portal.services.browse.get(v.actor, v.pbx.id, 'call-blocks', id)) as unknown as CallBlock;
  await showForm(portal, req, res, {
    id,
    values: { number: b.number, direction: b.direction, comment: b.comment ?? '' },
  });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'call-blocks', id);
  const values = postedValues(req.body);
  const input = { number: values.number ?? '', direction: values.direction ?? '', comment: values.comment || null };
  const saved = await saveObject(portal, res, 'call-blocks', id, input, (errors, status) =>
    showForm(portal, req, res, { id, values, errors, status }),
  );
  if (!saved) return;
  flash(res, portal.secure, `Call block saved: ${explain(saved as never)}.`);
  res.redirect(303, BASE);
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

export const { deleteForm, remove } = deleteHandlers({
  kind: 'call-blocks',
  base: BASE,
  crumbs,
  what: (r) => `call block ${r.number}`,
});
