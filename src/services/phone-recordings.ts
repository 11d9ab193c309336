// Greetings recorded by phone (* + mailbox, *323, the portal's Record button) become the PBX's audio: when the call
// record of a recording arrives, the file FreeSWITCH wrote is read, checked, kept under DATA_DIR/audio/<context>/ as
// an AudioFile and set as the mailbox's greeting or the attendant's announcement.
//
// The file keeps FreeSWITCH's name (`phone-<what>-<call uuid>.wav`, one per call), so the path the generator writes
// for that AudioFile is the very file FreeSWITCH recorded: it plays at once, and a fresh FreeSWITCH host gets it from
// Dialtone's copy. A call record only names what was recorded; the path is rebuilt from the PBX, that name and the
// record's uuid (a record naming another path is refused), and the file must be a WAV with sound, at most 10 MB.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '../domain/errors';
import { AudioFileSchema, AutoAttendantSchema, MailboxSchema, type Pbx } from '../domain/model';
import { TRACK_MAX_BYTES } from '../domain/rules/other-rules';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import {
  isPhoneRecordingName,
  type PhoneRecordingTarget,
  parsePhoneRecording,
  phoneRecordingName,
  phoneRecordingPath,
} from '../freeswitch/phone-recording';
import { NotARecordingError, type RecordingSource, RecordingTooLargeError } from '../freeswitch/recording-source';
import type { Logger } from '../log';
import { SYSTEM } from './actor';
import { writeAudioFile } from './atomic-file';
import { ingestCallRecord, pbxOfRecord } from './call-records';
import type { ObjectService } from './object-service';
import { sha256Hex } from './secrets';

/** Same bound as an uploaded greeting (3 minutes of 8 kHz 16-bit mono is ~2.9 MB). */
export const PHONE_RECORDING_MAX_BYTES = TRACK_MAX_BYTES;

export type ImportOutcome = 'imported' | 'unchanged' | 'ignored' | 'missing';

export interface PhoneRecordingsDeps {
  orm: MikroORM;
  objects: ObjectService;
  source: RecordingSource;
  /** FreeSWITCH's audio directory (what the generator was given): where the recording was written. */
  freeswitchAudioDir: string;
  /** Dialtone's copy: DATA_DIR/audio/<context>/<stored name>. */
  dataDir: string;
  log: Logger;
  now?: () => Date;
}

/** A tenth of a second of 8 kHz 16-bit sound (what `record_sample_rate=8000` records): less is a hang-up at the beep. */
const MIN_SOUND_BYTES = 1600;

/** RIFF/WAVE, as FreeSWITCH's `record` writes for a .wav name, with some sound after the 44-byte header. */
export function isWav(bytes: Buffer): boolean {
  return (
    bytes.length >= 44 + MIN_SOUND_BYTES &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WAVE'
  );
}

/** How long a recording plays, from its header's byte rate (FreeSWITCH writes a plain 44-byte header). */
export function wavDurationMs(bytes: Buffer): number | null {
  const byteRate = bytes.length >= 44 ? bytes.readUInt32LE(28) : 0;
  return byteRate > 0 ? Math.max(1, Math.round(((bytes.length - 44) * 1000) / byteRate)) : null;
}

export class PhoneRecordings {
  private readonly now: () => Date;

  constructor(private readonly deps: PhoneRecordingsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Imports the recording a call record announces (any leg; nothing to do for other records). A recording that can
   * never be imported (too large, not a WAV, its mailbox gone) is logged and ignored; only a failed read throws (the
   * FreeSWITCH host unreachable), so the post is answered 500 and FreeSWITCH posts it again later.
   */
  async importFrom(record: CallRecordInput): Promise<ImportOutcome> {
    const rec = record.phoneRecording;
    if (!rec) return 'ignored';
    const { log } = this.deps;
    const target = parsePhoneRecording(rec.what);
    const em = this.deps.orm.em.fork();
    const pbx = target ? await pbxOfRecord(em, record) : null;
    if (!target || !pbx) {
      log('warn', 'phone recording: not for a mailbox or attendant of a PBX here', { what: rec.what.slice(0, 80) });
      return 'ignored';
    }
    // One file per call, named by the recording channel's uuid (the record's uuid, checked by the CDR parser).
    const path = phoneRecordingPath(this.deps.freeswitchAudioDir, pbx.context, rec.what, record.uuid);
    if (rec.file !== path) {
      // Missing, or the dialplan was generated with another audio directory than FREESWITCH_AUDIO_DIR, or for
      // another PBX than the call record names: say so, read nothing.
      log('warn', 'phone recording: the call names another file than expected', { expected: path, pbx: pbx.context });
      return 'ignored';
    }
    if (!(await this.targetExists(pbx, target))) {
      log('warn', 'phone recording: its mailbox or attendant no longer exists', { what: rec.what, pbx: pbx.context });
      return 'ignored';
    }
    const name = phoneRecordingName(rec.what, record.uuid);
    if (await em.count(AudioFileSchema, { pbxId: pbx.id, storedName: name })) return 'unchanged'; // a repeated post
    let bytes: Buffer | null;
    try {
      bytes = await this.deps.source.read(path, PHONE_RECORDING_MAX_BYTES);
    } catch (err) {
      if (!(err instanceof RecordingTooLargeError) && !(err instanceof NotARecordingError)) throw err;
      log('warn', 'phone recording: not imported', { what: rec.what, pbx: pbx.context, err });
      return 'ignored';
    }
    if (!bytes) {
      log('info', 'phone recording: no file (hung up before recording)', { what: rec.what, pbx: pbx.context });
      return 'missing';
    }
    if (!isWav(bytes)) {
      log('warn', 'phone recording: not a WAV with sound in it, not imported', { what: rec.what, pbx: pbx.context });
      return 'ignored';
    }
    try {
      await this.store(pbx, target, name, bytes);
    } catch (err) {
      // The mailbox or attendant went away meanwhile, or a concurrent post stored it first: nothing to retry.
      if (!(err instanceof DomainError) && !(err instanceof UniqueConstraintViolationException)) throw err;
      log('warn', 'phone recording: not stored', { what: rec.what, pbx: pbx.context, err });
      return 'ignored';
    }
    log('info', 'phone recording imported', { what: rec.what, pbx: pbx.context, bytes: bytes.length });
    return 'imported';
  }

  private async targetExists(pbx: Pbx, t: PhoneRecordingTarget): Promise<boolean> {
    const em = this.deps.orm.em.fork();
    return t.kind === 'mailbox'
      ? (await em.count(MailboxSchema, { id: t.mailboxId, pbxId: pbx.id })) > 0
      : (await em.count(AutoAttendantSchema, { id: t.attendantId, pbxId: pbx.id })) > 0;
  }

  /** Dialtone's copy first (a row never names bytes Dialtone lacks), then the row, then the greeting points at it. */
  private async store(pbx: Pbx, t: PhoneRecordingTarget, name: string, bytes: Buffer): Promise<void> {
    const copy = join(this.deps.dataDir, 'audio', pbx.context, name);
    await writeAudioFile(copy, bytes);
    const em = this.deps.orm.em.fork();
    const audio = em.create(AudioFileSchema, {
      pbxId: pbx.id,
      storedName: name,
      purpose: t.kind === 'mailbox' ? 'greeting' : 'announcement',
      originalName: t.kind === 'mailbox' ? `${t.greeting} greeting recorded by phone` : 'recorded by phone',
      format: 'wav',
      sizeBytes: bytes.length,
      sha256: sha256Hex(bytes),
      durationMs: wavDurationMs(bytes),
      uploadedById: null,
      createdAt: this.now(),
    });
    await em.flush();
    let replaced: number | null;
    try {
      replaced = await this.assign(pbx, t, audio.id);
    } catch (err) {
      // Undone, so FreeSWITCH's next post of this call (after a 500) imports it again instead of finding it stored;
      // through the unit of work, so the PBX revision moves and no cached target list keeps the row.
      await em.remove(audio).flush();
      await rm(copy, { force: true });
      throw err;
    }
    if (replaced !== null && replaced !== audio.id) await this.forgetReplaced(pbx, replaced);
  }

  /**
   * The recording by phone a new one replaced is removed with its copy, unless something else still uses it:
   * otherwise every re-recorded greeting would stay in the PBX's audio list and in every export. Uploads are kept.
   * (The file FreeSWITCH recorded stays on its host: nothing names it any more.)
   */
  private async forgetReplaced(pbx: Pbx, audioId: number): Promise<void> {
    const old = await this.deps.orm.em.fork().findOne(AudioFileSchema, { id: audioId, pbxId: pbx.id });
    if (!old || !isPhoneRecordingName(old.storedName)) return;
    try {
      await this.deps.objects.delete(SYSTEM, pbx.id, 'audio', audioId);
    } catch (err) {
      if (err instanceof DomainError) return; // still used by another mailbox, attendant or group: kept
      throw err;
    }
    await rm(join(this.deps.dataDir, 'audio', pbx.context, old.storedName), { force: true });
  }

  /**
   * Points the mailbox greeting or the attendant announcement at the file (through the object service's rules).
   * Returns the audio file it pointed at before, if any.
   */
  private async assign(pbx: Pbx, t: PhoneRecordingTarget, audioId: number): Promise<number | null> {
    const { objects } = this.deps;
    if (t.kind === 'mailbox') {
      const field = `${t.greeting}GreetingId`;
      const before = (await objects.get(SYSTEM, pbx.id, 'mailboxes', t.mailboxId))[field];
      await objects.update(SYSTEM, pbx.id, 'mailboxes', t.mailboxId, { [field]: audioId });
      return typeof before === 'number' ? before : null;
    }
    const ann = (await objects.get(SYSTEM, pbx.id, 'attendants', t.attendantId)).announcement as
      | { source?: string; audioId?: number }
      | undefined;
    await objects.update(SYSTEM, pbx.id, 'attendants', t.attendantId, { announcement: { source: 'audio', audioId } });
    return ann?.source === 'audio' && typeof ann.audioId === 'number' ? ann.audioId : null;
  }
}

/**
 * FreeSWITCH's call-record intake: the call is stored (once), then the recording it announces is imported. A read
 * that fails (the FreeSWITCH host unreachable) throws, so the post is answered 500 and FreeSWITCH posts it again.
 */
export function callRecordIntake(
  orm: MikroORM,
  recordings: PhoneRecordings,
): (record: CallRecordInput) => Promise<boolean> {
  return async (record) => {
    const stored = await ingestCallRecord(orm, record);
    if (record.phoneRecording) await recordings.importFrom(record);
    return stored;
  };
}
