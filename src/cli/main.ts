// `dialtone` operator CLI: scriptable, one-line reason and non-zero exit on any error.
//
// Only what every invocation needs is imported up front: help and usage errors come from the command table, and a
// command's code, the database and the services load when a command runs (`dialtone --help` then starts in a blink).
import { join } from 'node:path';
import { DomainError, ValidationError } from '../domain/errors';
import { printable, spellOutControls } from '../domain/printable';
import type { Services } from '../services';
import { parseArgs, UsageError } from './args';
import { COMMAND_TABLE, findCommand } from './command-table';

const HELP = `usage: dialtone <command> [options]

commands:
${COMMAND_TABLE.map((c) => `  ${c.usage}\n      ${c.summary}`).join('\n')}

Database: DATA_DIR (default ./data, SQLite) or DATABASE_URL=postgres://…
Exit status: 0 ok, 1 refused (validation, not found, conflict), 2 usage error, 3 internal error.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one CLI invocation and returns its exit code (tests call this in-process). */
export async function runCli(argv: string[], output: CliIo, open?: () => Promise<Services>): Promise<number> {
  // A refusal may quote what was typed (or what a remote server said): one line, nothing a terminal would act on.
  const io: CliIo = { out: output.out, err: (t) => output.err(spellOutControls(t)) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`dialtone: ${err.message} (see dialtone --help)`);
    return 2;
  }
  const [name, ...rest] = parsed.positionals;
  if (!name || name === 'help' || parsed.options.help) {
    io.out(HELP);
    return name || parsed.options.help ? 0 : 2;
  }
  const spec = findCommand(name, rest[0]);
  if (!spec) {
    const typed = [name, rest[0]].filter(Boolean).join(' ');
    io.err(`dialtone: unknown command "${printable(typed)}" (see dialtone --help)`);
    return 2;
  }
  const words = spec.name.split(' ').length;
  const cmd = { ...spec, run: (await (await import('./commands')).commandByName(spec.name)).run };
  let services: Services | null = null;
  try {
    services = open ? await open() : await openFromConfig();
    await cmd.run({ ...parsed, positionals: parsed.positionals.slice(words) }, services, io);
    return 0;
  } catch (err) {
    if (isA(err, UsageError)) {
      io.err(`dialtone: ${err.message} (usage: dialtone ${cmd.usage})`);
      return 2;
    }
    if (isA(err, ValidationError)) {
      io.err(
        `dialtone: ${Object.entries(err.fields)
          .map(([f, m]) => `${f} ${m}`)
          .join('; ')}`,
      );
      return 1;
    }
    if (isA(err, DomainError)) {
      io.err(`dialtone: ${err.message}`);
      return 1;
    }
    io.err(`dialtone: internal error: ${(err as Error)?.message ?? err}`);
    return 3;
  } finally {
    if (services && !open) await services.orm.close();
  }
}

/**
 * `err instanceof kind`, also when the module defining `kind` was loaded twice: a test harness that require()s this
 * file while the commands come in through import() (tsx gives each loader its own copy of a TypeScript module) would
 * otherwise turn every refusal a command throws into an internal error. Compares class names along the prototype
 * chain; the bundle in dist/ keeps class names.
 */
function isA<T extends abstract new (...args: never[]) => unknown>(err: unknown, kind: T): err is InstanceType<T> {
  if (err instanceof kind) return true;
  for (
    let p = err === null || typeof err !== 'object' ? null : Object.getPrototypeOf(err);
    p;
    p = Object.getPrototypeOf(p)
  )
    if (p.constructor?.name === kind.name) return true;
  return false;
}

async function openFromConfig(): Promise<Services> {
  const [{ loadConfig }, { openDatabase }, { createServices }] = await Promise.all([
    import('../config'),
    import('../db'),
    import('../services'),
  ]);
  const config = loadConfig();
  const orm = await openDatabase({ url: config.databaseUrl, sqlitePath: join(config.dataDir, 'dialtone.sqlite') });
  return createServices(orm);
}
