// Services → Groups: ring groups (all at once or one after another), the manual's Available / Selected extension lists
// with Add, Remove, Move up and Move down — plain submit buttons that redraw the form without saving, so the page works
// without JavaScript; group-members.js moves the options in the browser instead — seconds to ring and the after-ring
// destination.
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import type { Extension, RingGroup } from '../../domain/model';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedList, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { listQuery, pager } from '../paging';
import { destinationValues, loadTargets, objectRefs, pickerView, readDestination } from '../picker';
import { renderPage } from '../render';
import { formPaths } from './crud-helpers';
import { deletePages } from './service-pages';

const BASE = '/services/groups';
const crumbs = [{ label: 'Groups', path: BASE }];

/** Every extension of the PBX (number and name), in number order, a page of 200 at a time. */
async function allExtensions(portal: Portal, v: Viewer): Promise<Array<{ id: number; label: string }>> {
  const out: Array<{ id: number; label: string }> = [];
  for (let page = 1; page <= 50; page++) {
    const p = await portal.services.browse.page(v.actor, v.pbx.id, 'extensions', { page, perPage: 200 });
    for (const e of p.rows as unknown as Extension[]) out.push({ id: e.id, label: `${e.number} ${e.name}` });
    if (page * p.perPage >= p.total) break;
  }
  return out;
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'groups', { q, page, perPage: 50 });
  const groups = result.rows as unknown as RingGroup[];
  const labels = await portal.services.browse.labels(
    v.actor,
    v.pbx.id,
    groups.flatMap((g) => g.memberIds.map((id) => ({ kind: 'extension' as const, id }))),
  );
  const rows = groups.map((g) => ({
    name: g.name,
    ring:
      g.strategy === 'sequential'
        ? `Sequentially, ${g.secondsToRing} s each`
        : `At the same time, ${g.secondsToRing} s`,
    members: g.memberIds.map((id) => labels.get(`extension:${id}`)?.number ?? `#${id}`).join(', '),
    path: `${BASE}/${g.id}`,
    deletePath: v.isAdmin ? `${BASE}/${g.id}/delete` : null,
  }));
  renderPage(
    portal,
    req,
    res,
    'groups/list',
    { q, isAdmin: v.isAdmin, rows, empty: result.total === 0, pager: pager(BASE, q, result) },
    { title: 'Groups' },
  );
}

const idsOf = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .filter((s) => /^\d{1,15}$/.test(s))
    .map(Number)
    .filter((id, i, all) => all.indexOf(id) === i);

/** The Add / Remove / Move up / Move down buttons, applied to the member order the form carries. */
export function applyMemberOp(members: number[], op: string, available: number[], selected: number[]): number[] {
  const out = [...members];
  if (op === 'add') return [...out, ...available.filter((id) => !out.includes(id))];
  if (op === 'remove') return out.filter((id) => !selected.includes(id));
  const picked = new Set(selected);
  if (op === 'up')
    for (let i = 1; i < out.length; i++)
      if (picked.has(out[i] as number) && !picked.has(out[i - 1] as number))
        [out[i - 1], out[i]] = [out[i] as number, out[i - 1] as number];
  if (op === 'down')
    for (let i = out.length - 2; i >= 0; i--)
      if (picked.has(out[i] as number) && !picked.has(out[i + 1] as number))
        [out[i], out[i + 1]] = [out[i + 1] as number, out[i] as number];
  return out;
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  opts: {
    id: number | null;
    values: Values;
    errors?: Record<string, string>;
    title: string;
    status?: number;
    picked?: number[];
  },
): Promise<void> {
  const v = viewer(res);
  const form = new FormView(opts.values, opts.errors ?? {});
  const catalog = await loadTargets(portal, v);
  const everyone = await allExtensions(portal, v);
  const members = idsOf(form.values.memberIds);
  const picked = new Set(opts.picked ?? []);
  const byId = new Map(everyone.map((e) => [e.id, e.label]));
  form.label('memberIds', 'Selected Extensions');
  renderPage(
    portal,
    req,
    res,
    'groups/form',
    {
      title: opts.title,
      summary: form.summary(),
      name: form.text('name', 'Group Name', {
        hint: 'A unique name for this group, used to choose it wherever calls are routed.',
        maxlength: 50,
      }),
      strategy: form.select(
        'strategy',
        'Ring all extensions',
        [
          { value: 'simultaneous', label: 'At the same time' },
          { value: 'sequential', label: 'Sequentially' },
        ],
        {
          hint: 'At the same time rings every extension at once. Sequentially rings each extension for Seconds to Ring, then the next one.',
        },
      ),
      seconds: form.text('secondsToRing', 'Seconds to ring', {
        inputmode: 'numeric',
        hint: 'How long the phones ring (5–300) before the call goes to After ringing Group forward call; when ringing sequentially, how long each phone rings before the next.',
        maxlength: 3,
      }),
      available: everyone
        .filter((e) => !members.includes(e.id))
        .map((e) => ({ value: String(e.id), label: e.label, selected: picked.has(e.id) })),
      selected: members.map((id) => ({ value: String(id), label: byId.get(id) ?? `#${id}`, selected: picked.has(id) })),
      memberIds: members.join(','),
      membersError: form.errors.memberIds ?? null,
      afterRing: pickerView(form, 'afterRing', 'After ringing Group forward call', 'general', catalog, {
        hint: 'Where the call goes when no extension answers within Seconds to ring.',
        exclude: opts.id === null ? undefined : { kind: 'group', id: opts.id },
        emptyLabel: 'Default: Hang Up',
      }),
      ...formPaths(BASE, opts.id, v.isAdmin),
    },
    { title: opts.title, status: opts.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, {
    id: null,
    title: 'New Ring Group',
    values: { strategy: 'simultaneous', secondsToRing: '20', memberIds: '', 'afterRing.kind': '' },
  });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const g = (await portal.services.browse.get(v.actor, v.pbx.id, 'groups', id)) as unknown as RingGroup;
  const numbers = await portal.services.browse.labels(v.actor, v.pbx.id, objectRefs([g.afterRing]));
  const values: Values = {
    name: g.name,
    strategy: g.strategy,
    secondsToRing: String(g.secondsToRing),
    memberIds: g.memberIds.join(','),
    ...destinationValues('afterRing', g.afterRing, numbers),
  };
  await showForm(portal, req, res, { id, values, title: `Group ${g.name}` });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const title = id === null ? 'New Ring Group' : `Group ${values.name ?? ''}`.trim();
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'groups', id); // 404 first
  const op = values.op ?? '';
  if (['add', 'remove', 'up', 'down'].includes(op)) {
    // A list button without JavaScript: redraw with the new order, nothing saved yet.
    const available = postedList(req.body, 'available').map(Number);
    const selected = postedList(req.body, 'selected').map(Number);
    const members = applyMemberOp(idsOf(values.memberIds), op, available, selected);
    const picked = op === 'add' ? available : op === 'remove' ? selected : selected;
    await showForm(portal, req, res, { id, values: { ...values, memberIds: members.join(',') }, title, picked });
    return;
  }
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    strategy: values.strategy ?? '',
    secondsToRing: values.secondsToRing ?? '',
    memberIds: idsOf(values.memberIds),
  };
  const after = await readDestination(portal, v, values, 'afterRing');
  const o = portal.services.objects;
  if ('error' in after) {
    const rest = await o.validate(v.actor, v.pbx.id, 'groups', id, input);
    await showForm(portal, req, res, { id, values, errors: { ...rest, afterRing: after.error }, title, status: 422 });
    return;
  }
  input.afterRing = after.value ?? 'hangup'; // the empty choice is the manual's default, also when editing
  try {
    const saved =
      id === null
        ? await o.create(v.actor, v.pbx.id, 'groups', input)
        : await o.update(v.actor, v.pbx.id, 'groups', id, input);
    flash(res, portal.secure, `Group ${saved.name} saved.`);
    res.redirect(303, `${BASE}/${saved.id}`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    await showForm(portal, req, res, { id, values, errors: err.fields, title, status: 422 });
  }
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

export const { deleteForm, remove } = deletePages({
  kind: 'groups',
  base: BASE,
  crumb: 'Groups',
  noun: (r) => `group “${String(r.name)}”`,
});
