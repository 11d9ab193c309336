// What the voicemail service hands out: mailboxes with counts, message views in the PBX's time, and the path rule
// that keeps a message file inside its own mailbox folder.
import type { Readable } from 'node:stream';
import type { Mailbox as FsMailbox } from '../freeswitch/event-socket';
import { localTime } from './pbx-time';

export const VOICEMAIL_FOLDERS = ['new', 'saved'] as const;
export type VoicemailFolder = (typeof VOICEMAIL_FOLDERS)[number];

export interface VoicemailBox {
  readonly id: number;
  readonly number: string;
  readonly name: string;
  readonly newCount: number;
  readonly savedCount: number;
}

export interface VoicemailMessageView {
  /** FreeSWITCH's message uuid. */
  readonly id: string;
  readonly mailboxId: number;
  readonly folder: VoicemailFolder;
  /** As FreeSWITCH stored it (may be '' or hostile text: escape when rendering). */
  readonly callerName: string;
  readonly callerNumber: string;
  readonly receivedAt: Date;
  /** Date and time in the PBX's time zone. */
  readonly receivedLocal: { readonly date: string; readonly time: string; readonly weekday: string };
  readonly heardAt: Date | null;
  readonly durationSeconds: number;
  /** What to dial to call the caller back, or null when the number is not dialable (anonymous, letters). */
  readonly callBack: string | null;
}

/** A message's WAV, ready to stream; call `close()` when not streaming it (a stream closes it when it ends). */
export interface VoicemailAudio {
  readonly size: number;
  readonly contentType: 'audio/wav';
  /** A download name without path characters, e.g. `voicemail-101-2026-12-05-1126.wav`. */
  readonly fileName: string;
  stream(start?: number, end?: number): Readable;
  close(): Promise<void>;
}

/** A message as cached from vm_list (caller fields already resolved). */
export interface StoredMessage {
  readonly uuid: string;
  readonly createdEpoch: number;
  readonly readEpoch: number;
  readonly callerName: string;
  readonly callerNumber: string;
  readonly durationSeconds: number;
  readonly filePath: string;
}

const DIALABLE = /^\+?[0-9*#]{2,20}$/;

export const folderOf = (m: StoredMessage): VoicemailFolder => (m.readEpoch === 0 ? 'new' : 'saved');

export function view(mailboxId: number, m: StoredMessage, timeZone: string): VoicemailMessageView {
  const number = m.callerNumber.trim();
  return {
    id: m.uuid,
    mailboxId,
    folder: folderOf(m),
    callerName: m.callerName,
    callerNumber: m.callerNumber,
    receivedAt: new Date(m.createdEpoch * 1000),
    receivedLocal: localTime(m.createdEpoch * 1000, timeZone),
    heardAt: m.readEpoch === 0 ? null : new Date(m.readEpoch * 1000),
    durationSeconds: m.durationSeconds,
    callBack: DIALABLE.test(number) ? number : null,
  };
}

/**
 * A message file must sit in its own mailbox's folder of mod_voicemail's storage
 * (`…/voicemail/<profile>/<domain>/<box>/msg_….wav`): a path FreeSWITCH reports elsewhere is never opened.
 */
export function isMessagePath(path: string, box: FsMailbox): boolean {
  if (path.split('/').some((p) => p === '..' || p === '.')) return false;
  const dir = `/voicemail/[A-Za-z0-9_.-]+/${box.domain.replace(/[.]/g, '\\.')}/${box.user.replace(/[.]/g, '\\.')}/`;
  return new RegExp(`^(?:/[A-Za-z0-9_.-]+)*${dir}msg_[A-Za-z0-9_.-]+\\.wav$`, 'i').test(path);
}
