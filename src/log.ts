// Structured one-line JSON logs to stdout; the level comes from config.
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Logger = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

export function createLogger(
  min: Level,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  /** Fields every line carries (which process of the cluster wrote it). */
  base?: Record<string, unknown>,
): Logger {
  return (level, msg, fields) => {
    if (ORDER[level] < ORDER[min]) return;
    const extra: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(fields ?? {}))
      extra[k] = v instanceof Error ? { name: v.name, message: v.message } : v;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra }));
  };
}
