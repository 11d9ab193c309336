// An incoming upload streamed to a temporary file with a hard byte cap: never held whole in memory, and the write
// stops (and the partial file is removed) at the first byte over the limit.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UploadTooLargeError } from '../../domain/errors';
import { formatMb } from '../../domain/rules/audio-rules';
import { makeDir } from '../atomic-file';

export interface ReceivedFile {
  /** The temporary file (under DATA_DIR/tmp/uploads): the caller removes it once done. */
  path: string;
  size: number;
}

export function tooLarge(limit: number): UploadTooLargeError {
  return new UploadTooLargeError(`the file is larger than ${formatMb(limit)}: upload a smaller one`, limit);
}

/** A fresh name in `dir` for a temporary file Dialtone writes. */
export function tempPath(dir: string, suffix: string): string {
  return join(dir, `${Date.now()}-${randomBytes(8).toString('hex')}.${suffix}`);
}

/**
 * Copies `stream` into a new file in `dir`. Rejects with UploadTooLargeError as soon as more than `maxBytes` arrive,
 * or with the stream's own error (an aborted request); the partial file is removed in both cases.
 */
export async function receiveToFile(stream: Readable, dir: string, maxBytes: number): Promise<ReceivedFile> {
  await makeDir(dir, 0o700);
  const path = tempPath(dir, 'upload');
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(stream, cap, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return { path, size };
}

/** Removes temporary files older than `maxAgeMs` (left by a crash mid-upload). Returns how many went. */
export async function sweepTempFiles(dir: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const st = await stat(path).catch(() => null);
    if (st?.isFile() && now - st.mtimeMs > maxAgeMs) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
