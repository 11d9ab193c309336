// The audio FreeSWITCH plays from FREESWITCH_AUDIO_DIR (greetings, announcements, hold-music tracks), delivered with
// an export: the generated tree names `<audioDir>/<context>/<stored name>` for every AudioFile, so each must reach the
// FreeSWITCH host with it. Dialtone's copies live in DATA_DIR/audio/<context>/ (stored by upload or imported from a
// recording by phone). Nothing is ever deleted on the FreeSWITCH side: its own recordings by phone live there too.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../domain/errors';
import type { PbxSnapshot } from '../domain/snapshot';
import { safeFileName } from '../freeswitch/generator/flows/common';
import { writeFileAtomically } from './atomic-file';

export interface AudioToDeliver {
  context: string;
  /** The name the generated tree plays (`<audioDir>/<context>/<name>`). */
  name: string;
  localPath: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Every AudioFile of these PBXs with Dialtone's copy of its bytes. One without bytes, or with other bytes than the
 * row says, is a ValidationError naming each such file: the generated tree would play a file that is not there.
 */
export function audioToDeliver(snaps: PbxSnapshot[], dataDir: string): AudioToDeliver[] {
  const out: AudioToDeliver[] = [];
  const problems: string[] = [];
  for (const snap of snaps)
    for (const a of snap.audioFiles) {
      const name = safeFileName(a.storedName);
      const localPath = join(dataDir, 'audio', snap.pbx.context, name);
      let size: number;
      try {
        size = statSync(localPath).size;
      } catch {
        problems.push(`${snap.pbx.context}: "${a.originalName}" (${name}) has no stored file`);
        continue;
      }
      const sha256 = size === a.sizeBytes ? createHash('sha256').update(readFileSync(localPath)).digest('hex') : '';
      if (sha256 !== a.sha256) {
        problems.push(`${snap.pbx.context}: "${a.originalName}" (${name}) does not match its stored checksum`);
        continue;
      }
      out.push({ context: snap.pbx.context, name, localPath, sizeBytes: size, sha256 });
    }
  if (problems.length) throw new ValidationError({ audio: `cannot deliver audio: ${problems.join('; ')}` });
  return out;
}

/** Copies the files under `dir/<context>/<name>`, each atomically; files already holding those bytes are left alone. */
export async function writeAudioDir(files: AudioToDeliver[], dir: string): Promise<number> {
  let written = 0;
  for (const f of files) {
    const target = join(dir, f.context, f.name);
    const have = await readFile(target).catch(() => null);
    if (have && createHash('sha256').update(have).digest('hex') === f.sha256) continue;
    await writeFileAtomically(target, await readFile(f.localPath));
    written++;
  }
  return written;
}
