// Call blocking numbers and patterns: a small language an office manager can read, never a regex. The generator
// compiles it (src/freeswitch/generator/block-regex.ts); here it is parsed, checked and described in words.
//
//   digits  that digit            X  any digit 0-9       N  any digit 2-9       Z  any digit 1-9
//   *       at the end only: any number that starts with what comes before (900* blocks 900, 9001, 9005550123 …)
//   .       at the end only: one or more further digits (as in FreePBX: 900. blocks 9001 … but not 900 itself)
// Spaces, dashes, parentheses and a leading + are how people write numbers and are dropped. Nothing else is accepted,
// so nothing typed here can reach FreeSWITCH as regex or dialplan syntax.

export type BlockTail = '' | '*' | '.';

export interface BlockPattern {
  /** As stored: digits and X/N/Z, then the tail (upper case, separators dropped). */
  text: string;
  body: string;
  tail: BlockTail;
  /** A plain number (digits only, no tail): matched exactly, as blocks always were. */
  exact: boolean;
}

/** Longest stored pattern (the call_block.number column). */
export const BLOCK_PATTERN_MAX = 15;

/** What the field may hold after separators are dropped; the tail is checked separately. */
const BODY_RE = /^[0-9XNZ]+$/;

/** Reads what was typed: the pattern, or a message saying what is wrong with it (for the field). */
export function parseBlockPattern(typed: string): BlockPattern | string {
  const cleaned = typed
    .trim()
    .replace(/^\+/, '')
    .replace(/[ ()-]/g, '')
    .toUpperCase();
  if (cleaned === '') return 'is required';
  const tailChar = cleaned.at(-1);
  const tail: BlockTail = tailChar === '*' || tailChar === '.' ? tailChar : '';
  const body = tail ? cleaned.slice(0, -1) : cleaned;
  if (/[.*]/.test(body)) return '* and . may only end a pattern (write numbers with spaces or dashes, not dots)';
  if (body.length < 3 && (body === '' || BODY_RE.test(body))) return 'needs at least 3 digits or X/N/Z';
  if (!BODY_RE.test(body)) return 'may contain digits, X (any digit), N (2-9), Z (1-9) and a * or . at the end only';
  if (cleaned.length > BLOCK_PATTERN_MAX) return `must be at most ${BLOCK_PATTERN_MAX} characters`;
  return { text: body + tail, body, tail, exact: tail === '' && /^\d+$/.test(body) };
}

/** The stored text of a block, read back (stored values were checked on save; anything else matches nothing). */
export function storedBlockPattern(stored: string): BlockPattern | null {
  const p = parseBlockPattern(stored);
  return typeof p === 'string' ? null : p;
}

const CLASS: Record<string, (d: string) => boolean> = {
  X: () => true,
  N: (d) => d >= '2' && d <= '9',
  Z: (d) => d >= '1' && d <= '9',
};

/** Whether the pattern matches this exact digit string (no NANP variants): the 911 check and tests. */
export function matchesDigits(p: BlockPattern, digits: string): boolean {
  if (!/^\d+$/.test(digits) || digits.length < p.body.length) return false;
  if (p.tail === '' && digits.length !== p.body.length) return false;
  if (p.tail === '.' && digits.length === p.body.length) return false;
  for (let i = 0; i < p.body.length; i++) {
    const c = p.body[i];
    const d = digits[i];
    if (/\d/.test(c) ? c !== d : !CLASS[c](d)) return false;
  }
  return true;
}

/**
 * How a pattern meets the numbers FreeSWITCH sees (caller IDs arrive as 10 digits, 1 + 10 or +1 + 10; people dial 10
 * or 1 + 10 digits): a North American pattern — 10 characters starting 2-9 or N, or a shorter one with a tail, with
 * or without a leading 1 — matches with or without 1 / +1 in front; a longer one (a country code) with or without + or
 * 011; anything else (short codes) as it is, with or without +. The generator renders exactly this shape.
 */
export interface BlockShape {
  prefix: 'nanp' | 'international' | 'none';
  /** The part matched after the prefix (the leading 1 of a North American pattern dropped). */
  body: string;
  tail: BlockTail;
}

export function blockShape(p: BlockPattern): BlockShape {
  // Typed with the international dialling prefix: the number after 011, which arrives as +CC… or CC… too.
  if (p.body.startsWith('011') && p.body.length > 3 + 2)
    return { prefix: 'international', body: p.body.slice(3), tail: p.tail };
  const dropOne = /^1[2-9N]/.test(p.body) && (p.body.length === 11 || (p.tail !== '' && p.body.length < 11));
  const national = dropOne ? p.body.slice(1) : p.body;
  if (/^[2-9N]/.test(national) && (national.length === 10 || (p.tail !== '' && national.length < 10)))
    return { prefix: 'nanp', body: national, tail: p.tail };
  return { prefix: p.body.length > 11 ? 'international' : 'none', body: p.body, tail: p.tail };
}

/** Whether a block with this pattern stops a call from / to this number (+ and digits), as the generated dialplan does. */
export function blocks(p: BlockPattern, number: string): boolean {
  const shape = blockShape(p);
  const d = number.replace(/^\+/, '');
  const candidates = [d];
  if (shape.prefix === 'nanp' && /^1\d/.test(d)) candidates.push(d.slice(1));
  if (shape.prefix === 'international' && d.startsWith('011')) candidates.push(d.slice(3));
  const asPattern = { ...p, body: shape.body };
  return candidates.some((c) => matchesDigits(asPattern, c));
}

/** (312) 555-0100 for 10 digits and 1 + 10 digits, +CC… for the rest. */
function formatDigits(d: string): string {
  const n = d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
  if (/^\d{10}$/.test(n)) return `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`;
  return d.length > 10 ? `+${d}` : d;
}

/** In words, for the list and the page: what calls this block stops. */
export function describeBlock(p: BlockPattern, direction: 'inbound' | 'outbound'): string {
  const who = direction === 'inbound' ? 'Calls from' : 'Dialing';
  if (p.exact) return `${who} ${formatDigits(p.body)}`;
  const wild = /[XNZ]/.test(p.body);
  const shape = wild ? `numbers shaped ${p.body}` : p.body;
  if (p.tail === '*') return `${who} any number that starts with ${shape}`;
  if (p.tail === '.') return `${who} any longer number that starts with ${shape}`;
  return `${who} ${p.body.length}-digit numbers shaped ${p.body}`;
}
