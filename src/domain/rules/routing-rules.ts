// Field rules for phone numbers, E911 locations, auto attendants, time frames, holidays and ring groups.
import type { Destination } from '../destination';
import { checkAddress } from '../e911-address';
import {
  type Announcement,
  ATTENDANT_KEYS,
  type AttendantKey,
  type AutoAttendant,
  type E911Location,
  type Holiday,
  type PhoneNumber,
  RING_STRATEGIES,
  type RingGroup,
  type TimeFrame,
  type TimeRule,
} from '../model';
import { printable } from '../printable';
import type { PbxSnapshot } from '../snapshot';
import { Fields } from '../validate';

type Data<T> = Omit<T, 'id' | 'pbxId'>;

const US_STATES = /^[A-Z]{2}$/;

function uniqueName(
  f: Fields,
  list: Array<{ id: number; name: string }>,
  name: string,
  id: number | null,
  what: string,
): void {
  if (name && list.some((x) => x.id !== id && x.name.toLowerCase() === name.toLowerCase()))
    f.fail('name', `another ${what} is already named "${printable(name)}"`);
}

export function parsePhoneNumber(f: Fields, snap: PbxSnapshot, _id: number | null): Data<PhoneNumber> {
  const holdMusicGroupId = f.optionalId('holdMusicGroupId');
  if (holdMusicGroupId !== null && !snap.holdMusicGroups.some((g) => g.id === holdMusicGroupId))
    f.fail('holdMusicGroupId', 'hold music group does not exist in this PBX');
  const state = f.string('state')?.toUpperCase() || null;
  if (state && !US_STATES.test(state)) f.fail('state', 'must be a two-letter state code');
  return {
    number: f.phoneNumber('number'),
    tollFree: f.bool('tollFree'),
    state,
    callerIdName: f.optionalText('callerIdName', 15),
    showCallerId: f.bool('showCallerId', true),
    routeTo: f.destination('routeTo', 'general'),
    ifHoliday: f.has('ifHoliday') ? f.destination('ifHoliday', 'general') : null,
    holdMusicGroupId,
    privacyScreening: f.bool('privacyScreening'),
  };
}

/**
 * An E911 location: its address as emergency services' databases hold it (USPS Publication 28 form, see
 * e911-address.ts: what is typed is normalised, what cannot be read is refused with what is wrong), the callback
 * number (one location per number) and the terms, agreed to before the location is created. Who agreed is stamped
 * by the service (kinds.ts), not typed.
 */
export function parseE911Location(
  f: Fields,
  snap: PbxSnapshot,
  id: number | null,
  current: E911Location | null,
): Data<E911Location> {
  const callbackNumberId = f.optionalId('callbackNumberId');
  if (callbackNumberId === null) f.fail('callbackNumberId', 'is required: the number presented to emergency services');
  else if (!snap.phoneNumbers.some((n) => n.id === callbackNumberId))
    f.fail('callbackNumberId', 'phone number does not exist in this PBX');
  else {
    const other = snap.e911Locations.find((l) => l.id !== id && l.callbackNumberId === callbackNumberId);
    if (other)
      f.fail(
        'callbackNumberId',
        `this phone number is already the callback number of another E911 location ("${printable(other.name)}"); ` +
          'each phone number can be used for a single E911 location',
      );
  }
  if (!current && !f.bool('termsAccepted')) f.fail('termsAccepted', 'you must agree to the E911 terms and conditions');
  const name = f.text('name', { max: 50 });
  uniqueName(f, snap.e911Locations, name, id, 'E911 location');
  // Each part as typed text first (allow-list, length), then read as an address.
  const typed = {
    street: f.text('street', { max: 100 }),
    unit: f.optionalText('unit', 30),
    city: f.text('city', { max: 50 }),
    state: f.text('state', { max: 30 }),
    zip: f.string('zip') ?? '',
  };
  const address = checkAddress(typed);
  for (const [field, message] of Object.entries(address.errors)) if (!(field in f.errors)) f.fail(field, message);
  const a = address.normalised ?? { ...typed, state: typed.state.toUpperCase() };
  return {
    name,
    street: a.street,
    unit: a.unit,
    city: a.city,
    state: a.state,
    zip: a.zip,
    callbackNumberId: callbackNumberId ?? 0,
    termsAcceptedAt: current?.termsAcceptedAt ?? new Date(),
    termsAcceptedById: current?.termsAcceptedById ?? null,
    termsAcceptedBy: current?.termsAcceptedBy ?? null,
  };
}

function parseAnnouncement(f: Fields, snap: PbxSnapshot): Announcement {
  const raw = f.raw('announcement');
  if (raw !== undefined && raw !== null && typeof raw !== 'string' && (typeof raw !== 'object' || Array.isArray(raw))) {
    f.fail('announcement', 'must be default, audio (with audioId) or mailbox (with mailboxId)');
    return { source: 'default' };
  }
  const a = (typeof raw === 'string' ? { source: raw } : (raw ?? { source: 'default' })) as Record<string, unknown>;
  const af = new Fields(a);
  const source = af.oneOf('source', ['default', 'audio', 'mailbox'] as const, 'default');
  let out: Announcement = { source: 'default' };
  if (source === 'audio') {
    const audioId = af.optionalId('audioId');
    if (audioId === null || !snap.audioFiles.some((x) => x.id === audioId))
      af.fail('audioId', 'audio file does not exist in this PBX');
    out = { source, audioId: audioId ?? 0 };
  } else if (source === 'mailbox') {
    const mailboxId = af.optionalId('mailboxId');
    if (mailboxId === null || !snap.mailboxes.some((x) => x.id === mailboxId))
      af.fail('mailboxId', 'mailbox does not exist in this PBX');
    out = { source, mailboxId: mailboxId ?? 0 };
  }
  for (const [k, m] of Object.entries(af.errors)) f.fail(`announcement.${k}`, m);
  return out;
}

export function parseAutoAttendant(f: Fields, snap: PbxSnapshot, id: number | null): Data<AutoAttendant> {
  const name = f.text('name', { max: 50 });
  uniqueName(f, snap.autoAttendants, name, id, 'auto attendant');
  const raw = f.raw('buttons') ?? {};
  const buttons: Partial<Record<AttendantKey, Destination>> = {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    f.fail('buttons', 'must map keys 0-9, *, # and timeout to destinations');
  else {
    const bf = new Fields(raw as Record<string, unknown>);
    for (const key of Object.keys(raw)) {
      if (!(ATTENDANT_KEYS as readonly string[]).includes(key))
        f.fail('buttons', `unknown key "${printable(key, 10)}"`);
      else if (bf.has(key)) buttons[key as AttendantKey] = bf.destination(key, 'general');
    }
    for (const [k, m] of Object.entries(bf.errors)) f.fail(`buttons.${k}`, m);
  }
  return {
    name,
    timeoutSec: f.int('timeoutSec', { min: 1, max: 60, fallback: 10 }),
    digitTimeoutSec: f.int('digitTimeoutSec', { min: 1, max: 10, fallback: 3 }),
    announcement: parseAnnouncement(f, snap),
    buttons,
    dialExtensions: f.bool('dialExtensions', true),
  };
}

export function parseTimeFrame(f: Fields, snap: PbxSnapshot, id: number | null): Data<TimeFrame> {
  const name = f.text('name', { max: 50 });
  uniqueName(f, snap.timeFrames, name, id, 'time frame');
  const raw = f.raw('rules') ?? [];
  const rules: TimeRule[] = [];
  if (!Array.isArray(raw) || raw.length > 14) f.fail('rules', 'must be a list of at most 14 rules');
  else
    raw.forEach((r, i) => {
      const rf = new Fields((r ?? {}) as Record<string, unknown>);
      const daysRaw = (r as Record<string, unknown>)?.days;
      // Only numbers or digit text: Number('') and Number(null) are 0, which would silently mean Sunday.
      const dayOk = (d: unknown) => typeof d === 'number' || (typeof d === 'string' && /^\d$/.test(d.trim()));
      const days = Array.isArray(daysRaw) && daysRaw.every(dayOk) ? daysRaw.map(Number) : [];
      if (
        !days.length ||
        days.some((d) => !Number.isInteger(d) || d < 0 || d > 6) ||
        new Set(days).size !== days.length
      )
        rf.fail('days', 'must list weekdays 0 (Sunday) to 6 (Saturday)');
      const allDay = rf.bool('allDay');
      const from = rf.time('from', '00:00');
      const to = rf.time('to', '24:00');
      if (!allDay && from >= to) rf.fail('to', 'must be later than the start time');
      // An optional date range (both dates, included): the rule applies only on those dates.
      const dateFrom = rf.has('dateFrom') ? rf.date('dateFrom') : null;
      const dateTo = rf.has('dateTo') ? rf.date('dateTo') : null;
      if ((dateFrom === null) !== (dateTo === null))
        rf.fail(dateFrom === null ? 'dateFrom' : 'dateTo', 'a date range needs both its first and its last date');
      else if (dateFrom && dateTo && !rf.errors.dateFrom && !rf.errors.dateTo && dateFrom > dateTo)
        rf.fail('dateTo', 'must be on or after the first date');
      const rule: TimeRule = {
        days: [...days].sort(),
        allDay,
        from: allDay ? '00:00' : from,
        to: allDay ? '24:00' : to,
      };
      if (dateFrom && dateTo) Object.assign(rule, { dateFrom, dateTo });
      rules.push(rule);
      for (const [k, m] of Object.entries(rf.errors)) f.fail(`rules.${i + 1}.${k}`, m);
    });
  return { name, rules, during: f.destination('during', 'general'), after: f.destination('after', 'general') };
}

/** Longest holiday of several days: a company closure, not a season. */
export const HOLIDAY_MAX_DAYS = 31;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** First and last day of a holiday (a single day: both the same). */
export function holidayDays(h: Pick<Holiday, 'date' | 'endDate'>): { from: string; to: string } {
  return { from: h.date, to: h.endDate ?? h.date };
}

export function parseHoliday(f: Fields, snap: PbxSnapshot, id: number | null): Data<Holiday> {
  const name = f.text('name', { max: 50 });
  const date = f.date('date');
  const endDate = f.has('endDate') ? f.date('endDate') : null;
  if (date && endDate && !('date' in f.errors) && !('endDate' in f.errors)) {
    const days = dayNumber(endDate) - dayNumber(date) + 1;
    if (days < 1) f.fail('endDate', 'must be on or after the first day');
    else if (days > HOLIDAY_MAX_DAYS) f.fail('endDate', `a holiday may last at most ${HOLIDAY_MAX_DAYS} days`);
  }
  if (date && !('date' in f.errors) && !('endDate' in f.errors)) {
    const to = endDate && endDate > date ? endDate : date;
    const clash = snap.holidays.find((h) => h.id !== id && h.date <= to && holidayDays(h).to >= date);
    if (clash) {
      const when = clash.endDate ? `${clash.date} to ${clash.endDate}` : clash.date;
      f.fail('date', `overlaps the holiday "${printable(clash.name)}" (${when})`);
    }
  }
  // A single day is stored without an end date, however it was entered.
  return { name, date, endDate: endDate && endDate !== date ? endDate : null };
}

export function parseRingGroup(f: Fields, snap: PbxSnapshot, id: number | null): Data<RingGroup> {
  const name = f.text('name', { max: 50 });
  uniqueName(f, snap.ringGroups, name, id, 'group');
  const memberIds = f.idList('memberIds', 100);
  if (!memberIds.length) f.fail('memberIds', 'select at least one extension');
  for (const m of memberIds)
    if (!snap.extensions.some((e) => e.id === m)) f.fail('memberIds', `extension #${m} does not exist in this PBX`);
  return {
    name,
    strategy: f.oneOf('strategy', RING_STRATEGIES, 'simultaneous'),
    secondsToRing: f.int('secondsToRing', { min: 5, max: 300, fallback: 20 }),
    memberIds,
    afterRing: f.destination('afterRing', 'general', { kind: 'hangup' }),
  };
}
