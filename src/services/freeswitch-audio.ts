// The audio FreeSWITCH plays from FREESWITCH_AUDIO_DIR, delivered with an export: the generated tree names
// `<audioDir>/<context>/<name>` for every AudioFile (greetings, announcements) and streams each hold-music group from
// its own folder `<audioDir>/<context>/moh/<group id>/`, so each must reach the FreeSWITCH host with the tree.
// Dialtone's copies live in DATA_DIR/audio/<context>/ (stored by upload, or imported from a recording by phone).
//
// FreeSWITCH's side is shared with FreeSWITCH itself, which records greetings there: nothing is deleted except
// extra files inside a hold-music folder (mod_local_stream plays every file it finds there, and Dialtone owns those
// folders), and a recording by phone that FreeSWITCH already holds is never replaced (FreeSWITCH wrote it).
import { readFileSync, type Stats, statSync } from 'node:fs';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../domain/errors';
import type { PbxSnapshot } from '../domain/snapshot';
import { DEFAULT_OPTIONS } from '../freeswitch/generator';
import { audioRoot, safeFileName } from '../freeswitch/generator/audio-path';
import { holdMusicFolders } from '../freeswitch/generator/flows';
import { isPhoneRecordingName } from '../freeswitch/phone-recording';
import { AUDIO_MODES, makeDir, writeAudioFile } from './atomic-file';
import { sha256Hex } from './secrets';

export interface AudioToDeliver {
  /** Below the audio directory: `<context>/<name>` or `<context>/moh/<group id>/<name>`. */
  path: string;
  /** Dialtone's copy of the bytes ('' for a generated file: `content`). */
  localPath: string;
  /** A file made by the export itself (an in-order group's playlist.loc), instead of a copy of `localPath`. */
  content?: Buffer;
  sizeBytes: number;
  sha256: string;
  /** A recording by phone: FreeSWITCH wrote it, so a copy it already has is left alone. */
  recordedThere: boolean;
}

export interface AudioDelivery {
  files: AudioToDeliver[];
  /** Folders (below the audio directory) that must hold exactly their files: the hold-music groups'. */
  exactDirs: string[];
  /**
   * Every delivered PBX's own folder, `<context>`, which must exist even with no audio in it yet: a greeting recorded
   * by phone is written there, and FreeSWITCH's `record` creates no folder (the call would end at the beep).
   */
  folders: string[];
}

/**
 * What the tree of these PBXs plays, each with Dialtone's copy of its bytes. A file without bytes, or with other
 * bytes than its row says, is a ValidationError naming each such file: the tree would play something missing.
 * `audioDir` is the folder on the FreeSWITCH host (the tree's too): an in-order group's playlist names files there.
 */
export function audioToDeliver(
  snaps: PbxSnapshot[],
  dataDir: string,
  audioDir: string = DEFAULT_OPTIONS.audioDir,
): AudioDelivery {
  const opts = { ...DEFAULT_OPTIONS, audioDir };
  const root = audioRoot(opts);
  const files: AudioToDeliver[] = [];
  const exactDirs: string[] = [];
  const folders: string[] = [];
  const problems: string[] = [];
  for (const snap of snaps) {
    const ctx = snap.pbx.context;
    folders.push(ctx);
    const checked = new Map<number, Omit<AudioToDeliver, 'path'> | null>();
    for (const a of snap.audioFiles) {
      const name = safeFileName(a.storedName);
      const localPath = join(dataDir, 'audio', ctx, name);
      let size = -1;
      try {
        size = statSync(localPath).size;
      } catch {
        problems.push(`${ctx}: "${a.originalName}" (${name}) has no stored file`);
        checked.set(a.id, null);
        continue;
      }
      const sha256 = size === a.sizeBytes ? sha256Hex(readFileSync(localPath)) : '';
      if (sha256 !== a.sha256) {
        problems.push(`${ctx}: "${a.originalName}" (${name}) does not match its stored checksum`);
        checked.set(a.id, null);
        continue;
      }
      const file = { localPath, sizeBytes: size, sha256, recordedThere: isPhoneRecordingName(name) };
      checked.set(a.id, file);
      files.push({ path: `${ctx}/${name}`, ...file });
    }
    for (const folder of holdMusicFolders(snap, opts)) {
      exactDirs.push(folder.dir.slice(root.length + 1));
      if (folder.playlist) {
        const content = Buffer.from(folder.playlist.text, 'utf8');
        files.push({
          path: folder.playlist.target.slice(root.length + 1),
          localPath: '',
          content,
          sizeBytes: content.length,
          sha256: sha256Hex(content),
          recordedThere: false,
        });
      }
      for (const track of folder.tracks) {
        const name = track.source.slice(track.source.lastIndexOf('/') + 1);
        const a = snap.audioFiles.find((x) => safeFileName(x.storedName) === name);
        const file = a ? checked.get(a.id) : null;
        if (file) files.push({ ...file, path: track.target.slice(root.length + 1), recordedThere: false });
      }
    }
  }
  if (problems.length) throw new ValidationError({ audio: `cannot deliver audio: ${problems.join('; ')}` });
  return { files, exactDirs, folders };
}

/**
 * Lays the delivery out under `dir` (the FreeSWITCH host's audio directory, reachable here): each file written
 * atomically unless it already holds those bytes, hold-music folders pruned to their tracks. Returns files written.
 */
export async function writeAudioDir(delivery: AudioDelivery, dir: string): Promise<number> {
  let written = 0;
  for (const folder of delivery.folders) {
    if (await linkOnPath(dir, folder))
      throw new ValidationError({ audio: `${join(dir, folder)}: a symbolic link on the way, not writing through it` });
    await makeDir(join(dir, folder), AUDIO_MODES.dir);
  }
  for (const f of delivery.files) {
    const target = join(dir, f.path);
    const have = await readFile(target).catch(() => null);
    if (have && (f.recordedThere || sha256Hex(have) === f.sha256)) continue;
    if (await linkOnPath(dir, f.path))
      throw new ValidationError({ audio: `${join(dir, f.path)}: a symbolic link on the way, not writing through it` });
    await writeAudioFile(target, f.content ?? (await readFile(f.localPath)));
    written++;
  }
  for (const d of delivery.exactDirs) {
    // The folder and each step to it must be real folders: FreeSWITCH's user can write in <context>/, and a symlink
    // planted there must not turn pruning into deleting somewhere else. Only plain files and links are removed.
    if (!(await realDirs(dir, d))) continue;
    const keep = new Set(
      delivery.files.filter((f) => f.path.startsWith(`${d}/`)).map((f) => f.path.slice(d.length + 1)),
    );
    for (const entry of await readdir(join(dir, d), { withFileTypes: true }))
      if (!keep.has(entry.name) && (entry.isFile() || entry.isSymbolicLink())) await rm(join(dir, d, entry.name));
  }
  return written;
}

/** What lstat says of each component of `rel` below `root`, up to the first that does not exist. */
async function walk(root: string, rel: string): Promise<{ stats: Stats[]; complete: boolean }> {
  const stats: Stats[] = [];
  let path = root;
  for (const part of rel.split('/')) {
    path = join(path, part);
    const st = await lstat(path).catch(() => null);
    if (!st) return { stats, complete: false };
    stats.push(st);
  }
  return { stats, complete: true };
}

/** True when every component of `rel` below `root` is a directory and none is a symbolic link. */
async function realDirs(root: string, rel: string): Promise<boolean> {
  const { stats, complete } = await walk(root, rel);
  return complete && stats.every((st) => st.isDirectory());
}

/** True when an existing component of `rel` below `root` (the file included) is a symbolic link. */
async function linkOnPath(root: string, rel: string): Promise<boolean> {
  return (await walk(root, rel)).stats.some((st) => st.isSymbolicLink());
}
