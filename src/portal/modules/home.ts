// Home: the PBX at a glance (counts, registered phones and unread voicemail where known) and quick links.
import type { Request, Response } from 'express';
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
  ].filter((t) => t !== null && v.isAdmin); // an employee's own extension is the card above, not a count of 1
  if (registered !== null && registered !== undefined)
    tiles.push({ label: 'Registered phones', count: registered, path: '/services/devices' });
  const links = [
    { label: 'Add an extension', path: '/services/extensions/new', module: 'extensions' as const, adminOnly: true },
    {
      label: 'Route a phone number',
      path: '/services/phone-numbers',
      module: 'phone_numbers' as const,
      adminOnly: true,
    },
    { label: 'Add a phone', path: '/install', module: 'devices' as const, adminOnly: true },
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
    },
    { title: 'Home' },
  );
}

/** A module of the manual not built yet: a plain page inside the frame, so the menu never leads nowhere. */
export async function comingSoon(portal: Portal, req: Request, res: Response): Promise<void> {
  const label = String(res.locals.comingSoonLabel ?? 'This page');
  renderPage(portal, req, res, 'coming-soon/coming-soon', { label }, { title: label });
}
