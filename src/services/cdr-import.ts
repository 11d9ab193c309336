// Imports the call records FreeSWITCH wrote to disk while Dialtone was unreachable (its err-log-dir): each file goes
// through the same intake as a post (stored once by uuid, greetings recorded by phone imported), then moves to
// <dir>/.imported/. A file that does not read as a record yet may still be being written: it is left for the next run,
// and only once it has stayed unreadable for a while is it moved to <dir>/.failed/ (and counted, and logged).
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../domain/errors';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import { CDR_FILE_NAME, CDR_ROTATE_DIR, parseCdrFile } from '../freeswitch/cdr/cdr-file';
import { CdrParseError } from '../freeswitch/cdr/raw-leg';
import type { Logger } from '../log';

export const IMPORTED_DIR = '.imported';
export const FAILED_DIR = '.failed';

export interface CdrImportOptions {
  /** The intake a post goes through: true when the call was stored. */
  ingest(record: CallRecordInput): Promise<boolean>;
  log: Logger;
  now?: () => Date;
  /** An unreadable file younger than this may be half written: left for the next run (default 5 minutes). */
  settleMs?: number;
  /** Files moved to .imported/ are deleted after this many days (default 7). */
  keepImportedDays?: number;
  /** Most files one run takes (default 20,000): a backlog is worked off over several runs. */
  maxFiles?: number;
}

export interface CdrImportResult {
  dir: string;
  /** Record files looked at. */
  files: number;
  /** Calls stored by this run. */
  stored: number;
  /** Records read but not stored: already stored, not counted (b-legs, loopback legs) or of no PBX here. */
  ignored: number;
  /** Unreadable files left for the next run (possibly still being written). */
  pending: number;
  /** Files that stayed unreadable, moved to .failed/. */
  failed: number;
  /** Imported files that could not be moved (read again next time; their calls are never stored twice). */
  notMoved: number;
}

/** Record files under `dir` and its rotate subfolders, oldest name first, as paths relative to `dir`. */
async function recordFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile() && CDR_FILE_NAME.test(entry.name)) out.push(entry.name);
    else if (entry.isDirectory() && CDR_ROTATE_DIR.test(entry.name))
      for (const sub of await readdir(join(dir, entry.name), { withFileTypes: true }))
        if (sub.isFile() && CDR_FILE_NAME.test(sub.name)) out.push(join(entry.name, sub.name));
  }
  return out.sort();
}

const MAX_FILE_BYTES = 16 * 1024 * 1024;

export async function importCdrDirectory(dir: string, opts: CdrImportOptions): Promise<CdrImportResult> {
  const now = (opts.now ?? (() => new Date()))().getTime();
  const settleMs = opts.settleMs ?? 5 * 60_000;
  const result: CdrImportResult = { dir, files: 0, stored: 0, ignored: 0, pending: 0, failed: 0, notMoved: 0 };
  let files: string[];
  try {
    files = await recordFiles(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`folder ${dir} does not exist`);
    throw err;
  }
  const move = async (rel: string, to: string): Promise<boolean> => {
    try {
      await mkdir(join(dir, to), { recursive: true });
      const dest = join(dir, to, rel.split('/').pop() as string);
      await rename(join(dir, rel), dest);
      // Dated by its import, not by when FreeSWITCH wrote it: .imported/ keeps it keepImportedDays from now.
      const when = new Date(now);
      await utimes(dest, when, when).catch(() => {});
      return true;
    } catch (err) {
      // Another importer moved it first, or the folder is FreeSWITCH's and not ours to write: say so, go on.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        opts.log('warn', 'cdr import: file not moved', { file: rel, to, err });
      return false;
    }
  };
  for (const rel of files.slice(0, opts.maxFiles ?? 20_000)) {
    result.files++;
    const path = join(dir, rel);
    let record: CallRecordInput;
    let age = 0;
    try {
      const info = await stat(path);
      age = now - info.mtimeMs;
      if (info.size > MAX_FILE_BYTES) throw new CdrParseError(`${info.size} bytes: larger than any call record`);
      record = parseCdrFile(rel.split('/').pop() as string, await readFile(path, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        result.files--; // imported meanwhile by someone else
        continue;
      }
      if (!(err instanceof CdrParseError)) throw err;
      if (age < settleMs) {
        result.pending++;
        continue;
      }
      result.failed++;
      opts.log('warn', 'cdr import: unreadable call record file set aside', {
        file: rel,
        to: FAILED_DIR,
        reason: err.message.slice(0, 200),
      });
      await move(rel, FAILED_DIR);
      continue;
    }
    // A failing store (database down) throws: the run fails and the file stays for the next one.
    if (await opts.ingest(record)) result.stored++;
    else result.ignored++;
    if (!(await move(rel, IMPORTED_DIR))) result.notMoved++;
  }
  await forgetOldImports(join(dir, IMPORTED_DIR), now - (opts.keepImportedDays ?? 7) * 86_400_000);
  if (result.files) opts.log('info', 'cdr import', { ...result });
  return result;
}

async function forgetOldImports(dir: string, before: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const info = await stat(join(dir, name)).catch(() => null);
    if (info && info.mtimeMs < before) await rm(join(dir, name), { force: true });
  }
}
