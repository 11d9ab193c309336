// Structured one-line JSON logs to stdout; the level comes from config.
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Logger = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

/**
 * Writes lines in batches, once per turn of the event loop: in a boot storm every phone's file with credentials is
 * logged, and one write syscall per line was a seventh of a worker's CPU. A batch never exceeds PIPE_BUF (4,096
 * bytes), so it reaches a pipe shared with the cluster's other processes in one piece, as single lines did; a longer
 * line is written alone. What is queued is written when the process exits (process.exit, an uncaught error).
 */
export function batchedLines(write: (chunk: string) => void, maxBytes = 4096): (line: string) => void {
  let queued: string[] = [];
  let bytes = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued.length) write(queued.join(''));
    queued = [];
    bytes = 0;
  };
  process.on('exit', flush);
  return (line) => {
    const text = `${line}\n`;
    const size = Buffer.byteLength(text);
    if (bytes + size > maxBytes) flush();
    queued.push(text);
    bytes += size;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/** The ISO time of the current millisecond, made once per millisecond (a storm logs a few lines each). */
let isoMs = -1;
let iso = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMs) {
    isoMs = now;
    iso = new Date(now).toISOString();
  }
  return iso;
}

const OWN_KEYS: ReadonlySet<string> = new Set(['time', 'level', 'msg']);
const isDigit = (c: number) => c >= 48 && c <= 57;

/** A field's JSON (errors as name and message); undefined when JSON leaves the field out (undefined, functions). */
const fieldJson = (v: unknown): string | undefined =>
  JSON.stringify(v instanceof Error ? { name: v.name, message: v.message } : v);

export function createLogger(
  min: Level,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  /** Fields every line carries (which process of the cluster wrote it). */
  base?: Record<string, unknown>,
): Logger {
  const slow = (level: Level, msg: string, fields: Record<string, unknown> | undefined): string => {
    const extra: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(fields ?? {}))
      extra[k] = v instanceof Error ? { name: v.name, message: v.message } : v;
    return JSON.stringify({ time: isoNow(), level, msg, ...extra });
  };
  const baseKeys = new Set(Object.keys(base ?? {}));
  if ([...baseKeys].some((k) => OWN_KEYS.has(k) || isDigit(k.charCodeAt(0))))
    return (level, msg, fields) => {
      if (ORDER[level] >= ORDER[min]) write(slow(level, msg, fields));
    };
  let baseJson = '';
  for (const [k, v] of Object.entries(base ?? {})) {
    const json = fieldJson(v);
    if (json !== undefined) baseJson += `,${JSON.stringify(k)}:${json}`;
  }
  // The same bytes as JSON.stringify of { time, level, msg, ...base, ...fields }, built field by field: a boot storm
  // logs every file with credentials it serves, and the object spreads and entries of that were ~11 µs a line (now
  // ~1.5). A field named like one before it (time, level, msg, a base field) takes that key's place, and an
  // integer-like key goes first in an object: those lines take the slow path, the whole object at once.
  return (level, msg, fields) => {
    if (ORDER[level] < ORDER[min]) return;
    let line = `{"time":"${isoNow()}","level":"${level}","msg":${JSON.stringify(msg)}${baseJson}`;
    if (fields) {
      for (const k in fields) {
        if (!Object.hasOwn(fields, k)) continue;
        if (OWN_KEYS.has(k) || baseKeys.has(k) || isDigit(k.charCodeAt(0))) {
          write(slow(level, msg, fields));
          return;
        }
        const json = fieldJson(fields[k]);
        if (json !== undefined) line += `,${JSON.stringify(k)}:${json}`;
      }
    }
    write(`${line}}`);
  };
}
