// The portal's route table: every page on one screen. Each route names the permission module it needs, whether it is
// for administrators only, and (for the IDOR sweep in test/portal) the kind whose id is in ":id".
// Adding a module: one handler file in modules/, its rows here; a menu item with no GET route shows "coming soon".
import type { Module } from '../domain/rules/device-user-rules';
import type { Handler, PortalRoute } from './context';
import * as activity from './modules/activity';
import * as activityCharts from './modules/activity-charts';
import * as apiTokens from './modules/api-tokens';
import * as audit from './modules/audit';
import { login, loginForm, logout } from './modules/auth';
import * as attendants from './modules/auto-attendants';
import * as callBlocking from './modules/call-blocking';
import * as callFlow from './modules/call-flow';
import * as conferenceBridge from './modules/conference-bridge';
import * as devices from './modules/devices';
import * as e911 from './modules/e911';
import * as extensions from './modules/extensions';
import * as greetings from './modules/greetings';
import * as groups from './modules/groups';
import * as holdMusic from './modules/hold-music';
import * as holidays from './modules/holidays';
import { home } from './modules/home';
import * as install from './modules/install';
import * as listenLive from './modules/listen-live';
import * as mailboxes from './modules/mailboxes';
import * as pbxInfo from './modules/pbx-info';
import * as phoneNumbers from './modules/phone-numbers';
import * as queues from './modules/queues';
import * as sipTrunks from './modules/sip-trunks';
import * as timeFrames from './modules/time-frames';
import * as users from './modules/users';
import * as voicemail from './modules/voicemail';
import * as voicemailConfiguration from './modules/voicemail-configuration';

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

/** Play, upload, back to default and Record of each greeting of a mailbox page under `base` (one row per greeting). */
function greetingRows(base: string, errorPage: greetings.GreetingErrorPage): PortalRoute[] {
  const mailbox = { object: 'mailboxes' };
  return greetings.GREETING_KINDS.flatMap((g) => [
    get(`${base}/:id/greetings/${g}`, greetings.play(g), 'mailboxes', mailbox),
    post(`${base}/:id/greetings/${g}`, greetings.upload(g, base, errorPage), 'mailboxes', mailbox),
    post(`${base}/:id/greetings/${g}/clear`, greetings.clear(g, base), 'mailboxes', mailbox),
    post(`${base}/:id/greetings/${g}/record`, greetings.record(g, base, errorPage), 'mailboxes', mailbox),
  ]);
}
const mailboxPages = mailboxes.editPages(mailboxes.MAILBOXES);

export const ROUTES: PortalRoute[] = [
  get('/login', loginForm, null, { public: true }),
  post('/login', login, null, { public: true }),
  post('/logout', logout, null),
  get('/', home, null),

  get('/activity', activity.search, 'activity'),
  get('/activity/export.csv', activity.exportCsv, 'activity'),
  get('/activity/graph', activityCharts.graph, 'activity'),
  get('/activity/path-usage', activityCharts.pathUsage, 'activity', admin),

  get('/services/extensions', extensions.list, 'extensions'),
  get('/services/extensions/new', extensions.newForm, 'extensions', admin),
  post('/services/extensions/new', extensions.create, 'extensions', admin),
  get('/services/extensions/:id', extensions.edit, 'extensions', { object: 'extensions' }),
  post('/services/extensions/:id', extensions.update, 'extensions', { object: 'extensions' }),
  get('/services/extensions/:id/delete', extensions.deleteForm, 'extensions', { ...admin, object: 'extensions' }),
  post('/services/extensions/:id/delete', extensions.remove, 'extensions', { ...admin, object: 'extensions' }),

  get('/services/mailboxes', mailboxes.list, 'mailboxes'),
  get('/services/mailboxes/new', mailboxes.newForm, 'mailboxes', admin),
  post('/services/mailboxes/new', mailboxes.create, 'mailboxes', admin),
  get('/services/mailboxes/:id', mailboxPages.edit, 'mailboxes', { object: 'mailboxes' }),
  post('/services/mailboxes/:id', mailboxPages.update, 'mailboxes', { object: 'mailboxes' }),
  get('/services/mailboxes/:id/delete', mailboxes.deleteForm, 'mailboxes', { ...admin, object: 'mailboxes' }),
  post('/services/mailboxes/:id/delete', mailboxes.remove, 'mailboxes', { ...admin, object: 'mailboxes' }),
  ...greetingRows('/services/mailboxes', mailboxPages.errorPage),

  get('/services/phone-numbers', phoneNumbers.list, 'phone_numbers', admin),
  get('/services/phone-numbers/:id', phoneNumbers.edit, 'phone_numbers', { ...admin, object: 'numbers' }),
  post('/services/phone-numbers/:id', phoneNumbers.update, 'phone_numbers', { ...admin, object: 'numbers' }),

  get('/services/devices', devices.list, 'devices', admin),
  get('/services/devices/:id', devices.edit, 'devices', { ...admin, object: 'devices' }),
  post('/services/devices/:id', devices.update, 'devices', { ...admin, object: 'devices' }),
  post('/services/devices/:id/arm', devices.arm, 'devices', { ...admin, object: 'devices' }),
  post('/services/devices/:id/disarm', devices.disarm, 'devices', { ...admin, object: 'devices' }),
  post('/services/devices/:id/rotate', devices.rotate, 'devices', { ...admin, object: 'devices' }),
  get('/services/devices/:id/delete', devices.deleteForm, 'devices', { ...admin, object: 'devices' }),
  post('/services/devices/:id/delete', devices.remove, 'devices', { ...admin, object: 'devices' }),
  get('/install', install.form, 'devices', admin),
  post('/install', install.create, 'devices', admin),
  get('/install/:id', install.result, 'devices', { ...admin, object: 'devices' }),
  post('/install/:id/arm', install.arm, 'devices', { ...admin, object: 'devices' }),

  get('/voicemail/configuration', voicemailConfiguration.index, 'mailboxes'),
  get('/voicemail/configuration/:id', voicemailConfiguration.edit, 'mailboxes', { object: 'mailboxes' }),
  post('/voicemail/configuration/:id', voicemailConfiguration.update, 'mailboxes', { object: 'mailboxes' }),
  ...greetingRows('/voicemail/configuration', voicemailConfiguration.errorPage),

  // Each user's own tokens (an administrator also sees everyone's); a token id is not a kind: the service answers 404.
  get('/settings/api-tokens', apiTokens.list, null),
  post('/settings/api-tokens', apiTokens.create, null),
  post('/settings/api-tokens/:id/revoke', apiTokens.revoke, null),
  get('/services/pbx-info', pbxInfo.show, 'pbx_info'),
  post('/services/pbx-info', pbxInfo.update, 'pbx_info', admin),
  post('/services/pbx-info/reveal', pbxInfo.reveal, 'pbx_info', admin),

  get('/services/e911', e911.list, 'e911', admin),
  get('/services/e911/new', e911.newForm, 'e911', admin),
  post('/services/e911/new', e911.create, 'e911', admin),
  get('/services/e911/:id', e911.edit, 'e911', { ...admin, object: 'e911' }),
  post('/services/e911/:id', e911.update, 'e911', { ...admin, object: 'e911' }),
  get('/services/e911/:id/delete', e911.deleteForm, 'e911', { ...admin, object: 'e911' }),
  post('/services/e911/:id/delete', e911.remove, 'e911', { ...admin, object: 'e911' }),

  get('/services/auto-attendants', attendants.list, 'auto_attendants'),
  get('/services/auto-attendants/new', attendants.newForm, 'auto_attendants', admin),
  post('/services/auto-attendants/new', attendants.create, 'auto_attendants', admin),
  get('/services/auto-attendants/:id', attendants.edit, 'auto_attendants', { object: 'attendants' }),
  post('/services/auto-attendants/:id', attendants.update, 'auto_attendants', { ...admin, object: 'attendants' }),
  get('/services/auto-attendants/:id/announcement', attendants.playAnnouncement, 'auto_attendants', {
    object: 'attendants',
  }),
  post('/services/auto-attendants/:id/announcement', attendants.uploadAnnouncement, 'auto_attendants', {
    ...admin,
    object: 'attendants',
  }),
  post('/services/auto-attendants/:id/announcement/default', attendants.useDefault, 'auto_attendants', {
    ...admin,
    object: 'attendants',
  }),
  post('/services/auto-attendants/:id/record', attendants.recordByPhone, 'auto_attendants', {
    ...admin,
    object: 'attendants',
  }),
  get('/services/auto-attendants/:id/delete', attendants.deleteForm, 'auto_attendants', {
    ...admin,
    object: 'attendants',
  }),
  post('/services/auto-attendants/:id/delete', attendants.remove, 'auto_attendants', {
    ...admin,
    object: 'attendants',
  }),

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
