// The portal's route table: every page on one screen. Each route names the permission module it needs, whether it is
// for administrators only, and (for the IDOR sweep in test/portal) the kind whose id is in ":id".
// Adding a module: one handler file in modules/, its rows here; a menu item with no GET route shows "coming soon".
import type { Module } from '../domain/rules/device-user-rules';
import type { Handler, PortalRoute } from './context';
import * as audit from './modules/audit';
import { login, loginForm, logout } from './modules/auth';
import * as callBlocking from './modules/call-blocking';
import * as extensions from './modules/extensions';
import * as holdMusic from './modules/hold-music';
import * as holidays from './modules/holidays';
import { home } from './modules/home';
import * as listenLive from './modules/listen-live';
import * as queues from './modules/queues';
import * as sipTrunks from './modules/sip-trunks';
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

  // Portal part 2 (portal-p2b): Listen Live, Holidays, Hold Music, Call Blocking, Queues, SIP Trunks.
  get('/services/listen-live', listenLive.page, 'listen_live', admin),
  post('/services/listen-live', listenLive.save, 'listen_live', admin),
  post('/services/listen-live/reveal', listenLive.reveal, 'listen_live', admin),
  get('/services/hold-music', holdMusic.list, 'hold_music'),
  get('/services/hold-music/new', holdMusic.newForm, 'hold_music', admin),
  post('/services/hold-music/new', holdMusic.create, 'hold_music', admin),
  get('/services/hold-music/:id', holdMusic.edit, 'hold_music', { ...admin, object: 'hold-music' }),
  post('/services/hold-music/:id', holdMusic.update, 'hold_music', { ...admin, object: 'hold-music' }),
  post('/services/hold-music/:id/tracks', holdMusic.upload, 'hold_music', { ...admin, object: 'hold-music' }),
  post('/services/hold-music/:id/order', holdMusic.order, 'hold_music', { ...admin, object: 'hold-music' }),
  post('/services/hold-music/:id/remove-track', holdMusic.removeTrack, 'hold_music', {
    ...admin,
    object: 'hold-music',
  }),
  get('/services/hold-music/:id/play', holdMusic.play, 'hold_music', { ...admin, object: 'hold-music' }),
  get('/services/hold-music/:id/delete', holdMusic.deleteForm, 'hold_music', { ...admin, object: 'hold-music' }),
  post('/services/hold-music/:id/delete', holdMusic.remove, 'hold_music', { ...admin, object: 'hold-music' }),
  get('/services/holidays', holidays.list, 'holidays'),
  get('/services/holidays/new', holidays.newForm, 'holidays', admin),
  post('/services/holidays/new', holidays.create, 'holidays', admin),
  get('/services/holidays/:id', holidays.edit, 'holidays', { ...admin, object: 'holidays' }),
  post('/services/holidays/:id', holidays.update, 'holidays', { ...admin, object: 'holidays' }),
  get('/services/holidays/:id/delete', holidays.deleteForm, 'holidays', { ...admin, object: 'holidays' }),
  post('/services/holidays/:id/delete', holidays.remove, 'holidays', { ...admin, object: 'holidays' }),
  get('/services/call-blocking', callBlocking.list, 'call_blocking'),
  get('/services/call-blocking/new', callBlocking.newForm, 'call_blocking', admin),
  post('/services/call-blocking/new', callBlocking.create, 'call_blocking', admin),
  get('/services/call-blocking/:id', callBlocking.edit, 'call_blocking', { ...admin, object: 'call-blocks' }),
  post('/services/call-blocking/:id', callBlocking.update, 'call_blocking', { ...admin, object: 'call-blocks' }),
  get('/services/call-blocking/:id/delete', callBlocking.deleteForm, 'call_blocking', {
    ...admin,
    object: 'call-blocks',
  }),
  post('/services/call-blocking/:id/delete', callBlocking.remove, 'call_blocking', { ...admin, object: 'call-blocks' }),
  get('/services/queues', queues.list, 'queues'),
  get('/services/queues/new', queues.newForm, 'queues', admin),
  post('/services/queues/new', queues.create, 'queues', admin),
  get('/services/queues/:id', queues.edit, 'queues', { ...admin, object: 'queues' }),
  post('/services/queues/:id', queues.update, 'queues', { ...admin, object: 'queues' }),
  get('/services/queues/:id/delete', queues.deleteForm, 'queues', { ...admin, object: 'queues' }),
  post('/services/queues/:id/delete', queues.remove, 'queues', { ...admin, object: 'queues' }),
  get('/services/sip-trunks', sipTrunks.list, 'sip_trunks'),
  get('/services/sip-trunks/new', sipTrunks.newForm, 'sip_trunks', admin),
  post('/services/sip-trunks/new', sipTrunks.create, 'sip_trunks', admin),
  get('/services/sip-trunks/:id', sipTrunks.edit, 'sip_trunks', { ...admin, object: 'trunks' }),
  post('/services/sip-trunks/:id', sipTrunks.update, 'sip_trunks', { ...admin, object: 'trunks' }),
  get('/services/sip-trunks/:id/delete', sipTrunks.deleteForm, 'sip_trunks', { ...admin, object: 'trunks' }),
  post('/services/sip-trunks/:id/delete', sipTrunks.remove, 'sip_trunks', { ...admin, object: 'trunks' }),

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
