// The company directory as phones search it: the same people mod_directory lists (hidden mailboxes left out),
// searched by first or last name per the PBX setting, by letters or by keypad digits (T9), in sorted pages.
//
// Built once per PBX snapshot (memoOn): a search is a binary search in a sorted index, so a 10,000-extension PBX
// answers as fast as a small one.
import type { Device, Extension } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import { memoOn } from '../domain/snapshot-memo';
import { listedExtensions } from '../freeswitch/generator/dialplan/directory';

export interface DirectoryEntry {
  readonly extensionId: number;
  /** The mailbox's "Name (for directory)", as typed (escape when rendering). */
  readonly name: string;
  /** What selecting the entry dials. */
  readonly dial: string;
  /** Whether the phone may show the number (the PBX's "read extension numbers in directory"). */
  readonly showNumber: boolean;
}

export interface DirectoryPage {
  readonly total: number;
  readonly entries: DirectoryEntry[];
}

interface Indexed {
  readonly entry: DirectoryEntry;
  /** Lower-case letters and digits of the searched name part (first or last word), diacritics removed. */
  readonly key: string;
  /** The same on the keypad: abc=2 … wxyz=9, digits as themselves. */
  readonly t9: string;
  readonly sort: string;
}

interface Index {
  readonly byKey: Indexed[];
  readonly byT9: Indexed[];
  readonly byNumber: Indexed[];
  readonly all: Indexed[];
}

const KEYPAD: Record<string, string> = {};
for (const [digit, letters] of Object.entries({
  2: 'abc',
  3: 'def',
  4: 'ghi',
  5: 'jkl',
  6: 'mno',
  7: 'pqrs',
  8: 'tuv',
  9: 'wxyz',
}))
  for (const l of letters) KEYPAD[l] = digit;

/** Lower-case ASCII letters and digits only: "Zoë O'Hara" -> "zoeohara". */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function keypadDigits(text: string): string {
  let out = '';
  for (const c of normalizeName(text)) out += KEYPAD[c] ?? c;
  return out;
}

/** The word a search by first or last name looks at ("Mary Ann Smith": first "Mary", last "Smith"). */
export function namePart(name: string, by: 'first' | 'last'): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  return by === 'first' ? words[0]! : words[words.length - 1]!;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function index(snap: PbxSnapshot): Index {
  return memoOn(
    snap,
    'companyDirectory.index',
    (s) => {
      const by = s.pbx.directoryByFirstName ? 'first' : 'last';
      const showNumber = s.pbx.readExtensionInDirectory;
      const all: Indexed[] = listedExtensions(s).map(({ extension, mailbox }) => {
        const name = mailbox.name.trim() || extension.name.trim() || extension.number;
        const part = namePart(name, by);
        const dial = extension.number.replace(/\D/g, '');
        return {
          entry: { extensionId: extension.id, name, dial, showNumber },
          key: normalizeName(part),
          t9: keypadDigits(part),
          sort: `${normalizeName(part)}\u0000${normalizeName(name)}\u0000${dial}`,
        };
      });
      all.sort((a, b) => cmp(a.sort, b.sort));
      return {
        all,
        byKey: [...all].sort((a, b) => cmp(a.key, b.key) || cmp(a.sort, b.sort)),
        byT9: [...all].sort((a, b) => cmp(a.t9, b.t9) || cmp(a.sort, b.sort)),
        byNumber: [...all].sort((a, b) => cmp(a.entry.dial, b.entry.dial) || cmp(a.sort, b.sort)),
      };
    },
    ['pbx', 'extensions', 'mailboxes'],
  );
}

/** [lo, hi) of the items whose field starts with `prefix` (the list is sorted by that field). */
function prefixRange(list: Indexed[], field: (x: Indexed) => string, prefix: string): [number, number] {
  const lower = (target: string, strictlyAbove: boolean) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = field(list[mid]!);
      if (strictlyAbove ? v <= target || v.startsWith(prefix) : v < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [lower(prefix, false), lower(prefix, true)];
}

/**
 * Entries matching `query`, sorted by the searched name part: letters match the start of the first or last name
 * (the PBX's setting), digits match the keypad spelling of it or the start of the extension number. An empty
 * query lists everyone.
 */
export function searchDirectory(snap: PbxSnapshot, query: string, offset: number, limit: number): DirectoryPage {
  const idx = index(snap);
  const trimmed = query.trim().slice(0, 40);
  let hits: Indexed[];
  if (trimmed === '') hits = idx.all;
  else if (/^[0-9]+$/.test(trimmed)) {
    const [a, b] = prefixRange(idx.byT9, (x) => x.t9, trimmed);
    const [c, d] = prefixRange(idx.byNumber, (x) => x.entry.dial, trimmed);
    const seen = new Set<Indexed>(idx.byT9.slice(a, b));
    for (const x of idx.byNumber.slice(c, d)) seen.add(x);
    hits = [...seen].sort((x, y) => cmp(x.sort, y.sort));
  } else {
    const key = normalizeName(trimmed);
    if (key === '') return { total: 0, entries: [] };
    const [a, b] = prefixRange(idx.byKey, (x) => x.key, key);
    hits = idx.byKey.slice(a, b);
  }
  const from = Math.max(0, offset);
  return { total: hits.length, entries: hits.slice(from, from + Math.max(0, limit)).map((h) => h.entry) };
}

/** The entry of one extension if the directory lists it (a phone may only dial what it was shown). */
export function directoryEntry(snap: PbxSnapshot, extensionId: number): DirectoryEntry | null {
  return index(snap).all.find((x) => x.entry.extensionId === extensionId)?.entry ?? null;
}

/** A phone's favourites: the extensions on its busy-lamp keys, in key order, named by their label or name. */
export function favourites(snap: PbxSnapshot, device: Pick<Device, 'lineKeys'>): DirectoryEntry[] {
  const byId = memoOn(snap, 'companyDirectory.extensionById', (s) => new Map(s.extensions.map((e) => [e.id, e])), [
    'extensions',
  ]);
  const out: DirectoryEntry[] = [];
  for (const key of device.lineKeys) {
    if (key.type !== 'blf') continue;
    const ext: Extension | undefined = byId.get(key.extensionId);
    if (!ext || out.some((e) => e.extensionId === ext.id)) continue;
    out.push({
      extensionId: ext.id,
      name: key.label?.trim() || ext.name.trim() || ext.number,
      dial: ext.number.replace(/\D/g, ''),
      showNumber: true,
    });
  }
  return out;
}
