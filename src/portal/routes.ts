// The portal's route table: every page on one screen. Each route names the permission module it needs, whether it is
// for administrators only, and (for the IDOR sweep in test/portal) the kind whose id is in ":id".
// Adding a module: one handler file in modules/, its rows here; a menu item with no GET route shows "coming soon".
import type { Module } from '../domain/rules/device-user-rules';
import type { Handler, PortalRoute } from './context';
import { login, loginForm, logout } from './modules/auth';
import * as extensions from './modules/extensions';
import { home } from './modules/home';

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
];
