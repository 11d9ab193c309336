// Settings → Users (manual: User Manager, Creating Users, User Permissions): list, new, details, edit, permissions,
// disable/enable, reset password, delete. Administrators with the Users module only (the route table says so).
import type { Request, Response } from 'express';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { EMPLOYEE_MODULES, MODULES, type Module } from '../../domain/rules/device-user-rules';
import type { PublicUser } from '../../services/user-service';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedList, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { MODULE_LABELS } from '../menu';
import { renderPage } from '../render';

const BASE = '/settings/users';
const crumbs = [{ label: 'Users', path: BASE }];
const TYPES = [
  { value: 'admin', label: 'Administrator' },
  { value: 'employee', label: 'Employee' },
];
const typeLabel = (t: string) => (t === 'admin' ? 'Administrator' : 'Employee');
const fullName = (u: PublicUser) => [u.firstName, u.lastName].filter(Boolean).join(' ');

async function extensionTargets(portal: Portal, v: Viewer) {
  return portal.services.browse.targets(v.actor, v.pbx.id, 'extension');
}

async function extensionLabel(portal: Portal, v: Viewer, id: number | null | undefined): Promise<string> {
  if (id == null) return 'None';
  return (
    (await portal.services.browse.labels(v.actor, v.pbx.id, [{ kind: 'extension', id }])).get(`extension:${id}`)
      ?.label ?? 'None'
  );
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const users = await portal.services.users.list(v.actor, v.pbx.id);
  const labels = await portal.services.browse.labels(
    v.actor,
    v.pbx.id,
    users
      .filter((u) => u.extensionId != null)
      .map((u) => ({ kind: 'extension' as const, id: u.extensionId as number })),
  );
  renderPage(
    portal,
    req,
    res,
    'users/list',
    {
      rows: users.map((u) => ({
        username: u.username,
        name: fullName(u),
        type: typeLabel(u.type),
        extension: u.extensionId == null ? '' : (labels.get(`extension:${u.extensionId}`)?.label ?? ''),
        disabled: !!u.disabledAt,
        path: `${BASE}/${u.id}`,
      })),
    },
    { title: 'Users' },
  );
}

function permissionChecks(form: FormView) {
  return MODULES.map((m) => ({
    ...form.checkbox(`perm.${m}`, MODULE_LABELS[m]),
    name: 'permissions',
    value: m,
    adminOnly: !EMPLOYEE_MODULES.includes(m),
  }));
}

async function userForm(portal: Portal, v: Viewer, form: FormView, isNew: boolean) {
  const ext = await extensionTargets(portal, v);
  return {
    summary: [] as Array<{ href: string; text: string }>,
    type: form.select('type', 'User Type', TYPES, {
      hint: 'Administrator: everything in this PBX, including users. Employee: only their own extension and voice mailbox.',
    }),
    extension: ext.items
      ? form.select(
          'extensionId',
          'Extension',
          [{ value: '', label: 'None' }, ...ext.items.map((e) => ({ value: String(e.id), label: e.label }))],
          {
            hint: 'The extension this user is associated with. If it does not exist, create the extension first.',
          },
        )
      : form.text('extensionId.number', 'Extension number', {
          inputmode: 'numeric',
          hint: 'The extension this user is associated with. If it does not exist, create the extension first.',
        }),
    username: form.text('username', 'Username', {
      hint: 'Unique. An email address is recommended to avoid duplicates.',
      autocomplete: 'off',
      maxlength: 254,
    }),
    password: isNew
      ? form.password('password', 'Password', { autocomplete: 'new-password', hint: 'At least 10 characters.' })
      : null,
    firstName: form.text('firstName', 'First Name', { maxlength: 50, autocomplete: 'off' }),
    lastName: form.text('lastName', 'Last Name', { maxlength: 50, autocomplete: 'off' }),
    email: form.text('email', 'Email', { type: 'email', maxlength: 254, autocomplete: 'off' }),
  };
}

function permissionsView(form: FormView) {
  form.label('permissions', 'Permissions');
  return {
    mode: form.select(
      'permissionMode',
      'Permissions',
      [
        { value: 'default', label: 'Default' },
        { value: 'custom', label: 'Custom' },
      ],
      { hint: 'Default gives every module the user type allows. Custom: tick each module this user may open.' },
    ),
    checks: permissionChecks(form),
    error: form.errors.permissions ?? null,
  };
}

/** Posted values → service input (permissions: 'default' or the ticked list). */
async function input(portal: Portal, v: Viewer, req: Request, values: Values, withPassword: boolean) {
  const out: Record<string, unknown> = {
    type: values.type ?? '',
    username: values.username ?? '',
    firstName: values.firstName ?? '',
    lastName: values.lastName ?? '',
    email: values.email ?? '',
  };
  const errors: Record<string, string> = {};
  if (values['extensionId.number'] !== undefined) {
    const n = values['extensionId.number'].trim();
    const id = n ? await portal.services.browse.idByNumber(v.actor, v.pbx.id, 'extension', n) : null;
    if (n && id === null) errors.extensionId = `there is no extension ${n.slice(0, 12)} in this PBX`;
    out.extensionId = id;
  } else out.extensionId = values.extensionId || null;
  if (withPassword) out.password = values.password ?? '';
  if (values.permissionMode !== undefined) out.permissions = permissionsInput(req, values);
  return { input: out, errors };
}

function permissionsInput(req: Request, values: Values): unknown {
  if (values.permissionMode !== 'custom') return 'default';
  const allowed: readonly string[] = values.type === 'employee' ? EMPLOYEE_MODULES : MODULES;
  return postedList(req.body, 'permissions').filter((m) => allowed.includes(m));
}

/** Ticks for the checklist from a permissions list. */
function permValues(perms: readonly string[]): Values {
  return Object.fromEntries(perms.map((m) => [`perm.${m}`, 'true']));
}

function postedPermValues(req: Request): Values {
  return permValues(postedList(req.body, 'permissions'));
}

async function showNew(
  portal: Portal,
  req: Request,
  res: Response,
  values: Values,
  errors: Record<string, string> = {},
  status = 200,
) {
  const v = viewer(res);
  const form = new FormView(values, errors);
  const view = { ...(await userForm(portal, v, form, true)), permissions: permissionsView(form) };
  view.summary = form.summary();
  renderPage(
    portal,
    req,
    res,
    'users/form',
    { ...view, title: 'New User', action: `${BASE}/new`, isNew: true },
    { title: 'New User', status, crumbs },
  );
}

export async function newForm(portal: Portal, req: Request, res: Response): Promise<void> {
  await showNew(portal, req, res, { type: 'employee', permissionMode: 'default' });
}

export async function create(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = { ...postedValues(req.body), ...postedPermValues(req) };
  const { input: data, errors } = await input(portal, v, req, values, true);
  try {
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const u = await portal.services.users.create(v.actor, v.pbx.id, data);
    flash(res, portal.secure, `User ${u.username} added. They can now log in.`);
    res.redirect(303, `${BASE}/${u.id}`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    await showNew(portal, req, res, values, { ...err.fields, ...errors }, 422);
  }
}

export async function show(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.get(v.actor, v.pbx.id, idParam(req));
  const p = `${BASE}/${u.id}`;
  renderPage(
    portal,
    req,
    res,
    'users/show',
    {
      username: u.username,
      name: fullName(u) || '—',
      type: typeLabel(u.type),
      extension: await extensionLabel(portal, v, u.extensionId),
      email: u.email ?? '—',
      disabled: !!u.disabledAt,
      created: u.createdAt instanceof Date ? u.createdAt.toISOString().slice(0, 10) : String(u.createdAt).slice(0, 10),
      permissions: u.permissions.map((m) => MODULE_LABELS[m as Module] ?? m),
      self: v.user.id === u.id,
      editPath: `${p}/edit`,
      permissionsPath: `${p}/permissions`,
      passwordPath: `${p}/password`,
      disablePath: `${p}/disable`,
      enablePath: `${p}/enable`,
      deletePath: `${p}/delete`,
    },
    { title: `User ${u.username}`, crumbs },
  );
}

function userValues(u: PublicUser): Values {
  return {
    type: u.type,
    extensionId: u.extensionId == null ? '' : String(u.extensionId),
    username: u.username,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email ?? '',
  };
}

async function showEdit(
  portal: Portal,
  req: Request,
  res: Response,
  id: number,
  values: Values,
  errors: Record<string, string> = {},
  status = 200,
) {
  const v = viewer(res);
  const form = new FormView(values, errors);
  const view = await userForm(portal, v, form, false);
  view.summary = form.summary();
  renderPage(
    portal,
    req,
    res,
    'users/form',
    { ...view, title: 'Edit User', action: `${BASE}/${id}/edit`, back: `${BASE}/${id}` },
    { title: 'Edit User', status, crumbs },
  );
}

export async function editForm(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.get(v.actor, v.pbx.id, idParam(req));
  const values = userValues(u);
  if (u.extensionId != null)
    values['extensionId.number'] = (await extensionLabel(portal, v, u.extensionId)).split(' ')[0];
  await showEdit(portal, req, res, u.id, values);
}

export async function update(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  await portal.services.users.get(v.actor, v.pbx.id, id);
  const values = postedValues(req.body);
  const { input: data, errors } = await input(portal, v, req, values, false);
  try {
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const u = await portal.services.users.update(v.actor, v.pbx.id, id, data);
    flash(res, portal.secure, `User ${u.username} saved.`);
    res.redirect(303, `${BASE}/${id}`);
  } catch (err) {
    if (err instanceof ValidationError)
      return showEdit(portal, req, res, id, values, { ...err.fields, ...errors }, 422);
    if (err instanceof ForbiddenError && /at least one enabled administrator/.test(err.message))
      return showEdit(portal, req, res, id, values, { type: err.message }, 409);
    throw err;
  }
}

async function showPermissions(
  portal: Portal,
  req: Request,
  res: Response,
  u: PublicUser,
  values: Values,
  errors: Record<string, string> = {},
  status = 200,
) {
  const form = new FormView(values, errors);
  const view = permissionsView(form);
  renderPage(
    portal,
    req,
    res,
    'users/permissions',
    {
      ...view,
      summary: form.summary(),
      username: u.username,
      type: typeLabel(u.type),
      isEmployee: u.type === 'employee',
      action: `${BASE}/${u.id}/permissions`,
      back: `${BASE}/${u.id}`,
    },
    { title: `Permissions of ${u.username}`, status, crumbs },
  );
}

export async function permissionsForm(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.get(v.actor, v.pbx.id, idParam(req));
  const all: readonly string[] = u.type === 'admin' ? MODULES : EMPLOYEE_MODULES;
  const isDefault = all.every((m) => u.permissions.includes(m));
  await showPermissions(portal, req, res, u, {
    permissionMode: isDefault ? 'default' : 'custom',
    type: u.type,
    ...permValues(u.permissions),
  });
}

export async function updatePermissions(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.get(v.actor, v.pbx.id, idParam(req));
  const values = { ...postedValues(req.body), type: u.type, ...postedPermValues(req) };
  try {
    await portal.services.users.update(v.actor, v.pbx.id, u.id, { permissions: permissionsInput(req, values) });
    flash(res, portal.secure, `Permissions of ${u.username} saved.`);
    res.redirect(303, `${BASE}/${u.id}`);
  } catch (err) {
    if (err instanceof ValidationError) return showPermissions(portal, req, res, u, values, err.fields, 422);
    throw err;
  }
}

async function showPassword(
  portal: Portal,
  req: Request,
  res: Response,
  u: PublicUser,
  errors: Record<string, string> = {},
  status = 200,
) {
  const form = new FormView({}, errors);
  const password = form.password('password', 'New password', {
    autocomplete: 'new-password',
    hint: 'At least 10 characters. The user is logged out everywhere.',
  });
  const confirm = form.password('passwordConfirm', 'Confirm new password', { autocomplete: 'new-password' });
  renderPage(
    portal,
    req,
    res,
    'users/password',
    {
      username: u.username,
      password,
      confirm,
      summary: form.summary(),
      action: `${BASE}/${u.id}/password`,
      back: `${BASE}/${u.id}`,
    },
    { title: `Reset password of ${u.username}`, status, crumbs },
  );
}

export async function passwordForm(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  await showPassword(portal, req, res, await portal.services.users.get(v.actor, v.pbx.id, idParam(req)));
}

export async function resetPassword(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.get(v.actor, v.pbx.id, idParam(req));
  const values = postedValues(req.body);
  try {
    await portal.services.users.resetPassword(v.actor, v.pbx.id, u.id, {
      password: values.password ?? '',
      passwordConfirm: values.passwordConfirm ?? '',
    });
  } catch (err) {
    if (err instanceof ValidationError) return showPassword(portal, req, res, u, err.fields, 422);
    throw err;
  }
  flash(res, portal.secure, `The password of ${u.username} was reset.`);
  res.redirect(303, u.id === v.user.id ? '/login' : `${BASE}/${u.id}`);
}

async function setDisabled(portal: Portal, req: Request, res: Response, disabled: boolean): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.setDisabled(v.actor, v.pbx.id, idParam(req), disabled);
  flash(res, portal.secure, `User ${u.username} ${disabled ? 'disabled: they cannot log in' : 'enabled again'}.`);
  res.redirect(303, `${BASE}/${u.id}`);
}

export const disable = (portal: Portal, req: Request, res: Response) => setDisabled(portal, req, res, true);
export const enable = (portal: Portal, req: Request, res: Response) => setDisabled(portal, req, res, false);

export async function deleteForm(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.get(v.actor, v.pbx.id, idParam(req));
  renderPage(
    portal,
    req,
    res,
    'users/delete',
    { username: u.username, self: u.id === v.user.id, action: `${BASE}/${u.id}/delete`, back: `${BASE}/${u.id}` },
    { title: `Delete user ${u.username}`, crumbs },
  );
}

export async function remove(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const u = await portal.services.users.get(v.actor, v.pbx.id, idParam(req));
  await portal.services.users.delete(v.actor, v.pbx.id, u.id);
  flash(res, portal.secure, `User ${u.username} deleted.`);
  res.redirect(303, BASE);
}

/** Settings → Permissions: who may open which module, at a glance. */
export async function matrix(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const users = await portal.services.users.list(v.actor, v.pbx.id);
  renderPage(
    portal,
    req,
    res,
    'users/matrix',
    {
      modules: MODULES.map((m) => MODULE_LABELS[m]),
      rows: users.map((u) => ({
        username: u.username,
        type: typeLabel(u.type),
        path: `${BASE}/${u.id}/permissions`,
        cells: MODULES.map((m) => ({ on: u.permissions.includes(m), module: MODULE_LABELS[m] })),
      })),
    },
    { title: 'Permissions' },
  );
}
