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
