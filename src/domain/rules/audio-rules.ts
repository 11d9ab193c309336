// Field rules for an audio file row (created only by the upload pipeline and the phone-recording import, never typed)
// and the PBX-wide hold-music budget, counted over every hold-music upload of the PBX.
import { ForbiddenError } from '../errors';
import { AUDIO_PURPOSES, type AudioFile } from '../model';
import type { PbxSnapshot } from '../snapshot';
import type { Fields } from '../validate';
import { HOLD_MUSIC_MAX_BYTES_PER_PBX, TRACK_MAX_BYTES } from './other-rules';

/** One uploaded file (greeting, announcement or hold-music track), as stored: the manual's 10 MB. */
export const AUDIO_MAX_BYTES = TRACK_MAX_BYTES;
export { HOLD_MUSIC_MAX_BYTES_PER_PBX };

/** Names Dialtone gives stored files: no path, nothing FreeSWITCH would interpret, an audio extension. */
export const STORED_NAME_RE = /^[a-z0-9][a-z0-9-]{0,90}\.(wav|mp3)$/;

const MB = 1024 * 1024;
export const formatMb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

/**
 * The uploader's file name, for display only (lists, audit): never a path, never in FreeSWITCH's files. Folders a
 * browser or a hostile client put in front are dropped, control, format and bidi characters removed, the length
 * bounded (keeping the extension). HTML escaping is the renderer's job, as for any text.
 */
export function displayFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u{FFFD}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...clean];
  if (chars.length === 0 || /^\.+$/.test(clean)) return 'upload';
  if (chars.length <= 100) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 6 ? clean.slice(dot) : '';
  return `${chars.slice(0, 100 - [...ext].length - 1).join('')}…${ext}`;
}

/** Bytes of hold music the PBX holds: every hold-music upload counts, in a group or not yet (or no longer). */
export function holdMusicBytes(snap: PbxSnapshot): number {
  return snap.audioFiles.filter((a) => a.purpose === 'hold_music').reduce((sum, a) => sum + a.sizeBytes, 0);
}

type Data = Omit<AudioFile, 'id' | 'pbxId' | 'createdAt'>;

/**
 * A new audio row from what the upload pipeline measured. Rows are never edited: a new upload replaces the file.
 * The hold-music budget is checked here, inside the object service's transaction that locked the PBX row first, so
 * two uploads at once cannot both fit into the same remaining space.
 */
export function parseAudioFile(f: Fields, snap: PbxSnapshot, current: unknown): Data {
  if (current) throw new ForbiddenError('audio files are created and replaced by upload only');
  const purpose = f.oneOf('purpose', AUDIO_PURPOSES);
  const storedName = f.string('storedName') ?? '';
  if (!STORED_NAME_RE.test(storedName)) f.fail('storedName', 'is not a name Dialtone gives stored audio');
  else if (snap.audioFiles.some((a) => a.storedName === storedName)) f.fail('storedName', 'is already used');
  const format = f.oneOf('format', ['mp3', 'wav'] as const);
  if (!storedName.endsWith(`.${format}`)) f.fail('format', 'does not match the stored name');
  const originalName = displayFileName(f.string('originalName') ?? '');
  const sizeBytes = f.int('sizeBytes', { min: 1, max: AUDIO_MAX_BYTES });
  const sha256 = f.string('sha256') ?? '';
  if (!/^[0-9a-f]{64}$/.test(sha256)) f.fail('sha256', 'must be a SHA-256 in hex');
  const durationMs = f.int('durationMs', { min: 1, max: 24 * 3600 * 1000 });
  const uploadedById = f.optionalId('uploadedById');
  if (purpose === 'hold_music') {
    const used = holdMusicBytes(snap);
    if (used + sizeBytes > HOLD_MUSIC_MAX_BYTES_PER_PBX)
      f.fail(
        'file',
        `hold music of this PBX is limited to 60 MB in total: ${formatMb(used)} are used, this file needs ` +
          `${formatMb(sizeBytes)}. Delete a track first.`,
      );
  }
  return { purpose, storedName, format, originalName, sizeBytes, sha256, durationMs, uploadedById };
}
