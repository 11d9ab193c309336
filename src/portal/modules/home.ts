// Home: the PBX at a glance (counts, registered phones and unread voicemail where known) and quick links.
import type { Request, Response } from 'express';
import type { TimeFrame } from '../../domain/model';
import { timeFrameState } from '../../domain/time-rules';
import { type Portal, viewer } from '../context';
import { canSee } from '../menu';
import { renderPage } from '../render';

/** A hook that does not answer quickly is left out: Home never waits on FreeSWITCH. */
async function within<T>(ms: number, p: Promise<T> | undefined): Promise<T | null> {
  if (!p) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([p.catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function home(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const counts = await portal.services.browse.counts(v.actor, v.pbx.id, [
    'extensions',
    'numbers',
    'devices',
    'mailboxes',
    'attendants',
    'groups',
    'queues',
    'conferences',
  ]);
  const [registered, unread] = await Promise.all([
    v.isAdmin ? within(800, portal.hooks.registeredPhones?.(v.pbx.domain)) : null,
    within(800, portal.hooks.unreadVoicemail?.(v.actor, v.pbx.id)),
  ]);
  const tile = (key: string, label: string, path: string) =>
    key in counts ? { label, count: counts[key], path } : null;
  const tiles = [
    tile('extensions', 'Extensions', '/services/extensions'),
    tile('numbers', 'Phone Numbers', '/services/phone-numbers'),
    tile('devices', 'Devices', '/services/devices'),
    tile('mailboxes', 'Mailboxes', '/services/mailboxes'),
    tile('attendants', 'Auto Attendants', '/services/auto-attendants'),
    tile('groups', 'Groups', '/services/groups'),
    tile('queues', 'Queues', '/services/queues'),
    tile('conferences', 'Conference Rooms', '/services/conference-bridge'),
  ].filter((t) => t !== null && v.isAdmin); // an employee's own extension is the card above, not a count of 1
  if (registered !== null && registered !== undefined)
    tiles.push({ label: 'Registered phones', count: registered, path: '/services/devices' });
  const timeFrames = v.isAdmin ? await timeFramesNow(portal, v) : [];
  const links = [
    { label: 'Add an extension', path: '/services/extensions/new', module: 'extensions' as const, adminOnly: true },
    {
      label: 'Route a phone number',
      path: '/services/phone-numbers',
      module: 'phone_numbers' as const,
      adminOnly: true,
    },
    { label: 'Add a phone', path: '/install', module: 'devices' as const, adminOnly: true },
    {
      label: 'See where a call goes (call flow)',
      path: '/services/call-flow',
      module: 'phone_numbers' as const,
      adminOnly: true,
    },
    { label: 'Mark a holiday', path: '/services/holidays', module: 'holidays' as const, adminOnly: true },
    { label: "Today's calls", path: '/activity', module: 'activity' as const },
    { label: 'Listen to voicemail', path: '/voicemail', module: 'voicemail' as const },
    { label: 'Add a portal user', path: '/settings/users/new', module: 'users' as const, adminOnly: true },
  ].filter((l) => canSee(v.user, l));
  const own =
    !v.isAdmin && v.user.extensionId !== null && v.user.permissions.includes('extensions')
      ? { path: `/services/extensions/${v.user.extensionId}` }
      : null;
  renderPage(
    portal,
    req,
    res,
    'home/home',
    {
      pbxName: v.pbx.name,
      firstName: v.user.firstName || v.user.username,
      isAdmin: v.isAdmin,
      tiles,
      unread: unread ?? null,
      hasUnread: !!unread?.length,
      links,
      own,
      timeFrames,
    },
    { title: 'Home' },
  );
}

/** A module of the manual not built yet: a plain page inside the frame, so the menu never leads nowhere. */
export async function comingSoon(portal: Portal, req: Request, res: Response): Promise<void> {
  const label = String(res.locals.comingSoonLabel ?? 'This page');
  renderPage(portal, req, res, 'coming-soon/coming-soon', { label }, { title: label });
}

/** Each time frame, open or closed right now in the PBX time zone (the evaluator the generator agrees with). */
async function timeFramesNow(portal: Portal, v: ReturnType<typeof viewer>) {
  const zone = (await portal.services.pbx.get(v.actor, v.pbx.id).catch(() => null))?.timezone;
  if (!zone) return [];
  const frames = await portal.services.browse
    .page(v.actor, v.pbx.id, 'time-frames', { q: '', page: 1, perPage: 10 })
    .catch(() => null);
  return ((frames?.rows ?? []) as unknown as TimeFrame[]).map((t) => ({
    name: t.name,
    path: `/services/time-frames/${t.id}`,
    now: timeFrameState(t.rules, zone, Date.now()).inside ? 'Inside (during hours)' : 'Outside (after hours)',
  }));
}
