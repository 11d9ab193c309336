// Feature codes as what a phone dials: each code's format, and no dialled string that two features would answer.
//
// What the generator makes of each code (src/freeswitch/generator/dialplan): some codes are dialled alone (*98), some
// are followed by a number — directed pickup, intercom, listen live and barge-in by an extension, agent codes
// optionally by a queue, greeting recording (`*` + mailbox) by a mailbox. FreeSWITCH compares the whole dialled string,
// so *41 and *411 dialled alone are both reachable; what breaks is one string meaning two things (*4 + extension 11 and
// a code *411), or a park slot that is also an extension. The rules an administrator is told:
// 1. a code is * and 1 to 4 digits (the greeting prefix may be * alone: a mailbox number follows it);
// 2. two features never share a code;
// 3. a code followed by an extension number and any other code: neither may start with the other (the greeting prefix,
//    which starts every code, is checked on real mailbox numbers instead);
// 4. no string a phone can dial — code, code + extension, code + queue, prefix + mailbox — belongs to two features;
// 5. park slots are not extension, conference room or queue numbers.
// Rules 4 and 5 depend on the PBX's numbers, so saving an extension, mailbox, queue or conference room checks them too.
import { DEFAULT_FEATURE_CODES, type FeatureCodes } from '../model';
import { printable } from '../printable';
import type { PbxSnapshot } from '../snapshot';
import { memoOn } from '../snapshot-memo';
import type { Fields } from '../validate';

type Tail = 'none' | 'extension' | 'queue' | 'mailbox';
type CodeKey = Exclude<keyof FeatureCodes, 'parkSlotsStart' | 'parkSlotsCount'>;

const FEATURES: Record<CodeKey, { label: string; tails: readonly Tail[] }> = {
  directedPickup: { label: 'directed pickup', tails: ['extension'] },
  intercom: { label: 'intercom', tails: ['extension'] },
  checkVoicemail: { label: 'check voicemail', tails: ['none'] },
  recordGreetingPrefix: { label: 'greeting recording', tails: ['mailbox'] },
  recordAttendant: { label: 'attendant recording', tails: ['none'] },
  park: { label: 'park', tails: ['none'] },
  listenLive: { label: 'listen live', tails: ['extension'] },
  bargeIn: { label: 'barge-in', tails: ['extension'] },
  agentLogin: { label: 'agent login', tails: ['none', 'queue'] },
  agentLogout: { label: 'agent logout', tails: ['none', 'queue'] },
  agentBreak: { label: 'agent break', tails: ['none', 'queue'] },
  companyDirectory: { label: 'company directory', tails: ['none'] },
};
const CODE_KEYS = Object.keys(FEATURES) as CodeKey[];

/** Numeric settings among the feature codes (park slots); every other code is text. */
const FEATURE_NUMBERS: Record<string, { min: number; max: number }> = {
  parkSlotsStart: { min: 1, max: 99999 },
  parkSlotsCount: { min: 1, max: 100 },
};

const CODE_RE = /^\*[0-9]{1,4}$/;
const PREFIX_RE = /^\*[0-9]{0,4}$/;

/** The numbers of a PBX that follow a code, plus the dialable numbers park slots must avoid. */
export interface DialNumbers {
  readonly extension: ReadonlySet<string>;
  readonly mailbox: ReadonlySet<string>;
  readonly queue: ReadonlySet<string>;
  /** Extension, conference room, conference hub and queue numbers with what they are, for park slots. */
  readonly dialable: ReadonlyMap<string, string>;
}

export const NO_NUMBERS: DialNumbers = {
  extension: new Set(),
  mailbox: new Set(),
  queue: new Set(),
  dialable: new Map(),
};

export function dialNumbers(snap: PbxSnapshot): DialNumbers {
  return memoOn(snap, 'featureCodes.numbers', () => {
    const dialable = new Map<string, string>();
    for (const q of snap.queues) dialable.set(q.number, `queue ${q.number}`);
    for (const c of snap.conferenceRooms) dialable.set(c.number, `conference room ${c.number}`);
    for (const h of snap.conferenceHubs) if (h.number) dialable.set(h.number, `conference hub ${h.number}`);
    for (const e of snap.extensions) dialable.set(e.number, `extension ${e.number}`);
    return {
      extension: new Set(snap.extensions.map((e) => e.number)),
      mailbox: new Set(snap.mailboxes.map((m) => m.number)),
      queue: new Set(snap.queues.map((q) => q.number)),
      dialable,
    };
  });
}

interface Claim {
  key: CodeKey;
  code: string;
  tail: Tail;
}

function claimsOf(fc: FeatureCodes): Claim[] {
  const out: Claim[] = [];
  for (const key of CODE_KEYS) {
    const code = fc[key];
    if (typeof code === 'string' && code) for (const tail of FEATURES[key].tails) out.push({ key, code, tail });
  }
  return out;
}

/** A tail's numbers; `self` is the number being saved (added) and `was` the one it replaces (left out). */
interface Change {
  tail: Tail;
  self: string;
  was: string | null;
}

function tailHas(tail: Tail, rest: string, n: DialNumbers, change: Change | null): boolean {
  if (tail === 'none') return rest === '';
  if (change && change.tail === tail) {
    if (rest === change.self) return true;
    if (rest === change.was) return false;
  }
  return n[tail].has(rest);
}

function describe(c: Claim, rest: string): string {
  const { label } = FEATURES[c.key];
  switch (c.tail) {
    case 'none':
      return `${label} (${c.code})`;
    case 'mailbox':
      return `recording the greeting of mailbox ${printable(rest)} (${c.code} + mailbox)`;
    default:
      return `${label} ${c.code} + ${c.tail} ${printable(rest)}`;
  }
}

/** A string both claims answer (a's code is a prefix of b's, or equal), or null. */
function shared(a: Claim, b: Claim, n: DialNumbers): { dial: string; restA: string; restB: string } | null {
  const d = b.code.slice(a.code.length);
  const candidates: Iterable<string> = b.tail === 'none' ? [''] : n[b.tail];
  for (const restB of candidates)
    if (tailHas(a.tail, d + restB, n, null)) return { dial: b.code + restB, restA: d + restB, restB };
  return null;
}

/** Rules 2-4 between pairs of codes, reported on a code that changed (unchanged pairs were accepted before). */
function checkCodePairs(f: Fields, fc: FeatureCodes, changed: (k: CodeKey) => boolean, n: DialNumbers): void {
  const field = (a: CodeKey, b: CodeKey) => `featureCodes.${changed(b) ? b : a}`;
  for (let i = 0; i < CODE_KEYS.length; i++)
    for (let j = i + 1; j < CODE_KEYS.length; j++) {
      const [x, y] = [CODE_KEYS[i] as CodeKey, CODE_KEYS[j] as CodeKey];
      if (!changed(x) && !changed(y)) continue;
      const [cx, cy] = [fc[x], fc[y]];
      if (!cx || !cy) continue;
      if (cx === cy) {
        f.fail(field(x, y), `${cy} is already the code for ${FEATURES[x].label}`);
        continue;
      }
      const [short, long] = cx.length <= cy.length ? [x, y] : [y, x];
      const [sc, lc] = [fc[short], fc[long]];
      if (!lc.startsWith(sc)) continue;
      const byExtension = [short, long].find((k) => FEATURES[k].tails.includes('extension'));
      if (byExtension && short !== 'recordGreetingPrefix' && long !== 'recordGreetingPrefix') {
        f.fail(
          field(x, y),
          `${lc} (${FEATURES[long].label}) starts with ${sc} (${FEATURES[short].label}); ${FEATURES[byExtension].label} ` +
            'is followed by an extension number, so the digits after it could mean either: choose codes where neither starts with the other',
        );
      }
    }
  // Rule 4 on every pair of strings, with the PBX's numbers.
  const claims = claimsOf(fc);
  for (const a of claims)
    for (const b of claims) {
      if (a.key === b.key || a.code.length > b.code.length || !b.code.startsWith(a.code) || a.code === b.code) continue;
      if (!changed(a.key) && !changed(b.key)) continue;
      const both = shared(a, b, n);
      if (both)
        f.fail(
          field(a.key, b.key),
          `${both.dial} would be both ${describe(a, both.restA)} and ${describe(b, both.restB)}: only one can answer it`,
        );
    }
}

/** Rule 5 for the park slot range. */
function checkParkSlots(f: Fields, fc: FeatureCodes, n: DialNumbers): void {
  const start = fc.parkSlotsStart;
  for (let i = 0; i < fc.parkSlotsCount; i++) {
    const taken = n.dialable.get(String(start + i));
    if (taken) {
      f.fail(
        'featureCodes.parkSlotsStart',
        `park slots ${start}–${start + fc.parkSlotsCount - 1} include ${printable(taken)}: move the slots or renumber it`,
      );
      return;
    }
  }
}

/**
 * The feature codes of a PBX save (the submitted map merged over the saved one). Codes unchanged from the saved map
 * are not judged again, so a PBX saved under older rules can still change its other settings.
 */
export function parseFeatureCodes(f: Fields, numbers: DialNumbers = NO_NUMBERS): FeatureCodes {
  const fc = f.raw('featureCodes') ?? DEFAULT_FEATURE_CODES;
  if (typeof fc !== 'object' || Array.isArray(fc)) {
    f.fail('featureCodes', 'must map feature names to codes');
    return { ...DEFAULT_FEATURE_CODES };
  }
  // A partial map changes only the codes it names: start from the saved codes (defaults for new ones).
  const savedRaw = f.saved('featureCodes');
  const saved = savedRaw && typeof savedRaw === 'object' ? (savedRaw as Record<string, unknown>) : null;
  const out: Record<string, string | number> = {
    ...DEFAULT_FEATURE_CODES,
    ...((saved ?? {}) as Record<string, string | number>),
  };
  const changed = (k: string) => saved === null || out[k] !== saved[k];
  for (const [k, v] of Object.entries(fc as Record<string, unknown>)) {
    // Unknown keys would be stored and never used (or used by a later version): refuse them.
    if (!Object.hasOwn(DEFAULT_FEATURE_CODES, k)) f.fail(`featureCodes.${printable(k, 30)}`, 'is not a feature code');
    else if (saved !== null && v === saved[k]) continue;
    else if (k in FEATURE_NUMBERS) {
      const { min, max } = FEATURE_NUMBERS[k] as { min: number; max: number };
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
        f.fail(`featureCodes.${k}`, `must be a whole number from ${min} to ${max}`);
      else out[k] = v;
    } else if (k === 'recordGreetingPrefix') {
      if (typeof v !== 'string' || !PREFIX_RE.test(v))
        f.fail(`featureCodes.${k}`, 'must be * followed by up to 4 digits (the mailbox number follows it)');
      else out[k] = v;
    } else if (typeof v !== 'string' || !CODE_RE.test(v))
      f.fail(`featureCodes.${k}`, 'must be * followed by 1 to 4 digits');
    else out[k] = v;
  }
  const codes = out as unknown as FeatureCodes;
  if (!Object.keys(f.errors).some((k) => k.startsWith('featureCodes'))) {
    checkCodePairs(f, codes, changed, numbers);
    if (changed('parkSlotsStart') || changed('parkSlotsCount')) checkParkSlots(f, codes, numbers);
  }
  return codes;
}

/**
 * Rules 4 and 5 when a number is saved: an extension, mailbox or queue number makes new dial strings with the codes
 * that take it, and an extension, conference room or queue number must not be a park slot. `was` is the number the
 * object had (null on create).
 */
export function checkNumberAgainstFeatureCodes(
  f: Fields,
  snap: PbxSnapshot,
  field: string,
  kind: 'extension' | 'mailbox' | 'queue' | 'conference',
  number: string,
  was: string | null,
): void {
  if (!number || number === was || field in f.errors) return;
  const fc = snap.pbx.featureCodes;
  if (kind !== 'mailbox') {
    const slot = Number(number) - fc.parkSlotsStart;
    if (/^\d+$/.test(number) && slot >= 0 && slot < fc.parkSlotsCount) {
      f.fail(
        field,
        `${number} is park slot ${slot + 1} of ${fc.parkSlotsCount} (park slots ${fc.parkSlotsStart}–` +
          `${fc.parkSlotsStart + fc.parkSlotsCount - 1} in the feature codes): choose another number or move the slots`,
      );
      return;
    }
  }
  if (kind === 'conference') return;
  const n = dialNumbers(snap);
  const change: Change = { tail: kind, self: number, was };
  const claims = claimsOf(fc);
  for (const a of claims) {
    if (a.tail !== kind) continue;
    const dial = a.code + number;
    for (const b of claims) {
      if (b.key === a.key || !dial.startsWith(b.code)) continue;
      const rest = dial.slice(b.code.length);
      if (tailHas(b.tail, rest, n, change)) {
        f.fail(
          field,
          `${dial} would be both ${describe(a, number)} and ${describe(b, rest)}: choose another number or change the ` +
            `${FEATURES[b.tail === 'none' ? b.key : a.key].label} code`,
        );
        return;
      }
    }
  }
}
