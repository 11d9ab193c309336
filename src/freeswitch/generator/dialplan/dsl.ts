// A small typed shape for XML-dialplan extensions (extension > condition > action), rendered with xmlbuilder2.
import { alternatives, byNumber, LITERAL_ALTERNATIVES, recentlyMade } from '../number-regex';

import { type Action, actions, appendElement, domOf, type XMLBuilder } from '../xml';

export type BreakOn = 'on-true' | 'on-false' | 'always' | 'never';

/**
 * One `<condition>`. With `field` it matches a caller-profile field or `${var}` against `expression`; with `time`
 * it is a time condition (wday, time-of-day, …) evaluated in the channel's `timezone`; with neither it always matches.
 */
export interface Condition {
  field?: string;
  expression?: string;
  time?: Record<string, string>;
  break?: BreakOn;
  actions?: Action[];
  anti?: Action[];
}

export interface DialplanExtension {
  name: string;
  /** Keep hunting after this extension matched (set-up extensions that only add variables). */
  continue?: boolean;
  conditions: Condition[];
}

/** A file of the PBX context: dialplan/<context>/<file>.xml. */
export interface ContextFile {
  /** NN_name, without .xml. */
  file: string;
  comment: string;
  extensions: DialplanExtension[];
}

export const act = (app: string, data?: string): Action => (data === undefined ? { app } : { app, data });
export const inline = (app: string, data: string): Action => ({ app, data, inline: true });
export const set = (name: string, value: string): Action => act('set', `${name}=${value}`);
export const hangup = (cause: string): Action => act('hangup', cause);

/**
 * Several variables in one action: mod_dptools' multiset splits its data on spaces and sets each `name=value` in
 * order, as that many `set`s would. Values with whitespace would be split, so they get their own `set`s.
 */
export function setAll(pairs: Array<[string, string]>): Action[] {
  if (pairs.length < 2 || pairs.some(([n, v]) => /\s/.test(n + v))) return pairs.map(([n, v]) => set(n, v));
  return [act('multiset', pairs.map(([n, v]) => `${n}=${v}`).join(' '))];
}
export const transferTo = (target: string, ctx: string): Action => act('transfer', `${target} XML ${ctx}`);

/** The usual first condition: the dialed destination. */
export function dest(expression: string, acts: Action[] = [], anti?: Action[]): Condition {
  return { field: 'destination_number', expression, actions: acts, anti };
}

/** An extension reached by one exact destination (entry points such as dt_vm_5). */
export function entry(name: string, acts: Action[]): DialplanExtension {
  return { name, conditions: [dest(`^${name}$`, acts)] };
}

export function buildExtensions(parent: XMLBuilder, list: DialplanExtension[]): void {
  const dom = domOf(parent);
  for (const e of list) {
    const x = appendElement(dom, 'extension', e.continue ? { name: e.name, continue: 'true' } : { name: e.name });
    for (const c of e.conditions) {
      const attrs: Record<string, string> = {};
      if (c.field !== undefined) attrs.field = c.field;
      if (c.expression !== undefined) attrs.expression = c.expression;
      if (c.time) Object.assign(attrs, c.time);
      if (c.break) attrs.break = c.break;
      const cond = appendElement(x, 'condition', attrs);
      actions(cond, c.actions ?? []);
      actions(cond, c.anti ?? [], 'anti-action');
    }
  }
}

/**
 * `(a|b|c)` over literal digit strings (sorted, deduplicated), one capture group; null when the list is empty.
 * Long lists (every extension of a big PBX) are folded into a digit trie inside the group (number-regex.ts):
 * FreeSWITCH compiles these on every hunt, and a 10,000-number alternation is 50 kB.
 */
export function oneOf(values: readonly string[]): string | null {
  if (values.length <= LITERAL_ALTERNATIVES) return oneOfNow(values);
  return recentlyMade(`o:${values.join(',')}`, () => oneOfNow(values));
}

function oneOfNow(values: readonly string[]): string | null {
  const list = [...new Set(values.filter(Boolean))].sort(byNumber);
  if (!list.length) return null;
  return list.length > LITERAL_ALTERNATIVES ? `(${alternatives(list)})` : `(${list.join('|')})`;
}

/** A feature code ("*8") as a regex fragment. */
export function codeRegex(code: string): string {
  return code.replace(/[*#+]/g, (c) => `\\${c}`);
}
