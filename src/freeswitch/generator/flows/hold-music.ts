// Hold music: one mod_local_stream stream per hold-music group with tracks, plus Dialtone's default stream.
import type { HoldMusicGroup } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { GenerateOptions } from '../options';
import type { ConfSection } from '../xml';
import { audioFilePath, audioRoot, ctxOf, safeFileName, stockMusicDir } from './common';

/** Always defined: plays FreeSWITCH's stock music (freeswitch-music-default), see stockMusicDir. */
export const DEFAULT_STREAM = 'default';

/** Stream parameters shared by every stream. 8 kHz mono matches G.711 and the conference rate; FreeSWITCH resamples. */
const STREAM_PARAMS: Array<[string, string]> = [
  ['rate', '8000'],
  ['shuffle', 'true'],
  ['channels', '1'],
  ['interval', '20'],
  ['timer-name', 'soft'],
];

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
  /** Each track: the uploaded file and the name it must have inside `dir` (a link or a copy). */
  tracks: Array<{ source: string; target: string }>;
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
      return {
        stream: streamName(snap, g),
        dir,
        tracks: tracksOf(snap, g).map((a) => ({
          source: audioFilePath(snap, opts, a.id) as string,
          target: `${dir}/${safeFileName(a.storedName)}`,
        })),
      };
    });
}

export function localStreamConf(snaps: PbxSnapshot[], opts: GenerateOptions): ConfSection {
  return {
    name: 'local_stream.conf',
    description: 'stream files from local dir',
    build: (parent) => {
      const dir = (name: string, path: string) => {
        const d = parent.ele('directory', { name, path });
        for (const [k, v] of STREAM_PARAMS) d.ele('param', { name: k, value: v });
      };
      dir(DEFAULT_STREAM, stockMusicDir(opts));
      for (const snap of snaps) for (const f of holdMusicFolders(snap, opts)) dir(f.stream, f.dir);
    },
  };
}
