// Parses the `name = value` lists produced by provisioning templates and resolves duplicates the way each vendor does.

import { TemplateError } from './errors';

export interface Param {
  name: string;
  value: string;
}

/** How a vendor resolves a parameter set twice: Polycom keeps the first occurrence, Yealink the last (SPEC §3). */
export type Precedence = 'first-wins' | 'last-wins';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Reads a rendered template: one `name = value` per line; blank lines and lines starting with `#` are ignored.
 * The value is everything after the first `=`, trimmed. A line without `=` or with an odd name is a template bug.
 */
export function parseParamList(text: string, source: string): Param[] {
  const params: Param[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? '' : line.slice(0, eq).trim();
    if (!NAME.test(name))
      throw new TemplateError(`${source}:${i + 1}: expected "name = value", got ${JSON.stringify(line.slice(0, 80))}`);
    params.push({ name, value: line.slice(eq + 1).trim() });
  });
  return params;
}

/**
 * Collapses repeated parameters into one, as the phone would read them: `first-wins` keeps the first value,
 * `last-wins` keeps the last value. Either way a parameter stays at the position of its first occurrence, so the
 * output order follows the base template and stays stable. `keyOf` lets a vendor treat some repeated names as
 * distinct (Yealink's `static.security.user_password = user:pw` lines, one per user).
 */
export function resolveParams(
  params: readonly Param[],
  precedence: Precedence,
  keyOf: (p: Param) => string = (p) => p.name,
): Param[] {
  const byKey = new Map<string, Param>();
  for (const param of params) {
    const key = keyOf(param);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...param });
    else if (precedence === 'last-wins') seen.value = param.value;
  }
  return [...byKey.values()];
}

/**
 * Orders template layers (given most specific first: model, family, base) the way the vendor reads files, so that
 * resolveParams makes the most specific layer win: first-wins reads model first; last-wins reads base first.
 */
export function inReadingOrder<T>(mostSpecificFirst: readonly T[], precedence: Precedence): T[] {
  return precedence === 'first-wins' ? [...mostSpecificFirst] : [...mostSpecificFirst].reverse();
}
