// `dialtone` operator CLI: scriptable, one-line reason and non-zero exit on any error.
import { join } from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db';
import { DomainError, ValidationError } from '../domain/errors';
import { printable, spellOutControls } from '../domain/printable';
import { createServices, type Services } from '../services';
import { parseArgs, UsageError } from './args';
import { COMMANDS } from './commands';

const HELP = `usage: dialtone <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`).join('\n')}

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
  const cmd = COMMANDS.find((c) => c.name === `${name} ${rest[0]}`) ?? COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const typed = [name, rest[0]].filter(Boolean).join(' ');
    io.err(`dialtone: unknown command "${printable(typed)}" (see dialtone --help)`);
    return 2;
  }
  const words = cmd.name.split(' ').length;
  let services: Services | null = null;
  try {
    services = open ? await open() : await openFromConfig();
    await cmd.run({ ...parsed, positionals: parsed.positionals.slice(words) }, services, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`dialtone: ${err.message} (usage: dialtone ${cmd.usage})`);
      return 2;
    }
    if (err instanceof ValidationError) {
      io.err(
        `dialtone: ${Object.entries(err.fields)
          .map(([f, m]) => `${f} ${m}`)
          .join('; ')}`,
      );
      return 1;
    }
    if (err instanceof DomainError) {
      io.err(`dialtone: ${err.message}`);
      return 1;
    }
    io.err(`dialtone: internal error: ${(err as Error)?.message ?? err}`);
    return 3;
  } finally {
    if (services && !open) await services.orm.close();
  }
}

async function openFromConfig(): Promise<Services> {
  const config = loadConfig();
  const orm = await openDatabase({ url: config.databaseUrl, sqlitePath: join(config.dataDir, 'dialtone.sqlite') });
  return createServices(orm);
}
