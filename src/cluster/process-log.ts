// Who this process is in logs and metrics. Kept apart from wiring.ts (database, provisioning) so the primary can fork
// its first worker before it loads any of that.
import type { Config } from '../config';
import { batchedLines, createLogger, type Logger } from '../log';

/** The process's name in logs and metrics: primary, worker-1 …, background. */
export function processName(): string {
  const role = process.env.DIALTONE_ROLE;
  if (!role) return 'primary';
  return role === 'http' ? `worker-${process.env.DIALTONE_WORKER ?? '?'}` : role;
}

/** JSON-line logger; every line of a child process names it (several processes share stdout). */
export function processLogger(config: Config): Logger {
  const name = processName();
  const write = batchedLines((chunk) => process.stdout.write(chunk));
  return createLogger(config.logLevel, write, name === 'primary' ? undefined : { process: name });
}
