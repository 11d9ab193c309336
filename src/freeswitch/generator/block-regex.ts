// Call-block patterns (src/domain/rules/block-patterns.ts) as regex alternatives for the dialplan: the one place the
// pattern language becomes regex. Only digits and fixed classes are ever written, whatever the stored text holds.
import { type BlockPattern, blockShape, storedBlockPattern } from '../../domain/rules/block-patterns';

const CLASSES: Record<string, string> = { X: '[0-9]', N: '[2-9]', Z: '[1-9]' };
const TAILS: Record<string, string> = { '': '', '*': '[0-9]*', '.': '[0-9]+' };
// As blocks() reads a number: a leading + is always dropped, then a 1 (North American) or 011 (international) may be.
const PREFIXES: Record<string, string> = { nanp: '\\+?1?', international: '\\+?(?:011)?', none: '\\+?' };

/** One pattern as a regex alternative (no anchors, no capturing groups). */
export function patternRegex(p: BlockPattern): string {
  const shape = blockShape(p);
  let body = '';
  for (const c of shape.body) body += /[0-9]/.test(c) ? c : (CLASSES[c] ?? '');
  return `${PREFIXES[shape.prefix]}${body}${TAILS[shape.tail] ?? ''}`;
}

/** The stored blocks split into plain numbers (compiled as they always were) and patterns (compiled here). */
export function splitBlocks(stored: string[]): { exact: string[]; patterns: string[] } {
  const exact: string[] = [];
  const patterns = new Set<string>();
  for (const s of stored) {
    const p = storedBlockPattern(s);
    if (!p) continue; // saved before the rules, or edited by hand: blocks nothing rather than something unintended
    if (p.exact) exact.push(p.body);
    else patterns.add(patternRegex(p));
  }
  return { exact, patterns: [...patterns].sort() };
}
