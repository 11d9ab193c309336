// Shared dialplan building blocks for the call-flow entry points: extensions, conditions, transfers, media paths.
import type { PbxSnapshot } from '../../../domain/snapshot';
import { exactRegex, fsDigits, fsId } from '../escape';
import type { GenerateOptions } from '../options';
import { type Action, actions, type XMLBuilder } from '../xml';

/** One `<condition>`: a field test, date/time attributes, or neither (always true). */
export interface Condition {
  field?: string;
  expression?: string;
  /** Date/time attributes (wday, time-of-day, year, mon, mday), evaluated in the channel's `timezone`. */
  time?: Record<string, string>;
  break?: 'on-true' | 'on-false' | 'always' | 'never';
  actions?: Action[];
  antiActions?: Action[];
}

/** Appends `<extension name=…>` with its conditions in order (attribute order is fixed for stable output). */
export function extension(parent: XMLBuilder, name: string, conditions: Condition[]): void {
  const ext = parent.ele('extension', { name });
  for (const c of conditions) {
    const attrs: Record<string, string> = {};
    if (c.field !== undefined) {
      attrs.field = c.field;
      attrs.expression = c.expression ?? '';
    }
    Object.assign(attrs, c.time ?? {});
    if (c.break) attrs.break = c.break;
    const el = ext.ele('condition', attrs);
    actions(el, c.actions ?? []);
    actions(el, c.antiActions ?? [], 'anti-action');
  }
}

/** The condition that selects an entry point by its exact name. */
export function entryCondition(name: string, acts: Action[] = []): Condition {
  return { field: 'destination_number', expression: exactRegex(name), actions: acts };
}

export const ctxOf = (snap: PbxSnapshot): string => fsId(snap.pbx.context);
/** SIP domain reduced to host characters (lower case), the same way the dialplan module writes it. */
export const domainOf = (snap: PbxSnapshot): string => snap.pbx.domain.replace(/[^a-zA-Z0-9.-]/g, '').toLowerCase();

export function transfer(target: string, context: string): Action {
  return { app: 'transfer', data: `${target} XML ${context}` };
}

export const set = (name: string, value: string | number, inline = false): Action =>
  inline ? { app: 'set', data: `${name}=${value}`, inline } : { app: 'set', data: `${name}=${value}` };

/** Digits only (no * or #): numbers that become part of names, paths and regexes. */
export const digitsOnly = (v: string): string => v.replace(/[^0-9]/g, '');

/** Up to this many numbers are listed one by one (readable); more are folded into a digit trie. */
const LITERAL_ALTERNATIVES = 16;

/**
 * A regex body matching exactly these digit strings: `101|102` when short, sorted and de-duplicated for stable
 * output; for longer lists a trie with shared tails folded into classes (10,000 extensions `1000`-`10999`:
 * `1(?:0[0-9]{4}…)` tens of bytes instead of 50 kB per attendant menu, which FreeSWITCH compiles on every call).
 * Uses only non-capturing groups, so a caller's own `(…)` is still `$1`.
 */
export function alternatives(numbers: string[]): string {
  const list = [...new Set(numbers.map((n) => fsDigits(n)).filter((n) => n !== ''))].sort(
    (a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  if (list.length <= LITERAL_ALTERNATIVES) return list.map(escapeLiteral).join('|');
  const root: TrieNode = { end: false, kids: new Map() };
  for (const n of list) {
    let node = root;
    for (const c of n) {
      let next = node.kids.get(c);
      if (!next) {
        next = { end: false, kids: new Map() };
        node.kids.set(c, next);
      }
      node = next;
    }
    node.end = true;
  }
  return trieRegex(root);
}

interface TrieNode {
  end: boolean;
  kids: Map<string, TrieNode>;
}

const escapeLiteral = (s: string): string => s.replace(/[*#+]/g, (c) => `\\${c}`);

/** `[0-35-9]` for digits (ranges folded), the escaped character alone when there is one. */
function charClass(chars: string[]): string {
  if (chars.length === 1) return escapeLiteral(chars[0]);
  const digits = chars.filter((c) => /[0-9]/.test(c)).sort();
  const others = chars.filter((c) => !/[0-9]/.test(c)).sort();
  const parts: string[] = [];
  for (let i = 0; i < digits.length; ) {
    let j = i;
    while (j + 1 < digits.length && digits[j + 1].charCodeAt(0) === digits[j].charCodeAt(0) + 1) j++;
    parts.push(j - i >= 2 ? `${digits[i]}-${digits[j]}` : digits.slice(i, j + 1).join(''));
    i = j + 1;
  }
  return `[${parts.join('')}${others.map((c) => `\\${c}`).join('')}]`;
}

/** The suffixes below `node`: children with the same suffix regex share one character class. */
function trieRegex(node: TrieNode): string {
  const byTail = new Map<string, string[]>();
  for (const [c, kid] of node.kids) {
    const tail = trieRegex(kid);
    const chars = byTail.get(tail);
    if (chars) chars.push(c);
    else byTail.set(tail, [c]);
  }
  const alts = [...byTail].map(([tail, chars]) => `${charClass(chars)}${tail}`).sort();
  if (!alts.length) return '';
  const single = alts.length === 1; // a tail never has a top-level |: several alternatives are always wrapped
  if (node.end) return single && /^(\\?.|\[[^\]]*\])$/.test(alts[0]) ? `${alts[0]}?` : `(?:${alts.join('|')})?`;
  return single ? alts[0] : `(?:${alts.join('|')})`;
}

/**
 * Dialtone's own prompts and default hold music, installed once per host below `<audioDir>/dialtone-media/`.
 * The folder name has a dash, which a PBX context (`[a-z0-9_]+`) never has, so it cannot clash with a PBX's folder.
 */
export const DIALTONE_MEDIA_DIR = 'dialtone-media';
export const DIALTONE_MEDIA = {
  /** "Hello and thank you for calling. If you know your party's extension…" (manual, Auto Attendants). */
  attendantDefault: 'attendant-default.wav',
  /** "Please enter your ten-digit phone number." (privacy screening). */
  privacyEnterNumber: 'privacy-enter-number.wav',
  /** "Please enter the conference room number, then press pound." (conference hub). */
  hubEnterRoom: 'conference-hub-enter-room.wav',
  /** Folder of the default hold music ("standard classical music", manual, Hold Music). */
  defaultMusicDir: 'moh',
} as const;

/** Stock FreeSWITCH prompts, relative to the channel's sound_prefix (the en/us/callie set). */
export const STOCK_SOUNDS = {
  invalid: 'ivr/ivr-that_was_an_invalid_entry.wav',
  goodbye: 'voicemail/vm-goodbye.wav',
} as const;

/** FreeSWITCH splits application data on spaces and expands `$`: the audio root must be a plain absolute path. */
export function audioRoot(opts: GenerateOptions): string {
  const dir = opts.audioDir.replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir) || dir.split('/').includes('..'))
    throw new Error(`audioDir must be an absolute path of letters, digits and . _ / - (got ${JSON.stringify(dir)})`);
  return dir;
}

export function mediaPath(opts: GenerateOptions, file: string): string {
  return `${audioRoot(opts)}/${DIALTONE_MEDIA_DIR}/${file}`;
}

/** Stored names are chosen by Dialtone; reduce them anyway so no path or FreeSWITCH syntax can come through. */
export function safeFileName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '').replace(/^\.+/, '');
  return s === '' ? 'missing' : s;
}

/** `<audioDir>/<context>/<stored name>` of an uploaded file of this PBX, or undefined when it does not exist. */
export function audioFilePath(snap: PbxSnapshot, opts: GenerateOptions, audioId: number | null): string | undefined {
  if (audioId === null) return undefined;
  const file = snap.audioFiles.find((a) => a.id === audioId);
  return file ? `${audioRoot(opts)}/${ctxOf(snap)}/${safeFileName(file.storedName)}` : undefined;
}
