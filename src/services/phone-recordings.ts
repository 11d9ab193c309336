// Greetings recorded by phone (* + mailbox, *323, the portal's Record button) become the PBX's audio: when the call
// record of a recording arrives, the file FreeSWITCH wrote is read, checked, kept under DATA_DIR/audio/<context>/ as
// an AudioFile and set as the mailbox's greeting or the attendant's announcement.
//
// The file keeps FreeSWITCH's name (`phone-<what>.wav`), so the path the generator writes for that AudioFile is the
// very file FreeSWITCH recorded: it plays at once, and a fresh FreeSWITCH host gets it from Dialtone's copy. A call
// record only names what was recorded; the path is rebuilt from the PBX and that name (a record naming another path is
// refused), and the file must be a WAV of at most 10 MB.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { type AudioFile, AudioFileSchema, AutoAttendantSchema, MailboxSchema, type Pbx } from '../domain/model';
import { TRACK_MAX_BYTES } from '../domain/rules/other-rules';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import {
  type PhoneRecordingTarget,
  parsePhoneRecording,
  phoneRecordingName,
  phoneRecordingPath,
} from '../freeswitch/phone-recording';
import type { RecordingSource } from '../freeswitch/recording-source';
import type { Logger } from '../log';
import { SYSTEM } from './actor';
import { writeFileAtomically } from './atomic-file';
import { ingestCallRecord, pbxOfRecord } from './call-records';
import type { ObjectService } from './object-service';

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

/** RIFF/WAVE with room for a header: what FreeSWITCH's `record` writes for a .wav name. */
export function isWav(bytes: Buffer): boolean {
  return bytes.length >= 44 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE';
}

export class PhoneRecordings {
  private readonly now: () => Date;

  constructor(private readonly deps: PhoneRecordingsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Imports the recording a call record announces (any leg; nothing to do for other records). */
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
    const path = phoneRecordingPath(this.deps.freeswitchAudioDir, pbx.context, rec.what);
    if (rec.file !== undefined && rec.file !== path) {
      // The dialplan was generated with another audio directory than FREESWITCH_AUDIO_DIR: say so, read nothing.
      log('warn', 'phone recording: the call names another file than expected', { expected: path, pbx: pbx.context });
      return 'ignored';
    }
    if (!(await this.targetExists(pbx, target))) {
      log('warn', 'phone recording: its mailbox or attendant no longer exists', { what: rec.what, pbx: pbx.context });
      return 'ignored';
    }
    const bytes = await this.deps.source.read(path, PHONE_RECORDING_MAX_BYTES);
    if (!bytes) {
      log('info', 'phone recording: no file (hung up before recording)', { what: rec.what, pbx: pbx.context });
      return 'missing';
    }
    if (!isWav(bytes)) {
      log('warn', 'phone recording: not a WAV file, not imported', { what: rec.what, pbx: pbx.context });
      return 'ignored';
    }
    const outcome = await this.store(pbx, target, rec.what, bytes);
    log('info', 'phone recording imported', { what: rec.what, pbx: pbx.context, bytes: bytes.length, outcome });
    return outcome;
  }

  private async targetExists(pbx: Pbx, t: PhoneRecordingTarget): Promise<boolean> {
    const em = this.deps.orm.em.fork();
    return t.kind === 'mailbox'
      ? (await em.count(MailboxSchema, { id: t.mailboxId, pbxId: pbx.id })) > 0
      : (await em.count(AutoAttendantSchema, { id: t.attendantId, pbxId: pbx.id })) > 0;
  }

  private async store(pbx: Pbx, t: PhoneRecordingTarget, what: string, bytes: Buffer): Promise<ImportOutcome> {
    const storedName = phoneRecordingName(what);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const em = this.deps.orm.em.fork();
    const existing = await em.findOne(AudioFileSchema, { pbxId: pbx.id, storedName });
    const sameBytes = existing?.sha256 === sha256;
    if (!sameBytes) {
      // The bytes first: a row never points at a file Dialtone does not hold.
      await writeFileAtomically(join(this.deps.dataDir, 'audio', pbx.context, storedName), bytes);
      const fields = {
        purpose: t.kind === 'mailbox' ? ('greeting' as const) : ('announcement' as const),
        originalName: t.kind === 'mailbox' ? `${t.greeting} greeting recorded by phone` : 'recorded by phone',
        format: 'wav' as const,
        sizeBytes: bytes.length,
        sha256,
        createdAt: this.now(),
      };
      if (existing) em.assign(existing, fields);
      else em.create(AudioFileSchema, { pbxId: pbx.id, storedName, ...fields });
      await em.flush();
    }
    const audio = (existing ?? (await em.findOneOrFail(AudioFileSchema, { pbxId: pbx.id, storedName }))) as AudioFile;
    const assigned = await this.assign(pbx, t, audio.id);
    return sameBytes && !assigned ? 'unchanged' : 'imported';
  }

  /** Points the mailbox greeting or the attendant announcement at the file; false when it already did. */
  private async assign(pbx: Pbx, t: PhoneRecordingTarget, audioId: number): Promise<boolean> {
    const { objects } = this.deps;
    if (t.kind === 'mailbox') {
      const field = `${t.greeting}GreetingId`;
      const mailbox = await objects.get(SYSTEM, pbx.id, 'mailboxes', t.mailboxId);
      if (mailbox[field] === audioId) return false;
      await objects.update(SYSTEM, pbx.id, 'mailboxes', t.mailboxId, { [field]: audioId });
      return true;
    }
    const attendant = await objects.get(SYSTEM, pbx.id, 'attendants', t.attendantId);
    const ann = attendant.announcement as { source?: string; audioId?: number } | undefined;
    if (ann?.source === 'audio' && ann.audioId === audioId) return false;
    await objects.update(SYSTEM, pbx.id, 'attendants', t.attendantId, { announcement: { source: 'audio', audioId } });
    return true;
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
