// Phone numbers (DIDs): the public-context entry per number (blocking, privacy screening, hold music, caller-ID
// presentation) and dt_did_<id> in the PBX context (holiday check first, in the PBX time zone, then route-to).
import type { PhoneNumber } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { splitBlocks } from '../block-regex';
import { compileDestination, entry } from '../entry-points';
import { fsText } from '../escape';
import type { Action, Fragment, XMLBuilder } from '../xml';
import {
  alternatives,
  type Condition,
  ctxOf,
  digitsOnly,
  domainOf,
  entryCondition,
  extension,
  STOCK_SOUNDS,
  set,
  transfer,
} from './common';
import { holdMusicStream } from './hold-music';
import { holidayRangeAttributes, timezoneAction, whenAny } from './time-frames';

/** NANP numbers are stored as 10 digits; carriers send them as 10, 11 (leading 1) or +1 digits. */
function nanp10(digits: string): string | undefined {
  if (digits.length === 10) return digits;
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return undefined;
}

/** Regex matching a called number the way carriers send it (destination_number in the public context). */
export function didRegex(number: string): string {
  const d = digitsOnly(number);
  const n = nanp10(d);
  return n ? `^(?:\\+?1)?${n}$` : `^\\+?${d}$`;
}

/** Regex matching any of these caller/dialed numbers, NANP ones with or without 1 / +1. */
export function numbersRegex(numbers: string[]): string | undefined {
  const digits = numbers.map(digitsOnly).filter((d) => d !== '');
  const nanp = alternatives(digits.map(nanp10).filter((n): n is string => n !== undefined));
  const other = alternatives(digits.filter((d) => nanp10(d) === undefined));
  const parts = [nanp && `(?:\\+?1)?(?:${nanp})`, other && `\\+?(?:${other})`].filter(Boolean);
  return parts.length ? `^(?:${parts.join('|')})$` : undefined;
}

/** Caller IDs the PBX's inbound call blocks refuse: plain numbers as numbersRegex, then the patterns. */
export function blockedCallersRegex(stored: string[]): string | undefined {
  const { exact, patterns } = splitBlocks(stored);
  const numbers = numbersRegex(exact);
  if (!patterns.length) return numbers;
  const inner = numbers ? [numbers.slice(4, -2), ...patterns] : patterns;
  return `^(?:${inner.join('|')})$`;
}

/** Caller ID for outgoing calls that present this number: the number's CNAM, else the PBX default. */
export function phoneNumberCallerId(snap: PbxSnapshot, phoneNumberId: number): { number: string; name: string } | null {
  const n = snap.phoneNumbers.find((p) => p.id === phoneNumberId);
  if (!n) return null;
  return { number: digitsOnly(n.number), name: fsText(n.callerIdName ?? snap.pbx.callerIdName ?? '', 15) };
}

/**
 * "Show caller ID" off: the phones show the called line (its number and CNAM) instead of the caller. The
 * effective_caller_id_* variables of the inbound leg are what the bridged legs present.
 */
function presentation(snap: PbxSnapshot, n: PhoneNumber): Action[] {
  if (n.showCallerId) return [];
  const name = fsText(n.callerIdName ?? snap.pbx.callerIdName ?? snap.pbx.name, 30) || digitsOnly(n.number);
  return [set('effective_caller_id_name', name), set('effective_caller_id_number', digitsOnly(n.number))];
}

const screenEntry = (n: PhoneNumber) => `dt_screen_${n.id}`;

function publicFile(snap: PbxSnapshot, n: PhoneNumber): Fragment {
  const ctx = ctxOf(snap);
  const digits = digitsOnly(n.number);
  const toPbx = [...presentation(snap, n), transfer(entry.phoneNumber(n.id), ctx)];
  const blocked = blockedCallersRegex(snap.callBlocks.filter((b) => b.direction === 'inbound').map((b) => b.number));
  const conditions: Condition[] = [
    {
      field: 'destination_number',
      expression: didRegex(n.number),
      actions: [
        set('domain_name', domainOf(snap)),
        // For Activity: a call from a trunk into this PBX (kept if the PBX forwards it out again).
        set('dialtone_direction', 'inbound'),
        // The number as dialled, for entry points that forward it (a SIP trunk destination has no number of its own).
        set('dt_called_number', digits),
        // Exported too: sofia takes the music for a held caller from the bridged partner's hold_music.
        { app: 'export', data: `hold_music=${holdMusicStream(snap, n.holdMusicGroupId)}` },
      ],
    },
  ];
  if (blocked)
    conditions.push({
      field: 'caller_id_number',
      expression: blocked,
      break: 'on-true',
      actions: [{ app: 'hangup', data: 'CALL_REJECTED' }],
    });
  if (n.privacyScreening)
    // A 10-digit caller ID (optionally 1 / +1) passes; anyone else keys one in, checked by dt_screen_<id>.
    conditions.push({
      field: 'caller_id_number',
      expression: '^(?:\\+?1)?[0-9]{10}$',
      antiActions: [
        { app: 'answer' },
        { app: 'sleep', data: '500' },
        { app: 'unset', data: 'dt_screen_cid' },
        {
          app: 'play_and_get_digits',
          data: `10 10 3 7000 # ${STOCK_SOUNDS.privacyEnterNumber} ${STOCK_SOUNDS.invalid} dt_screen_cid ^[0-9]{10}$ 3000`,
        },
        // Checked in the PBX context: live xml_curl lookups of `public` only carry the dialled DID's entries.
        transfer(screenEntry(n), ctx),
      ],
    });
  conditions.push({ field: 'destination_number', expression: didRegex(n.number), actions: toPbx });
  return {
    path: `dialplan/public/20_${digits}.xml`,
    comment: `Phone number ${digits} of PBX ${ctx}: inbound calls from trunks, generated by Dialtone`,
    build: (parent) => extension(parent, `public_${digits}`, conditions),
  };
}

/** dt_screen_<id>: the number a screened caller keyed in becomes their caller ID, or the call is refused. */
function screenExtension(parent: XMLBuilder, snap: PbxSnapshot, n: PhoneNumber): void {
  // Reached by the public entry's transfer; a caller who arrives any other way has no dt_screen_cid.
  extension(parent, screenEntry(n), [
    entryCondition(screenEntry(n)),
    {
      field: '${dt_screen_cid}',
      expression: '^([0-9]{10})$',
      actions: [
        set('effective_caller_id_number', '$1'),
        ...presentation(snap, n),
        transfer(entry.phoneNumber(n.id), ctxOf(snap)),
      ],
      antiActions: [
        { app: 'playback', data: STOCK_SOUNDS.goodbye },
        { app: 'hangup', data: 'CALL_REJECTED' },
      ],
    },
  ]);
}

function didEntryFile(snap: PbxSnapshot, n: PhoneNumber): Fragment {
  const ctx = ctxOf(snap);
  const name = entry.phoneNumber(n.id);
  // For Activity: which way the call went (did_<id>, or did_<id>_holiday).
  const routeTo = [set('dialtone_route', `did_${n.id}`), ...compileDestination(n.routeTo, snap)];
  const holidays = n.ifHoliday
    ? [...snap.holidays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    : [];
  const conditions: Condition[] = holidays.length
    ? [
        entryCondition(name, [timezoneAction(snap)]),
        ...whenAny(
          holidays.flatMap((h) => holidayRangeAttributes(h.date, h.endDate ?? h.date)),
          [set('dialtone_route', `did_${n.id}_holiday`), ...compileDestination(n.ifHoliday!, snap)],
        ),
        entryCondition(name, routeTo),
      ]
    : [entryCondition(name, routeTo)];
  return {
    path: `dialplan/${ctx}/20_did_${n.id}.xml`,
    comment: `Phone number ${digitsOnly(n.number)} of PBX ${ctx}: holidays first, then route-to, generated by Dialtone`,
    build: (parent) => {
      extension(parent, name, conditions);
      if (n.privacyScreening) screenExtension(parent, snap, n);
    },
  };
}

export function phoneNumberFiles(snap: PbxSnapshot): Fragment[] {
  return [...snap.phoneNumbers]
    .sort((a, b) => a.id - b.id)
    .flatMap((n) => [publicFile(snap, n), didEntryFile(snap, n)]);
}
