// Files written so that a reader sees the old bytes or the new ones, never a part: temp file beside it, then rename.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FileModes {
  file: number;
  dir: number;
}

/** Dialtone's own files (phone uploads, keys' neighbours): readable by Dialtone's user and group only. */
const PRIVATE: FileModes = { file: 0o640, dir: 0o750 };

/** `mkdir -p` whose new folders get `mode` outright (mkdir applies the umask and drops setgid). */
export async function makeFolders(dir: string, mode: number): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode });
  if (first) for (let d = dir; d.length >= first.length; d = dirname(d)) await chmod(d, mode);
}

export async function writeFileAtomically(path: string, bytes: Buffer, modes: FileModes = PRIVATE): Promise<void> {
  await makeFolders(dirname(path), modes.dir);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes, { mode: modes.file, flag: 'wx' });
    await chmod(tmp, modes.file);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Audio FreeSWITCH plays (and records next to, into the same folders): files readable by everyone, folders
 * group-writable and setgid, so a group shared by Dialtone's and FreeSWITCH's users keeps both able to write.
 */
export function writeAudioFile(path: string, bytes: Buffer): Promise<void> {
  return writeFileAtomically(path, bytes, AUDIO_MODES);
}

export const AUDIO_MODES: FileModes = { file: 0o644, dir: 0o2775 };
