// Files written so that a reader sees the old bytes or the new ones, never a part: temp file beside it, then rename.
// The bytes are fsynced before the rename and the folder after it, so a crash or power cut keeps one or the other.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FileModes {
  file: number;
  dir: number;
}

/** Dialtone's own files (phone uploads, keys' neighbours): readable by Dialtone's user and group only. */
const PRIVATE: FileModes = { file: 0o640, dir: 0o750 };

/**
 * Audio FreeSWITCH plays (and records next to, into the same folders): files readable by everyone, folders
 * group-writable and setgid, so a group shared by Dialtone's and FreeSWITCH's users keeps both able to write.
 */
export const AUDIO_MODES: FileModes = { file: 0o644, dir: 0o2775 };

/** Creates the folder (and missing parents) with `mode` set outright: mkdir applies the umask and drops setgid. */
export async function makeDir(dir: string, mode: number): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode });
  if (first) for (let d = dir; d.length >= first.length; d = dirname(d)) await chmod(d, mode);
}

/** Flushes a folder's entries (the rename) to disk. Some file systems refuse to open folders for that: skipped. */
async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r').catch(() => null);
  if (!h) return;
  try {
    await h.sync();
  } catch {
    // EINVAL/EISDIR on file systems that cannot fsync a folder: the rename is as durable as they make it.
  } finally {
    await h.close();
  }
}

export async function writeFileAtomically(path: string, bytes: Buffer, modes: FileModes = PRIVATE): Promise<void> {
  const dir = dirname(path);
  await makeDir(dir, modes.dir);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const h = await open(tmp, 'wx', modes.file);
    try {
      await h.writeFile(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    await chmod(tmp, modes.file);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/**
 * Moves a finished temporary file (on the same file system, e.g. under DATA_DIR) to `path`: fsynced, given its
 * mode, renamed over whatever was there, the folder fsynced. The temporary file is gone afterwards either way.
 */
export async function moveFileAtomically(tmp: string, path: string, modes: FileModes): Promise<void> {
  const dir = dirname(path);
  try {
    await makeDir(dir, modes.dir);
    const h = await open(tmp, 'r+');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
    await chmod(tmp, modes.file);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

export function writeAudioFile(path: string, bytes: Buffer): Promise<void> {
  return writeFileAtomically(path, bytes, AUDIO_MODES);
}
