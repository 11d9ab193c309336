// Field rules for extensions and mailboxes (manual: Extensions, Mailboxes, Voicemail Configuration).
import type { Destination } from '../destination';
import type { Extension, FindMe, FindMeLocation, Mailbox } from '../model';
import { printable } from '../printable';
import type { PbxSnapshot } from '../snapshot';
import { Fields } from '../validate';
import { checkNumberAgainstFeatureCodes } from './feature-codes';

export type ExtensionData = Omit<Extension, 'id' | 'pbxId'>;
export type MailboxData = Omit<Mailbox, 'id' | 'pbxId'>;

const PHONE: Destination = { kind: 'phone' };

function numberTaken(snap: PbxSnapshot, number: string, self: { kind: string; id: number | null }): string | null {
  const ext = snap.extensions.find((e) => e.number === number && !(self.kind === 'extension' && e.id === self.id));
  if (ext) return `extension ${printable(number)} already exists`;
  const conf = snap.conferenceRooms.find(
    (c) => c.number === number && !(self.kind === 'conference' && c.id === self.id),
  );
  if (conf) return `conference room ${printable(number)} already uses this number`;
  const queue = snap.queues.find((q) => q.number === number && !(self.kind === 'queue' && q.id === self.id));
  if (queue) return `queue "${printable(queue.name)}" already uses this number`;
  const hub = snap.conferenceHubs.find(
    (h) => h.number === number && !(self.kind === 'conference_hub' && h.id === self.id),
  );
  if (hub) return `conference hub "${printable(hub.name)}" already uses this number`;
  return null;
}

/** Extension, conference room, conference hub and queue numbers share the PBX's dial plan: they must not collide. */
export function checkDialableNumber(
  f: Fields,
  snap: PbxSnapshot,
  field: string,
  number: string,
  self: { kind: 'extension' | 'conference' | 'conference_hub' | 'queue'; id: number | null },
): void {
  if (!number) return;
  const taken = numberTaken(snap, number, self);
  if (taken) f.fail(field, taken);
  if (number === '911' || number.startsWith('911')) f.fail(field, 'must not start with 911 (emergency)');
  const was = f.saved(field);
  // A hub number is dialled alone, like a room number: only park slots can collide with it.
  const kind = self.kind === 'conference_hub' ? 'conference' : self.kind;
  checkNumberAgainstFeatureCodes(f, snap, field, kind, number, typeof was === 'string' ? was : null);
}

function parseFindMe(f: Fields, snap: PbxSnapshot): FindMe {
  const raw = (f.raw('findMe') ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    f.fail('findMe', 'must be an object');
    return defaultFindMe();
  }
  const saved = savedMap(f, 'findMe');
  const sub = new Fields(raw, saved);
  const locationsRaw = sub.raw('locations') ?? [];
  const locations: FindMeLocation[] = [];
  if (!Array.isArray(locationsRaw) || locationsRaw.length > 5) {
    f.fail('findMe.locations', 'must be a list of at most 5 locations');
  } else {
    locationsRaw.forEach((l, i) => {
      const lf = new Fields((l ?? {}) as Record<string, unknown>);
      const type = lf.oneOf('type', ['my_extension', 'other_extension', 'outside_number'] as const);
      const active = lf.bool('active', true);
      if (type === 'my_extension') locations.push({ active, type });
      else if (type === 'other_extension') {
        const extensionId = lf.optionalId('extensionId') ?? 0;
        if (!snap.extensions.some((e) => e.id === extensionId))
          lf.fail('extensionId', 'extension does not exist in this PBX');
        locations.push({ active, type, extensionId });
      } else locations.push({ active, type, number: lf.phoneNumber('number') });
      for (const [k, m] of Object.entries(lf.errors)) f.fail(`findMe.locations.${i + 1}.${k}`, m);
    });
  }
  const fm: FindMe = {
    locations,
    ringSeconds: sub.int('ringSeconds', { min: 5, max: 120, fallback: 20 }),
    recordCallerName: sub.bool('recordCallerName'),
    offerVoicemail: sub.bool('offerVoicemail'),
    alwaysActive: sub.bool('alwaysActive', true),
    activeFrom: sub.time('activeFrom', '08:00'),
    activeTo: sub.time('activeTo', '18:00'),
    includeSaturday: sub.bool('includeSaturday'),
    includeSunday: sub.bool('includeSunday'),
    fallback: sub.destination('fallback', 'general', { kind: 'check_voicemail' }),
  };
  if (!fm.alwaysActive && fm.activeFrom >= fm.activeTo)
    sub.fail('activeTo', 'must be later than the start of active hours');
  for (const [k, m] of Object.entries(sub.errors)) f.fail(`findMe.${k}`, m);
  return fm;
}

/** The saved map of an object field (routing, Find Me), or null on create. */
function savedMap(f: Fields, field: string): Record<string, unknown> | null {
  const v = f.saved(field);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function defaultFindMe(): FindMe {
  return {
    locations: [],
    ringSeconds: 20,
    recordCallerName: false,
    offerVoicemail: false,
    alwaysActive: true,
    activeFrom: '08:00',
    activeTo: '18:00',
    includeSaturday: false,
    includeSunday: false,
    fallback: { kind: 'check_voicemail' },
  };
}

export function parseExtension(
  f: Fields,
  snap: PbxSnapshot,
  id: number | null,
  current: Extension | null,
): ExtensionData {
  const number = f.digits('number', { min: 2, max: 6 });
  checkDialableNumber(f, snap, 'number', number, { kind: 'extension', id });
  const mailboxId = f.optionalId('mailboxId');
  if (mailboxId !== null && !snap.mailboxes.some((m) => m.id === mailboxId))
    f.fail('mailboxId', 'mailbox does not exist in this PBX');
  const e911LocationId = f.optionalId('e911LocationId');
  if (e911LocationId === null) f.fail('e911LocationId', 'every extension needs an E911 location');
  else if (!snap.e911Locations.some((l) => l.id === e911LocationId))
    f.fail('e911LocationId', 'E911 location does not exist in this PBX');
  const outgoingCallerIdNumberId = f.optionalId('outgoingCallerIdNumberId');
  if (outgoingCallerIdNumberId !== null && !snap.phoneNumbers.some((n) => n.id === outgoingCallerIdNumberId))
    f.fail('outgoingCallerIdNumberId', 'phone number does not exist in this PBX');
  const routingRaw = f.raw('routing') ?? {};
  const routingIsObject = typeof routingRaw === 'object' && !Array.isArray(routingRaw);
  if (!routingIsObject) f.fail('routing', 'must map tryFirst, ifBusy, ifNotAnswered and ifOffline to destinations');
  // A partial map changes only the choices it names (null puts one back to its default).
  const rf = new Fields(routingIsObject ? (routingRaw as Record<string, unknown>) : {}, savedMap(f, 'routing'));
  const fallbackVm: Destination = mailboxId !== null ? { kind: 'mailbox', id: mailboxId } : { kind: 'hangup' };
  const routing = {
    tryFirst: rf.destination('tryFirst', 'extension_routing', PHONE),
    ifBusy: rf.destination(
      'ifBusy',
      'extension_routing',
      mailboxId !== null ? { kind: 'mailbox', id: mailboxId, greeting: 'busy' } : fallbackVm,
    ),
    ifNotAnswered: rf.destination('ifNotAnswered', 'extension_routing', fallbackVm),
    ifOffline: rf.destination('ifOffline', 'extension_routing', fallbackVm),
  };
  for (const [k, m] of Object.entries(rf.errors)) f.fail(`routing.${k}`, m);
  if (id !== null) {
    for (const [k, d] of Object.entries(routing))
      if (d.kind === 'extension' && d.id === id)
        f.fail(`routing.${k}`, 'must not send calls back to the same extension');
  }
  const mwiRaw = f.raw('mwiMailboxes') ?? [];
  const mwiList = Array.isArray(mwiRaw) ? mwiRaw : typeof mwiRaw === 'string' ? mwiRaw.split(',') : null;
  // A list of mailbox numbers (or "201,202" text); anything else is refused rather than read as "none".
  if (!mwiList?.every((m) => typeof m === 'string' || typeof m === 'number'))
    f.fail('mwiMailboxes', 'must be a list of mailbox numbers');
  const mwiMailboxes = (mwiList ?? [])
    .filter((m) => typeof m === 'string' || typeof m === 'number')
    .map((m) => String(m).trim())
    .filter(Boolean);
  if (mwiMailboxes.length > 10) f.fail('mwiMailboxes', 'at most 10 mailboxes');
  for (const m of mwiMailboxes)
    if (!snap.mailboxes.some((b) => b.number === m))
      f.fail('mwiMailboxes', `mailbox ${printable(m, 12)} does not exist in this PBX`);
  const password = current?.sipPassword ?? (f.raw('sipPassword') as string | undefined);
  if (!password || !/^[A-Za-z0-9]{12,64}$/.test(password)) f.fail('sipPassword', 'must be 12 to 64 letters and digits');
  return {
    number,
    name: f.text('name', { max: 50 }),
    outgoingCallerIdNumberId,
    e911LocationId: e911LocationId ?? 0,
    secondsToRing: f.int('secondsToRing', { min: 5, max: 120, fallback: 20 }),
    sipPassword: password ?? '',
    mailboxId,
    routing,
    findMe: parseFindMe(f, snap),
    mwiMailboxes: [...new Set(mwiMailboxes)],
    disallowDialByExtension: f.bool('disallowDialByExtension'),
    disableCallWaiting: f.bool('disableCallWaiting'),
    disableMissedCallList: f.bool('disableMissedCallList'),
    buddyList: f.bool('buddyList', true),
    agentStatusDisplay: f.bool('agentStatusDisplay'),
    dialHashToTransfer: f.bool('dialHashToTransfer'),
  };
}

export function parseMailbox(f: Fields, snap: PbxSnapshot, id: number | null): MailboxData {
  const number = f.digits('number', { min: 2, max: 6 });
  if (number && snap.mailboxes.some((m) => m.number === number && m.id !== id))
    f.fail('number', `mailbox ${printable(number)} already exists`);
  const was = f.saved('number');
  checkNumberAgainstFeatureCodes(f, snap, 'number', 'mailbox', number, typeof was === 'string' ? was : null);
  const password = f.digits('password', { min: 4, max: 12 });
  if (password && password === number) f.fail('password', 'must not be the same as the mailbox number');
  const confirm = f.raw('passwordConfirm');
  if (confirm !== undefined && String(confirm) !== password) f.fail('passwordConfirm', 'does not match the password');
  const greeting = (field: string) => {
    const gid = f.optionalId(field);
    if (gid !== null && !snap.audioFiles.some((a) => a.id === gid))
      f.fail(field, 'audio file does not exist in this PBX');
    return gid;
  };
  return {
    number,
    name: f.text('name', { max: 50 }),
    password,
    unavailableGreetingId: greeting('unavailableGreetingId'),
    busyGreetingId: greeting('busyGreetingId'),
    nameGreetingId: greeting('nameGreetingId'),
    email: f.email('email'),
    smsEmail: f.email('smsEmail'),
    deleteAfterEmail: f.bool('deleteAfterEmail'),
    dialDuringAnnouncement: f.bool('dialDuringAnnouncement'),
    skipInstructions: f.bool('skipInstructions'),
    announcementOnly: f.bool('announcementOnly'),
    hideFromDirectory: f.bool('hideFromDirectory'),
    retentionDays: f.int('retentionDays', { min: 1, max: 180, fallback: 180 }),
  };
}
