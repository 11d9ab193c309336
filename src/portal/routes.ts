// The portal's route table: every page on one screen. Each route names the permission module it needs, whether it is
// for administrators only, and (for the IDOR sweep in test/portal) the kind whose id is in ":id".
// Adding a module: one handler file in modules/, its rows here; a menu item with no GET route shows "coming soon".
import type { Module } from '../domain/rules/device-user-rules';
import type { Handler, PortalRoute } from './context';
import * as audit from './modules/audit';
import { login, loginForm, logout } from './modules/auth';
import * as extensions from './modules/extensions';
import { home } from './modules/home';
import * as users from './modules/users';
import * as voicemail from './modules/voicemail';

const get = (path: string, handler: Handler, module: Module | null, more: Partial<PortalRoute> = {}): PortalRoute => ({
  method: 'GET',
  path,
  handler,
  module,
  ...more,
});
const post = (path: string, handler: Handler, module: Module | null, more: Partial<PortalRoute> = {}): PortalRoute => ({
  method: 'POST',
  path,
  handler,
  module,
  ...more,
});
const admin = { admin: true };

export const ROUTES: PortalRoute[] = [
  get('/login', loginForm, null, { public: true }),
  post('/login', login, null, { public: true }),
  post('/logout', logout, null),
  get('/', home, null),

  get('/services/extensions', extensions.list, 'extensions'),
  get('/services/extensions/new', extensions.newForm, 'extensions', admin),
  post('/services/extensions/new', extensions.create, 'extensions', admin),
  get('/services/extensions/:id', extensions.edit, 'extensions', { object: 'extensions' }),
  post('/services/extensions/:id', extensions.update, 'extensions', { object: 'extensions' }),
  get('/services/extensions/:id/delete', extensions.deleteForm, 'extensions', { ...admin, object: 'extensions' }),
  post('/services/extensions/:id/delete', extensions.remove, 'extensions', { ...admin, object: 'extensions' }),

  get('/voicemail', voicemail.index, 'voicemail'),
  get('/voicemail/mailboxes/:id', voicemail.mailbox, 'voicemail', { object: 'mailboxes' }),
  get('/voicemail/mailboxes/:id/messages/:message/audio', voicemail.audio, 'voicemail', { object: 'mailboxes' }),
  post('/voicemail/mailboxes/:id/messages/:message/save', voicemail.markSaved, 'voicemail', { object: 'mailboxes' }),
  post('/voicemail/mailboxes/:id/messages/:message/mark-new', voicemail.markNew, 'voicemail', { object: 'mailboxes' }),
  post('/voicemail/mailboxes/:id/messages/:message/delete', voicemail.remove, 'voicemail', { object: 'mailboxes' }),

  get('/settings/users', users.list, 'users', admin),
  get('/settings/users/new', users.newForm, 'users', admin),
  post('/settings/users/new', users.create, 'users', admin),
  get('/settings/users/:id', users.show, 'users', { ...admin, object: 'users' }),
  get('/settings/users/:id/edit', users.editForm, 'users', { ...admin, object: 'users' }),
  post('/settings/users/:id/edit', users.update, 'users', { ...admin, object: 'users' }),
  get('/settings/users/:id/permissions', users.permissionsForm, 'users', { ...admin, object: 'users' }),
  post('/settings/users/:id/permissions', users.updatePermissions, 'users', { ...admin, object: 'users' }),
  get('/settings/users/:id/password', users.passwordForm, 'users', { ...admin, object: 'users' }),
  post('/settings/users/:id/password', users.resetPassword, 'users', { ...admin, object: 'users' }),
  post('/settings/users/:id/disable', users.disable, 'users', { ...admin, object: 'users' }),
  post('/settings/users/:id/enable', users.enable, 'users', { ...admin, object: 'users' }),
  get('/settings/users/:id/delete', users.deleteForm, 'users', { ...admin, object: 'users' }),
  post('/settings/users/:id/delete', users.remove, 'users', { ...admin, object: 'users' }),
  get('/settings/permissions', users.matrix, 'users', admin),
  get('/settings/audit', audit.list, 'users', admin),
];
