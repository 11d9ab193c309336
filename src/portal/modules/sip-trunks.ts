// Services → SIP Trunks: the gateways outside numbers and routes can use. Credentials are masked once saved: the page
// never receives the password back (the services' views say only whether one is set), and it is never revealed.
import type { Request, Response } from 'express';
import { TRANSPORTS } from '../../domain/model';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, truthy, type Values } from '../forms';
import { flash } from '../http';
import { listQuery, pager } from '../paging';
import { renderPage } from '../render';
import { deleteHandlers, saveObject } from './crud-helpers';

const BASE = '/services/sip-trunks';
const crumbs = [{ label: 'SIP Trunks', path: BASE }];

interface TrunkView {
  id: number;
  name: string;
  host: string;
  port: number;
  transport: string;
  username: string | null;
  passwordSet?: boolean;
  register: boolean;
  prefix: string | null;
}

/** A username shown only by its first characters: enough to recognise, not to reuse. */
const mask = (s: string | null) =>
  !s ? '—' : s.length <= 3 ? '•••' : `${s.slice(0, 2)}${'•'.repeat(Math.min(8, s.length - 2))}`;

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'trunks', { q, page, perPage: 50 });
  const rows = (result.rows as unknown as TrunkView[]).map((t) => ({
    name: t.name,
    host: `${t.host}:${t.port} (${t.transport.toUpperCase()})`,
    username: mask(t.username),
    password: t.passwordSet ? 'Saved (hidden)' : 'None',
    register: t.register ? 'Yes' : 'No',
    path: `${BASE}/${t.id}`,
    deletePath: `${BASE}/${t.id}/delete`,
  }));
  renderPage(
    portal,
    req,
    res,
    'sip-trunks/list',
    { q, rows, empty: result.total === 0, isAdmin: v.isAdmin, pager: pager(BASE, q, result) },
    { title: 'SIP Trunks' },
  );
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  o: { id: number | null; values: Values; passwordSet: boolean; errors?: Record<string, string>; status?: number },
): Promise<void> {
  const form = new FormView(o.values, o.errors ?? {});
  const title = o.id === null ? 'New SIP Trunk' : `SIP Trunk ${o.values.name ?? ''}`;
  renderPage(
    portal,
    req,
    res,
    'sip-trunks/form',
    {
      title,
      summary: form.summary().concat(o.errors?._form ? [{ href: '#f-name', text: o.errors._form }] : []),
      name: form.text('name', 'Name', {
        maxlength: 32,
        hint: 'Lower-case letters, digits and _, e.g. carrier_east. FreeSWITCH names the gateway after it.',
      }),
      host: form.text('host', 'Host', {
        hint: 'The provider’s SIP server: a host name or IP address.',
        maxlength: 253,
      }),
      port: form.text('port', 'Port', { inputmode: 'numeric', hint: 'Usually 5060 (5061 for TLS).' }),
      transport: form.select(
        'transport',
        'Transport',
        TRANSPORTS.map((t) => ({ value: t, label: t.toUpperCase() })),
      ),
      username: form.text('username', 'Username', {
        autocomplete: 'off',
        maxlength: 64,
        hint: 'As the provider gave it; leave empty for a trunk authorised by IP address.',
      }),
      password: form.password('password', 'Password', {
        autocomplete: 'new-password',
        maxlength: 64,
        hint: o.passwordSet
          ? 'A password is saved and is never shown again. Type a new one to replace it, or leave this empty to keep it.'
          : 'As the provider gave it. Once saved it is never shown again.',
      }),
      clearPassword: o.passwordSet ? form.checkbox('clearPassword', 'Remove the saved password') : null,
      register: form.yesNo('register', 'Register?', {
        hint: 'Yes when the provider expects the PBX to register (needs a username and password).',
      }),
      prefix: form.text('prefix', 'Prefix', {
        inputmode: 'numeric',
        maxlength: 8,
        hint: 'Optional digits put in front of every number sent over this trunk.',
      }),
      action: o.id === null ? `${BASE}/new` : `${BASE}/${o.id}`,
      submit: o.id === null ? 'Add SIP Trunk' : 'Save',
      deletePath: o.id === null ? null : `${BASE}/${o.id}/delete`,
    },
    { title, status: o.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, {
    id: null,
    values: { port: '5060', transport: 'udp', register: 'false' },
    passwordSet: false,
  });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const t = (await portal.services.browse.get(v.actor, v.pbx.id, 'trunks', id)) as unknown as TrunkView;
  await showForm(portal, req, res, {
    id,
    passwordSet: !!t.passwordSet,
    values: {
      name: t.name,
      host: t.host,
      port: String(t.port),
      transport: t.transport,
      username: t.username ?? '',
      register: String(t.register),
      prefix: t.prefix ?? '',
    },
  });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const current =
    id === null ? null : ((await portal.services.browse.get(v.actor, v.pbx.id, 'trunks', id)) as unknown as TrunkView);
  const values = postedValues(req.body);
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    host: values.host ?? '',
    port: values.port ?? '',
    transport: values.transport ?? '',
    username: values.username || null,
    register: truthy(values.register),
    prefix: values.prefix || null,
  };
  // An empty password box keeps the saved password; only a typed one (or "remove") changes it.
  if (values.password) input.password = values.password;
  else if (truthy(values.clearPassword) || id === null) input.password = null;
  const passwordSet = !!current?.passwordSet;
  const saved = await saveObject(portal, res, 'trunks', id, input, (errors, status) =>
    showForm(portal, req, res, { id, values: { ...values, password: '' }, passwordSet, errors, status }),
  );
  if (!saved) return;
  flash(res, portal.secure, `SIP trunk ${saved.name} saved.`);
  res.redirect(303, `${BASE}/${saved.id}`);
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

export const { deleteForm, remove } = deleteHandlers({
  kind: 'trunks',
  base: BASE,
  crumbs,
  what: (r) => `SIP trunk ${r.name}`,
});
