// The one upload pipeline for audio: mailbox greetings (unavailable / busy / name), attendant announcements and
// hold-music tracks. A received file is checked by content and converted (audio/audio-check.ts), stored durably as
// DATA_DIR/audio/<context>/<name Dialtone chose> with an AudioFile row, then linked through the object service like
// any other change (tenant and role rules, references, audit, revision, generator). A file that is refused changes
// nothing: the previous greeting, announcement or track list stays as it was. The generator and the export deliver
// stored uploads exactly as they deliver greetings recorded by phone (freeswitch-audio.ts).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { type AudioPurpose, PbxSchema } from '../domain/model';
import {
  AUDIO_MAX_BYTES,
  displayFileName,
  HOLD_MUSIC_MAX_BYTES_PER_PBX,
  holdMusicBytes,
} from '../domain/rules/audio-rules';
import { safeFileName } from '../freeswitch/generator/audio-path';
import type { Logger } from '../log';
import { type Actor, SYSTEM } from './actor';
import { AUDIO_MODES, makeDir, moveFileAtomically } from './atomic-file';
import { type AudioLimits, type CheckedAudio, checkAndConvert, DEFAULT_AUDIO_LIMITS } from './audio/audio-check';
import { receiveToFile, sweepTempFiles, tempPath } from './audio/receive-file';
import type { ObjectService } from './object-service';
import { loadSnapshot } from './snapshot-loader';

export const GREETING_KINDS = ['unavailable', 'busy', 'name'] as const;
export type GreetingKind = (typeof GREETING_KINDS)[number];

/** What an upload becomes. */
export type AudioTarget =
  | { kind: 'greeting'; mailboxId: number; greeting: GreetingKind }
  | { kind: 'announcement'; attendantId: number }
  | { kind: 'hold-music'; groupId: number };

/** A received upload: the temporary file and the name the uploader's browser gave it (display only). */
export interface IncomingAudio {
  path: string;
  originalName: string;
}

export interface StoredAudio {
  id: number;
  storedName: string;
  originalName: string;
  format: 'wav' | 'mp3';
  sizeBytes: number;
  durationMs: number;
  /** The audio file this one replaced (greeting / announcement), if any; deleted unless still used elsewhere. */
  replacedId: number | null;
}

/** What the upload forms show before a file is chosen. */
export interface AudioUsage {
  maxFileBytes: number;
  holdMusicMaxBytes: number;
  holdMusicUsedBytes: number;
}

export interface AudioUploadsDeps {
  orm: MikroORM;
  objects: ObjectService;
  dataDir: string;
  log?: Logger;
  now?: () => Date;
  limits?: AudioLimits;
}

const PURPOSE: Record<AudioTarget['kind'], AudioPurpose> = {
  greeting: 'greeting',
  announcement: 'announcement',
  'hold-music': 'hold_music',
};

const KIND_OF: Record<AudioTarget['kind'], string> = {
  greeting: 'mailboxes',
  announcement: 'attendants',
  'hold-music': 'hold-music',
};

export class AudioUploads {
  /** Where uploads are streamed first: under DATA_DIR, so storing one is a rename on the same file system. */
  readonly tempDir: string;
  private readonly now: () => Date;
  private readonly limits: AudioLimits;

  constructor(private readonly deps: AudioUploadsDeps) {
    this.tempDir = join(deps.dataDir, 'tmp', 'uploads');
    this.now = deps.now ?? (() => new Date());
    this.limits = deps.limits ?? DEFAULT_AUDIO_LIMITS;
  }

  /** The most bytes one upload may have (the HTTP side stops reading past it). */
  get maxUploadBytes(): number {
    return this.limits.maxBytes;
  }

  /** Streams an upload into a temporary file, stopping at the byte limit (UploadTooLargeError). */
  receive(stream: NodeJS.ReadableStream): ReturnType<typeof receiveToFile> {
    return receiveToFile(stream as never, this.tempDir, this.limits.maxBytes);
  }

  /** Removes temporary uploads older than an hour (a crash mid-upload); run at start-up. */
  sweepTemp(maxAgeMs = 3600_000): Promise<number> {
    return sweepTempFiles(this.tempDir, maxAgeMs);
  }

  /** The limits and what the PBX's hold music already uses, for the forms (shown before upload). */
  async usage(actor: Actor, pbxId: number): Promise<AudioUsage> {
    await this.deps.objects.list(actor, pbxId, 'hold-music'); // tenant and module check
    const snap = await loadSnapshot(this.deps.orm.em.fork(), pbxId);
    return {
      maxFileBytes: AUDIO_MAX_BYTES,
      holdMusicMaxBytes: HOLD_MUSIC_MAX_BYTES_PER_PBX,
      holdMusicUsedBytes: holdMusicBytes(snap),
    };
  }

  /**
   * Checks, converts and stores `file` and makes it the target's audio. The caller still owns (and removes) the
   * temporary file. Throws AudioRejectedError (a ValidationError on field "file"), ValidationError (60 MB of hold
   * music), NotFoundError / ForbiddenError (target not visible to the actor); nothing changes then.
   */
  async store(actor: Actor, pbxId: number, target: AudioTarget, file: IncomingAudio): Promise<StoredAudio> {
    const { objects } = this.deps;
    checkTarget(target);
    // The actor must see the target before any work is done for them (another tenant's answers 404).
    await objects.get(actor, pbxId, KIND_OF[target.kind], targetId(target));
    const pbx = await this.deps.orm.em.fork().findOneOrFail(PbxSchema, { id: pbxId });
    await makeDir(this.tempDir, 0o700);
    const converted = tempPath(this.tempDir, 'checked');
    let checked: CheckedAudio;
    try {
      checked = await checkAndConvert(file.path, converted, this.limits);
    } catch (err) {
      await rm(converted, { force: true });
      throw err;
    }
    const storedName = `${namePrefix(target)}-${randomBytes(10).toString('hex')}.${checked.format}`;
    const stored = join(this.deps.dataDir, 'audio', pbx.context, storedName);
    // The bytes first (a row never names a file Dialtone lacks), then the row, then the link.
    await moveFileAtomically(converted, stored, AUDIO_MODES);
    const originalName = displayFileName(file.originalName);
    let row: Record<string, unknown>;
    try {
      row = await objects.create(
        SYSTEM,
        pbxId,
        'audio',
        {},
        {
          purpose: PURPOSE[target.kind],
          storedName,
          format: checked.format,
          originalName,
          sizeBytes: checked.sizeBytes,
          sha256: checked.sha256,
          durationMs: checked.durationMs,
          uploadedById: actor.kind === 'user' ? actor.userId : null,
          createdAt: this.now(),
        },
      );
    } catch (err) {
      await rm(stored, { force: true });
      throw err;
    }
    const id = row.id as number;
    let replacedId: number | null;
    try {
      replacedId = await this.link(actor, pbxId, target, id);
    } catch (err) {
      await this.release(pbxId, pbx.context, id);
      throw err;
    }
    if (replacedId !== null && replacedId !== id) await this.release(pbxId, pbx.context, replacedId);
    this.deps.log?.('info', 'audio uploaded', { pbx: pbx.context, target: target.kind, id, what: checked.description });
    return {
      id,
      storedName,
      originalName,
      format: checked.format,
      sizeBytes: checked.sizeBytes,
      durationMs: checked.durationMs,
      replacedId,
    };
  }

  /** Back to the default (no greeting of its own / the stock announcement); the file goes unless used elsewhere. */
  async clear(actor: Actor, pbxId: number, target: Exclude<AudioTarget, { kind: 'hold-music' }>): Promise<void> {
    const { objects } = this.deps;
    checkTarget(target);
    let before: number | null = null;
    if (target.kind === 'greeting') {
      const field = `${target.greeting}GreetingId`;
      await objects.updateWith(actor, pbxId, 'mailboxes', target.mailboxId, (cur) => {
        before = typeof cur[field] === 'number' ? (cur[field] as number) : null;
        return { [field]: null };
      });
    } else {
      await objects.updateWith(actor, pbxId, 'attendants', target.attendantId, (cur) => {
        before = announcementAudio(cur);
        return { announcement: { source: 'default' } };
      });
    }
    if (before !== null) await this.release(pbxId, await this.contextOf(pbxId), before);
  }

  /** Takes a track out of a group and deletes it (unless another group uses it): its bytes leave the 60 MB. */
  async removeTrack(actor: Actor, pbxId: number, groupId: number, audioId: number): Promise<void> {
    await this.deps.objects.updateWith(actor, pbxId, 'hold-music', groupId, (cur) => {
      const tracks = cur.trackIds as number[];
      if (!tracks.includes(audioId)) throw new NotFoundError(`track #${audioId} is not in this hold music group`);
      return { trackIds: tracks.filter((t) => t !== audioId) };
    });
    await this.release(pbxId, await this.contextOf(pbxId), audioId);
  }

  /** Deletes a hold-music group and the tracks no other group uses (the object service alone would leave them). */
  async deleteGroup(actor: Actor, pbxId: number, groupId: number): Promise<void> {
    const group = await this.deps.objects.get(actor, pbxId, 'hold-music', groupId);
    await this.deps.objects.delete(actor, pbxId, 'hold-music', groupId);
    const ctx = await this.contextOf(pbxId);
    for (const t of group.trackIds as number[]) await this.release(pbxId, ctx, t);
  }

  /**
   * Deletes an audio row and its file when nothing uses it any more (after its mailbox or attendant was deleted);
   * a file still in use stays. The caller has deleted the owner through the object service (tenant and role checks).
   */
  async forget(pbxId: number, audioId: number): Promise<void> {
    await this.release(pbxId, await this.contextOf(pbxId), audioId);
  }

  /** Where the bytes of a stored file are, for the portal's Play button (after it checked the actor may hear it). */
  storedPath(context: string, storedName: string): string {
    return join(this.deps.dataDir, 'audio', context, safeFileName(storedName));
  }

  /** Points the target at the new file (read and written in one locked transaction); returns what it replaced. */
  private async link(actor: Actor, pbxId: number, target: AudioTarget, audioId: number): Promise<number | null> {
    const { objects } = this.deps;
    let before: number | null = null;
    if (target.kind === 'greeting') {
      const field = `${target.greeting}GreetingId`;
      await objects.updateWith(actor, pbxId, 'mailboxes', target.mailboxId, (cur) => {
        before = typeof cur[field] === 'number' ? (cur[field] as number) : null;
        return { [field]: audioId };
      });
    } else if (target.kind === 'announcement') {
      await objects.updateWith(actor, pbxId, 'attendants', target.attendantId, (cur) => {
        before = announcementAudio(cur);
        return { announcement: { source: 'audio', audioId } };
      });
    } else {
      // Appended to the list as saved at that moment: two uploads into one group at once both stay.
      await objects.updateWith(actor, pbxId, 'hold-music', target.groupId, (cur) => ({
        trackIds: [...(cur.trackIds as number[]), audioId],
      }));
    }
    return before;
  }

  /** Deletes an audio row and its file unless something still uses it (then both stay). */
  private async release(pbxId: number, context: string, audioId: number): Promise<void> {
    const row = (await loadSnapshot(this.deps.orm.em.fork(), pbxId)).audioFiles.find((a) => a.id === audioId);
    if (!row) return;
    try {
      await this.deps.objects.delete(SYSTEM, pbxId, 'audio', audioId);
    } catch (err) {
      if (err instanceof ConflictError || err instanceof NotFoundError) return;
      throw err;
    }
    await rm(this.storedPath(context, row.storedName), { force: true });
  }

  private async contextOf(pbxId: number): Promise<string> {
    return (await this.deps.orm.em.fork().findOneOrFail(PbxSchema, { id: pbxId })).context;
  }
}

/** Targets come from the portal's routes and forms: a greeting kind outside the three is a field error. */
function checkTarget(t: AudioTarget): void {
  if (t.kind === 'greeting' && !(GREETING_KINDS as readonly string[]).includes(t.greeting))
    throw new ValidationError({ greeting: 'must be unavailable, busy or name' });
}

function targetId(t: AudioTarget): number {
  return t.kind === 'greeting' ? t.mailboxId : t.kind === 'announcement' ? t.attendantId : t.groupId;
}

function namePrefix(t: AudioTarget): string {
  return t.kind === 'greeting' ? `greeting-${t.greeting}` : t.kind === 'announcement' ? 'announcement' : 'moh';
}

function announcementAudio(attendant: Record<string, unknown>): number | null {
  const a = attendant.announcement as { source?: string; audioId?: number } | undefined;
  return a?.source === 'audio' && typeof a.audioId === 'number' ? a.audioId : null;
}
