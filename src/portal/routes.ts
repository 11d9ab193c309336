// The portal's route table: every page on one screen. Each route names the permission module it needs, whether it is
// for administrators only, and (for the IDOR sweep in test/portal) the kind whose id is in ":id".
// Adding a module: one handler file in modules/, its rows here; a menu item with no GET route shows "coming soon".
import type { Module } from '../domain/rules/device-user-rules';
import type { Handler, PortalRoute } from './context';
import * as audit from './modules/audit';
import { login, loginForm, logout } from './modules/auth';
import * as callFlow from './modules/call-flow';
import * as conferenceBridge from './modules/conference-bridge';
import * as extensions from './modules/extensions';
import * as groups from './modules/groups';
import { home } from './modules/home';
import * as timeFrames from './modules/time-frames';
import * as users from './modules/users';

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

  get('/services/time-frames', timeFrames.list, 'time_frames'),
  get('/services/time-frames/new', timeFrames.newForm, 'time_frames', admin),
  post('/services/time-frames/new', timeFrames.create, 'time_frames', admin),
  get('/services/time-frames/:id', timeFrames.edit, 'time_frames', { object: 'time-frames' }),
  post('/services/time-frames/:id', timeFrames.update, 'time_frames', { object: 'time-frames' }),
  get('/services/time-frames/:id/delete', timeFrames.deleteForm, 'time_frames', { ...admin, object: 'time-frames' }),
  post('/services/time-frames/:id/delete', timeFrames.remove, 'time_frames', { ...admin, object: 'time-frames' }),

  get('/services/groups', groups.list, 'groups'),
  get('/services/groups/new', groups.newForm, 'groups', admin),
  post('/services/groups/new', groups.create, 'groups', admin),
  get('/services/groups/:id', groups.edit, 'groups', { object: 'groups' }),
  post('/services/groups/:id', groups.update, 'groups', { object: 'groups' }),
  get('/services/groups/:id/delete', groups.deleteForm, 'groups', { ...admin, object: 'groups' }),
  post('/services/groups/:id/delete', groups.remove, 'groups', { ...admin, object: 'groups' }),

  get('/services/conference-bridge', conferenceBridge.list, 'conference'),
  get('/services/conference-bridge/new', conferenceBridge.newRoom, 'conference', admin),
  post('/services/conference-bridge/new', conferenceBridge.createRoom, 'conference', admin),
  get('/services/conference-bridge/hubs/new', conferenceBridge.newHub, 'conference', admin),
  post('/services/conference-bridge/hubs/new', conferenceBridge.createHub, 'conference', admin),
  get('/services/conference-bridge/hubs/:id', conferenceBridge.editHub, 'conference', { object: 'conference-hubs' }),
  post('/services/conference-bridge/hubs/:id', conferenceBridge.updateHub, 'conference', { object: 'conference-hubs' }),
  get('/services/conference-bridge/hubs/:id/delete', conferenceBridge.hub.deleteForm, 'conference', {
    ...admin,
    object: 'conference-hubs',
  }),
  post('/services/conference-bridge/hubs/:id/delete', conferenceBridge.hub.remove, 'conference', {
    ...admin,
    object: 'conference-hubs',
  }),
  get('/services/conference-bridge/:id', conferenceBridge.editRoom, 'conference', { object: 'conferences' }),
  post('/services/conference-bridge/:id', conferenceBridge.updateRoom, 'conference', { object: 'conferences' }),
  post('/services/conference-bridge/:id/password', conferenceBridge.revealPin, 'conference', {
    ...admin,
    object: 'conferences',
  }),
  get('/services/conference-bridge/:id/delete', conferenceBridge.room.deleteForm, 'conference', {
    ...admin,
    object: 'conferences',
  }),
  post('/services/conference-bridge/:id/delete', conferenceBridge.room.remove, 'conference', {
    ...admin,
    object: 'conferences',
  }),

  get('/services/call-flow', callFlow.find, 'phone_numbers', admin),
  get('/services/call-flow/phone-numbers/:id', callFlow.phoneNumber, 'phone_numbers', { ...admin, object: 'numbers' }),
  get('/services/call-flow/extensions/:id', callFlow.extension, 'extensions', { ...admin, object: 'extensions' }),

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
