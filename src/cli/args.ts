// Tiny argument parser for the operator CLI: `--name value`, `--flag`, positionals; unknown options are errors.
import { printable } from '../domain/printable';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Parsed {
  positionals: string[];
  options: Record<string, string | true>;
}

export function parseArgs(argv: string[]): Parsed {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UsageError(`bad option ${printable(a)}`);
      if (eq > 0) options[name] = a.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) options[name] = argv[++i];
      else options[name] = true;
    } else positionals.push(a);
  }
  return { positionals, options };
}

/** Reads the allowed options of a command, refusing any other and any missing required one. */
export function takeOptions<R extends string, O extends string>(
  p: Parsed,
  required: readonly R[],
  optional: readonly O[],
  flags: readonly string[] = [],
): Record<R, string> & Partial<Record<O, string>> & { flags: Set<string> } {
  const out: Record<string, string> = {};
  const set = new Set<string>();
  for (const [k, v] of Object.entries(p.options)) {
    if (flags.includes(k)) {
      if (v !== true) throw new UsageError(`--${k} takes no value`);
      set.add(k);
    } else if ((required as readonly string[]).includes(k) || (optional as readonly string[]).includes(k)) {
      if (v === true) throw new UsageError(`--${k} needs a value`);
      out[k] = v;
    } else throw new UsageError(`unknown option --${k}`);
  }
  for (const r of required) if (!(r in out)) throw new UsageError(`missing --${r}`);
  return Object.assign(out, { flags: set }) as never;
}
