// Hold music: one mod_local_stream stream per hold-music group with tracks, plus Dialtone's default stream.
//
// How mod_local_stream (FreeSWITCH 1.10) plays a folder: it reads the folder's entries in the order the file system
// returns them (readdir: on ext4 a hash order, not by name), skipping a random number of them when `shuffle` is on,
// and reads the folder again after its last file. A file whose name contains ".loc" is a playlist instead: each line
// is the path of a file to play, in order. So a shuffled group's folder holds its tracks, and a group that plays in
// order holds only `playlist.loc`, listing the tracks (where the PBX's audio folder keeps them) in the group's order.
import type { HoldMusicGroup } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { GenerateOptions } from '../options';
import type { ConfSection } from '../xml';
import { audioFilePath, audioRoot, ctxOf, safeFileName, stockMusicDir } from './common';

/** Always defined: plays FreeSWITCH's stock music (freeswitch-music-default), see stockMusicDir. */
export const DEFAULT_STREAM = 'default';

/** Stream parameters (`shuffle` per group). 8 kHz mono matches G.711 and the conference rate; FreeSWITCH resamples. */
const streamParams = (shuffle: boolean): Array<[string, string]> => [
  ['rate', '8000'],
  ['shuffle', shuffle ? 'true' : 'false'],
  ['channels', '1'],
  ['interval', '20'],
  ['timer-name', 'soft'],
];

/** The playlist of a group that plays in order (mod_local_stream opens any file with ".loc" in its name as one). */
export const PLAYLIST_NAME = 'playlist.loc';

const streamName = (snap: PbxSnapshot, g: HoldMusicGroup) => `${ctxOf(snap)}_${g.id}`;

/** Tracks that exist as uploaded files of the PBX (a group may list a track that was since removed). */
function tracksOf(snap: PbxSnapshot, g: HoldMusicGroup) {
  return g.trackIds.map((id) => snap.audioFiles.find((a) => a.id === id)).filter((a) => a !== undefined);
}

/**
 * The music a caller of this PBX hears: the group's stream if it has tracks, else the PBX's outbound group, else
 * Dialtone's default. An empty group gets no stream because mod_local_stream cannot play an empty folder.
 */
export function holdMusicStream(snap: PbxSnapshot, groupId: number | null | undefined): string {
  const usable = (g: HoldMusicGroup | undefined) => (g && tracksOf(snap, g).length > 0 ? g : undefined);
  const group =
    usable(snap.holdMusicGroups.find((g) => g.id === groupId)) ?? usable(snap.holdMusicGroups.find((g) => g.outbound));
  return `local_stream://${group ? streamName(snap, group) : DEFAULT_STREAM}`;
}

/** The PBX's outbound hold music (what the dialplan sets as `hold_music` on outgoing calls). */
export function outboundHoldMusic(snap: PbxSnapshot): string {
  return holdMusicStream(snap, null);
}

export interface HoldMusicFolder {
  stream: string;
  /** Folder the stream plays, `<audioDir>/<context>/moh/<group id>`. */
  dir: string;
  shuffle: boolean;
  /** Shuffled: each track, the uploaded file and the name it must have inside `dir` (a link or a copy). */
  tracks: Array<{ source: string; target: string }>;
  /** In order: `dir`/playlist.loc and its text, one track path (as the host sees it) per line; nothing else in `dir`. */
  playlist: { target: string; text: string } | null;
}

/**
 * What the export step must lay out on the FreeSWITCH host: mod_local_stream plays a folder, so each group's
 * tracks are linked (or copied) from the PBX's upload folder into the group's own folder.
 */
export function holdMusicFolders(snap: PbxSnapshot, opts: GenerateOptions): HoldMusicFolder[] {
  return [...snap.holdMusicGroups]
    .sort((a, b) => a.id - b.id)
    .filter((g) => tracksOf(snap, g).length > 0)
    .map((g) => {
      const dir = `${audioRoot(opts)}/${ctxOf(snap)}/moh/${g.id}`;
      const shuffle = g.shuffle !== false;
      const sources = tracksOf(snap, g).map((a) => ({
        source: audioFilePath(snap, opts, a.id) as string,
        target: `${dir}/${safeFileName(a.storedName)}`,
      }));
      return {
        stream: streamName(snap, g),
        dir,
        shuffle,
        tracks: shuffle ? sources : [],
        playlist: shuffle
          ? null
          : { target: `${dir}/${PLAYLIST_NAME}`, text: sources.map((t) => `${t.source}\n`).join('') },
      };
    });
}

export function localStreamConf(snaps: PbxSnapshot[], opts: GenerateOptions): ConfSection {
  return {
    name: 'local_stream.conf',
    description: 'stream files from local dir',
    build: (parent) => {
      const dir = (name: string, path: string, shuffle: boolean) => {
        const d = parent.ele('directory', { name, path });
        for (const [k, v] of streamParams(shuffle)) d.ele('param', { name: k, value: v });
      };
      dir(DEFAULT_STREAM, stockMusicDir(opts), true);
      for (const snap of snaps) for (const f of holdMusicFolders(snap, opts)) dir(f.stream, f.dir, f.shuffle);
    },
  };
}
