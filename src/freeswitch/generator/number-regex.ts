// Regexes over lists of dialable numbers, shared by the dialplan and the call flows.
import { BoundedMemo } from '../../domain/bounded-memo';
import { byNumber } from '../../domain/mailbox-identity';
import { fsDigits } from './escape';

/** Up to this many numbers are listed one by one (readable); more are folded into a digit trie. */
export const LITERAL_ALTERNATIVES = 16;

/** Dialable numbers in the order people read them: shorter first, then by value (`99` before `100`). */
export { byNumber };

/**
 * A regex body matching exactly these digit strings: `101|102` when short, sorted and de-duplicated for stable
 * output; for longer lists a trie with shared tails folded into classes (10,000 extensions `1000`-`10999`:
 * `1(?:0[0-9]{4}…)` tens of bytes instead of 50 kB per attendant menu, which FreeSWITCH compiles on every call).
 * Uses only non-capturing groups, so a caller's own `(…)` is still `$1`.
 */
export function alternatives(numbers: string[]): string {
  if (numbers.length <= LITERAL_ALTERNATIVES) return alternativesOf(numbers);
  // One PBX's dialplan asks for the same long lists several times (every extension's number: features, Listen
  // Live, voicemail); a 10,000-number trie costs ~25 ms to build, its answer nothing to keep.
  return recentlyMade(`a:${numbers.join(',')}`, () => alternativesOf(numbers));
}

const RECENT = new BoundedMemo<string | null>(16);

/** `make()`, or its answer for the same key among the last few asked: for pure functions of long number lists. */
export function recentlyMade<T extends string | null>(key: string, make: () => T): T {
  return RECENT.get(key, make) as T;
}

function alternativesOf(numbers: string[]): string {
  const list = [...new Set(numbers.map((n) => fsDigits(n)).filter((n) => n !== ''))].sort(byNumber);
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

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** `[0-35-9]` for digits (ranges folded), the escaped character alone when there is one. */
function charClass(chars: string[]): string {
  if (chars.length === 1) return escapeLiteral(chars[0]);
  const digits = chars.filter(isDigit).sort();
  const others = chars.filter((c) => !isDigit(c)).sort();
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
  if (node.kids.size === 0) return '';
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
