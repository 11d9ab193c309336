// The manual's menu: Home, Activity, Voicemail, Services, Settings, each with its left-menu items and stable URLs.
// An item shows only to users with its module (and, for admin items, administrators); a section with no item hides.
import type { Module } from '../domain/rules/device-user-rules';

export interface MenuItem {
  label: string;
  path: string;
  module: Module | null;
  adminOnly?: boolean;
}

export interface MenuSection {
  key: string;
  label: string;
  items: MenuItem[];
}

export const MENU: readonly MenuSection[] = [
  { key: 'home', label: 'Home', items: [{ label: 'Home', path: '/', module: null }] },
  {
    key: 'activity',
    label: 'Activity',
    items: [
      { label: 'Activity', path: '/activity', module: 'activity' },
      { label: 'Activity Graph', path: '/activity/graph', module: 'activity' },
      { label: 'Path Usage', path: '/activity/path-usage', module: 'activity', adminOnly: true },
    ],
  },
  {
    key: 'voicemail',
    label: 'Voicemail',
    items: [
      { label: 'Voicemail', path: '/voicemail', module: 'voicemail' },
      { label: 'Voicemail Configuration', path: '/voicemail/configuration', module: 'mailboxes' },
    ],
  },
  {
    key: 'services',
    label: 'Services',
    items: [
      { label: 'PBX Info', path: '/services/pbx-info', module: 'pbx_info' },
      { label: 'Phone Numbers', path: '/services/phone-numbers', module: 'phone_numbers' },
      { label: 'Call Flow', path: '/services/call-flow', module: 'phone_numbers', adminOnly: true },
      { label: 'E911', path: '/services/e911', module: 'e911' },
      { label: 'Extensions', path: '/services/extensions', module: 'extensions' },
      { label: 'Mailboxes', path: '/services/mailboxes', module: 'mailboxes' },
      { label: 'Auto Attendants', path: '/services/auto-attendants', module: 'auto_attendants' },
      { label: 'Time Frames', path: '/services/time-frames', module: 'time_frames' },
      { label: 'Groups', path: '/services/groups', module: 'groups' },
      { label: 'Conference Bridge', path: '/services/conference-bridge', module: 'conference' },
      { label: 'Listen Live', path: '/services/listen-live', module: 'listen_live' },
      { label: 'Holidays', path: '/services/holidays', module: 'holidays' },
      { label: 'Hold Music', path: '/services/hold-music', module: 'hold_music' },
      { label: 'Call Blocking', path: '/services/call-blocking', module: 'call_blocking' },
      { label: 'Queues', path: '/services/queues', module: 'queues' },
      { label: 'SIP Trunks', path: '/services/sip-trunks', module: 'sip_trunks' },
      { label: 'Devices', path: '/services/devices', module: 'devices' },
    ],
  },
  {
    key: 'settings',
    label: 'Settings',
    items: [
      { label: 'Users', path: '/settings/users', module: 'users', adminOnly: true },
      { label: 'Permissions', path: '/settings/permissions', module: 'users', adminOnly: true },
      { label: 'Audit Log', path: '/settings/audit', module: 'users', adminOnly: true },
      // Every user may hold API tokens (/settings/api-tokens); the menu shows them to administrators only, so an
      // employee's menu keeps no Settings tab.
      { label: 'API Tokens', path: '/settings/api-tokens', module: null, adminOnly: true },
    ],
  },
];

/** Human names of the permission modules, in the manual's order (the permissions checklist). */
export const MODULE_LABELS: Record<Module, string> = {
  activity: 'Activity',
  voicemail: 'Voicemail',
  pbx_info: 'PBX Info',
  phone_numbers: 'Phone Numbers',
  e911: 'E911',
  extensions: 'Extensions',
  mailboxes: 'Mailboxes',
  auto_attendants: 'Auto Attendants',
  time_frames: 'Time Frames',
  groups: 'Groups',
  conference: 'Conference Bridge',
  listen_live: 'Listen Live',
  holidays: 'Holidays',
  hold_music: 'Hold Music',
  call_blocking: 'Call Blocking',
  queues: 'Queues',
  sip_trunks: 'SIP Trunks',
  devices: 'Devices',
  users: 'Users',
};

export interface MenuUser {
  type: 'admin' | 'employee';
  permissions: readonly string[];
}

export function canSee(user: MenuUser, item: Pick<MenuItem, 'module' | 'adminOnly'>): boolean {
  if (item.adminOnly && user.type !== 'admin') return false;
  return item.module === null || user.permissions.includes(item.module);
}

export interface MenuView {
  tabs: Array<{ label: string; path: string; current: boolean }>;
  side: Array<{ label: string; path: string; current: boolean }>;
  sectionLabel: string;
}

/** The menu for this user with the current page marked (longest matching item path wins). */
export function menuFor(user: MenuUser, currentPath: string): MenuView {
  const visible = MENU.map((s) => ({ ...s, items: s.items.filter((i) => canSee(user, i)) })).filter(
    (s) => s.items.length,
  );
  let best: { section: string; path: string } | null = null;
  for (const s of visible)
    for (const i of s.items) {
      const hit = i.path === '/' ? currentPath === '/' : currentPath === i.path || currentPath.startsWith(`${i.path}/`);
      if (hit && (!best || i.path.length > best.path.length)) best = { section: s.key, path: i.path };
    }
  const current = visible.find((s) => s.key === best?.section);
  return {
    tabs: visible.map((s) => ({ label: s.label, path: s.items[0].path, current: s.key === best?.section })),
    side:
      current && current.items.length > 1
        ? current.items.map((i) => ({ label: i.label, path: i.path, current: i.path === best?.path }))
        : [],
    sectionLabel: current?.label ?? '',
  };
}
