// Voicemail for the portal, the API and the phone apps: FreeSWITCH's own messages (mod_voicemail over the event
// socket, the WAVs read locally or over SFTP), so the portal, the phone and *98 always show the same thing.
//
// Folders are mod_voicemail's: "new" is unheard (read_epoch 0), "saved" is heard — marking saved is `vm_read … read`
// (vm_fsdb_msg_save changes neither the counts nor the lamp), deleting is `vm_delete` (row, file and MWI at once).
// Both make FreeSWITCH send the MWI NOTIFY itself (captured, see test/fixtures/freeswitch/README.md).
import { NotFoundError, UnavailableError, ValidationError } from '../domain/errors';
import type { Mailbox } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { AudioFileSource } from '../freeswitch/audio-file-source';
import {
  type ApiRunner,
  EslError,
  type Mailbox as FsMailbox,
  hashInsert,
  voicemailDelete,
  voicemailList,
  voicemailMarkRead,
  voicemailMessage,
} from '../freeswitch/event-socket';
import { pbxContext, pbxDomain, voicemailId } from '../freeswitch/generator/dialplan/identity';
import { voicemailPlayCode, voicemailPlayHashEntry } from '../freeswitch/generator/dialplan/voicemail-play';
import { NotARecordingError, RecordingTooLargeError } from '../freeswitch/recording-source';
import type { Logger } from '../log';
import { localTime } from './pbx-time';
import {
  checkTenant,
  mayUseExtension,
  ownMailboxes,
  type VoicemailViewer,
  visibleMailbox,
  visibleMailboxes,
} from './voicemail-access';
import { ListCache } from './voicemail-cache';
import {
  folderOf,
  isMessagePath,
  type StoredMessage,
  type VoicemailAudio,
  type VoicemailBox,
  type VoicemailFolder,
  type VoicemailMessageView,
  view,
} from './voicemail-view';

export type { DeviceViewer, VoicemailViewer } from './voicemail-access';
export {
  isMessagePath,
  VOICEMAIL_FOLDERS,
  type VoicemailAudio,
  type VoicemailBox,
  type VoicemailFolder,
  type VoicemailMessageView,
} from './voicemail-view';

/** The snapshots the service reads: LiveSnapshots in the server (one copy per PBX revision). */
export interface SnapshotSource {
  byId(pbxId: number): Promise<{ snap: PbxSnapshot } | null>;
}

export interface VoicemailServiceDeps {
  snapshots: SnapshotSource;
  freeswitch: ApiRunner;
  audio: AudioFileSource;
  /** How old a cached message list may be when no MESSAGE_WAITING event said it changed (default 2 s). */
  listTtlMs?: number;
  log?: Logger;
  now?: () => number;
}

/** Longest message file served: mod_voicemail records at most 300 s (ours), ~29 MB even at 48 kHz. */
export const VOICEMAIL_AUDIO_MAX_BYTES = 64 * 1024 * 1024;

interface Contents {
  /** Newest first. */
  readonly messages: StoredMessage[];
  readonly byUuid: Map<string, StoredMessage>;
  readonly newCount: number;
  readonly savedCount: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class VoicemailService {
  private readonly cache: ListCache<Contents>;
  private readonly log: Logger;
  private changeCount = 0;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private unwarned = 0;

  constructor(private readonly deps: VoicemailServiceDeps) {
    this.log = deps.log ?? (() => {});
    this.cache = new ListCache((key) => this.fetch(key), { ttlMs: deps.listTtlMs, now: deps.now });
  }

  /** Goes up whenever a mailbox is known to have changed (MWI event, save, delete): summaries kept elsewhere re-ask. */
  get changes(): number {
    return this.changeCount;
  }

  /** The mailboxes the viewer may open, with their new and saved counts. */
  async mailboxes(viewer: VoicemailViewer, pbxId: number): Promise<VoicemailBox[]> {
    const snap = await this.snapshot(viewer, pbxId);
    return this.counted(snap, visibleMailboxes(viewer, snap));
  }

  /**
   * The mailboxes the viewer may open, without their counts: no FreeSWITCH query at all (an administrator's chooser
   * on a 10,000-mailbox PBX must not ask about every mailbox; countsOf counts the ones a page shows).
   */
  async mailboxList(
    viewer: VoicemailViewer,
    pbxId: number,
  ): Promise<Array<{ id: number; number: string; name: string }>> {
    const snap = await this.snapshot(viewer, pbxId);
    return visibleMailboxes(viewer, snap).map((m) => ({ id: m.id, number: m.number, name: m.name }));
  }

  /** The given mailboxes with their counts, in the order given; ids the viewer may not open are left out. */
  async countsOf(viewer: VoicemailViewer, pbxId: number, ids: readonly number[]): Promise<VoicemailBox[]> {
    const snap = await this.snapshot(viewer, pbxId);
    const visible = new Map(visibleMailboxes(viewer, snap).map((m) => [m.id, m]));
    return this.counted(
      snap,
      ids.map((id) => visible.get(id)).filter((m): m is Mailbox => m !== undefined),
    );
  }

  /**
   * Mailboxes at a glance (Home): every mailbox the viewer may open while there are at most `max`, else only the
   * viewer's own — each mailbox counted is a FreeSWITCH query.
   */
  async glance(viewer: VoicemailViewer, pbxId: number, max = 50): Promise<VoicemailBox[]> {
    const snap = await this.snapshot(viewer, pbxId);
    const all = visibleMailboxes(viewer, snap);
    return this.counted(snap, all.length <= max ? all : ownMailboxes(viewer, snap));
  }

  /** New (unheard) messages in the viewer's own mailboxes (see ownMailboxes): the menu badge. */
  async unreadCount(viewer: VoicemailViewer, pbxId: number): Promise<number> {
    checkTenant(viewer, pbxId);
    // No line of their own: nothing to count, and no need to read the PBX.
    if (viewer.kind === 'system' || (viewer.kind === 'user' && viewer.extensionId === null)) return 0;
    const snap = await this.snapshot(viewer, pbxId);
    return (await this.counted(snap, ownMailboxes(viewer, snap))).reduce((n, b) => n + b.newCount, 0);
  }

  private counted(snap: PbxSnapshot, boxes: Mailbox[]): Promise<VoicemailBox[]> {
    return Promise.all(
      boxes.map(async (m) => {
        const c = await this.contents(snap, m);
        return { id: m.id, number: m.number, name: m.name, newCount: c.newCount, savedCount: c.savedCount };
      }),
    );
  }

  /** Messages of one mailbox, newest first; one folder or both. */
  async messages(
    viewer: VoicemailViewer,
    pbxId: number,
    mailboxId: number,
    folder?: VoicemailFolder,
  ): Promise<VoicemailMessageView[]> {
    const snap = await this.snapshot(viewer, pbxId);
    const box = visibleMailbox(viewer, snap, mailboxId);
    const c = await this.contents(snap, box);
    const wanted = folder === undefined ? c.messages : c.messages.filter((m) => folderOf(m) === folder);
    return wanted.map((m) => view(box.id, m, snap.pbx.timezone));
  }

  /** One page of a folder without building views of the rest (phones page through big mailboxes). */
  async page(
    viewer: VoicemailViewer,
    pbxId: number,
    mailboxId: number,
    folder: VoicemailFolder,
    offset: number,
    limit: number,
  ): Promise<{ total: number; messages: VoicemailMessageView[] }> {
    const snap = await this.snapshot(viewer, pbxId);
    const box = visibleMailbox(viewer, snap, mailboxId);
    const c = await this.contents(snap, box);
    const all = c.messages.filter((m) => folderOf(m) === folder);
    const slice = all.slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit));
    return { total: all.length, messages: slice.map((m) => view(box.id, m, snap.pbx.timezone)) };
  }

  async message(
    viewer: VoicemailViewer,
    pbxId: number,
    mailboxId: number,
    messageId: string,
  ): Promise<VoicemailMessageView> {
    const { snap, box, stored } = await this.find(viewer, pbxId, mailboxId, messageId);
    return view(box.id, stored, snap.pbx.timezone);
  }

  /** Marks the message heard ("saved"); FreeSWITCH updates the lamp. */
  async markSaved(viewer: VoicemailViewer, pbxId: number, mailboxId: number, messageId: string): Promise<void> {
    await this.markRead(viewer, pbxId, mailboxId, messageId, true);
  }

  /** Marks the message unheard ("new") again. */
  async markNew(viewer: VoicemailViewer, pbxId: number, mailboxId: number, messageId: string): Promise<void> {
    await this.markRead(viewer, pbxId, mailboxId, messageId, false);
  }

  /** Deletes the message (row and WAV); FreeSWITCH updates the lamp. */
  async delete(viewer: VoicemailViewer, pbxId: number, mailboxId: number, messageId: string): Promise<void> {
    const { snap, box, stored } = await this.find(viewer, pbxId, mailboxId, messageId);
    const fsBox = freeswitchBox(snap, box);
    await this.freeswitch(() => voicemailDelete(this.deps.freeswitch, fsBox, stored.uuid));
    this.changed(keyOf(fsBox));
  }

  /**
   * Deletes the mailbox's messages (new and saved) received more than `days` days before `now` — the retention job
   * (the manual's "Delete Voicemail", 1-180 days). Reads the list fresh from FreeSWITCH; returns how many it deleted.
   */
  async purgeOlderThan(
    viewer: VoicemailViewer,
    pbxId: number,
    mailboxId: number,
    days: number,
    now: number = this.deps.now?.() ?? Date.now(),
  ): Promise<number> {
    const snap = await this.snapshot(viewer, pbxId);
    const box = visibleMailbox(viewer, snap, mailboxId);
    const fsBox = freeswitchBox(snap, box);
    this.cache.invalidate(keyOf(fsBox));
    const cutoff = Math.floor(now / 1000) - Math.max(1, Math.floor(days)) * 86_400;
    const old = (await this.contents(snap, box)).messages.filter((m) => m.createdEpoch < cutoff);
    for (const m of old) await this.freeswitch(() => voicemailDelete(this.deps.freeswitch, fsBox, m.uuid));
    if (old.length) this.changed(keyOf(fsBox));
    return old.length;
  }

  /** The message's WAV (for the portal's player and download; see http-range.ts for ranges). */
  async openAudio(
    viewer: VoicemailViewer,
    pbxId: number,
    mailboxId: number,
    messageId: string,
  ): Promise<VoicemailAudio> {
    const { snap, box, stored } = await this.find(viewer, pbxId, mailboxId, messageId);
    const fsBox = freeswitchBox(snap, box);
    if (!isMessagePath(stored.filePath, fsBox)) {
      this.log('warn', 'voicemail: message path outside its mailbox refused', { path: stored.filePath.slice(0, 200) });
      throw new NotFoundError('no such message');
    }
    let file: Awaited<ReturnType<AudioFileSource['open']>>;
    try {
      file = await this.deps.audio.open(stored.filePath, VOICEMAIL_AUDIO_MAX_BYTES);
    } catch (err) {
      if (err instanceof NotARecordingError || err instanceof RecordingTooLargeError) {
        this.log('warn', 'voicemail: message file refused', { err });
        throw new NotFoundError('no such message');
      }
      throw new UnavailableError(`voicemail audio is unavailable: ${(err as Error).message}`);
    }
    if (!file) throw new NotFoundError('no such message');
    const opened = file;
    const local = localTime(stored.createdEpoch * 1000, snap.pbx.timezone);
    return {
      size: opened.size,
      contentType: 'audio/wav',
      fileName: `voicemail-${box.number}-${local.date}-${local.time.replace(':', '')}.wav`.replace(
        /[^A-Za-z0-9._-]/g,
        '',
      ),
      stream(start, end) {
        const s = opened.stream(start, end);
        s.once('close', () => void opened.close());
        return s;
      },
      close: () => opened.close(),
    };
  }

  /** The number a phone of this PBX dials to hear the message chosen with preparePlay, or null (no such code). */
  async playCode(viewer: VoicemailViewer, pbxId: number): Promise<string | null> {
    return voicemailPlayCode((await this.snapshot(viewer, pbxId)).pbx.featureCodes);
  }

  /**
   * Chooses the message the play code plays when `extensionId`'s phone dials it (the generated dialplan reads it
   * back under the caller's own extension). Returns the code to dial.
   */
  async preparePlay(
    viewer: VoicemailViewer,
    pbxId: number,
    mailboxId: number,
    messageId: string,
    extensionId: number,
  ): Promise<string> {
    const { snap, box, stored } = await this.find(viewer, pbxId, mailboxId, messageId);
    const code = voicemailPlayCode(snap.pbx.featureCodes);
    if (!code)
      throw new ValidationError({ checkVoicemail: 'the PBX has no check-voicemail code to play messages with' });
    const ext = snap.extensions.find((e) => e.id === extensionId);
    if (!ext || !mayUseExtension(viewer, snap, extensionId)) throw new NotFoundError('no such extension');
    const number = ext.number.replace(/\D/g, '');
    const entry = voicemailPlayHashEntry(pbxContext(snap), number, freeswitchBox(snap, box).user, stored.uuid);
    await this.freeswitch(() => hashInsert(this.deps.freeswitch, entry.realm, entry.key, entry.value));
    return code;
  }

  /**
   * FreeSWITCH said a mailbox changed (MESSAGE_WAITING's `MWI-Message-Account`, `user@domain`): its cached list is
   * dropped. Accounts that are not ours are ignored.
   */
  messageWaiting(account: string): void {
    const [user, domain] = account.replace(/^sip:/i, '').split('@');
    if (user && domain) this.changed(`${user}@${domain.toLowerCase()}`);
  }

  private changed(key: string): void {
    this.cache.invalidate(key);
    this.changeCount++;
  }

  // --- internals ---

  private async snapshot(viewer: VoicemailViewer, pbxId: number): Promise<PbxSnapshot> {
    checkTenant(viewer, pbxId);
    const entry = await this.deps.snapshots.byId(pbxId);
    if (!entry) throw new NotFoundError('no such PBX');
    return entry.snap;
  }

  private async find(viewer: VoicemailViewer, pbxId: number, mailboxId: number, messageId: string) {
    if (typeof messageId !== 'string' || !UUID.test(messageId)) throw new NotFoundError('no such message');
    const snap = await this.snapshot(viewer, pbxId);
    const box = visibleMailbox(viewer, snap, mailboxId);
    const stored = (await this.contents(snap, box)).byUuid.get(messageId.toLowerCase());
    if (!stored) throw new NotFoundError('no such message');
    return { snap, box, stored };
  }

  private async markRead(viewer: VoicemailViewer, pbxId: number, mailboxId: number, id: string, read: boolean) {
    const { snap, box, stored } = await this.find(viewer, pbxId, mailboxId, id);
    const fsBox = freeswitchBox(snap, box);
    await this.freeswitch(() => voicemailMarkRead(this.deps.freeswitch, fsBox, stored.uuid, read));
    this.changed(keyOf(fsBox));
  }

  private contents(snap: PbxSnapshot, box: Mailbox): Promise<Contents> {
    return this.freeswitch(() => this.cache.get(keyOf(freeswitchBox(snap, box))));
  }

  private async fetch(key: string): Promise<Contents> {
    const [user, domain] = key.split('@') as [string, string];
    const fsBox = { user, domain, profile: 'default' };
    const list = await voicemailList(this.deps.freeswitch, { user, domain });
    const ambiguous = new Set(list.ambiguous);
    const messages: StoredMessage[] = [];
    for (const e of list.entries) {
      let callerName = e.callerName ?? '';
      let callerNumber = e.callerNumber ?? '';
      if (ambiguous.has(e.uuid)) {
        // A colon in the caller's name or number: the JSON form says which is which.
        const exact = await voicemailMessage(this.deps.freeswitch, fsBox, e.uuid);
        if (!exact) continue; // deleted meanwhile
        callerName = exact.callerName;
        callerNumber = exact.callerNumber;
      }
      messages.push({
        uuid: e.uuid,
        createdEpoch: e.createdEpoch,
        readEpoch: e.readEpoch,
        callerName,
        callerNumber,
        durationSeconds: e.durationSeconds,
        filePath: e.filePath,
      });
    }
    messages.sort((a, b) => b.createdEpoch - a.createdEpoch || a.uuid.localeCompare(b.uuid));
    const newCount = messages.filter((m) => m.readEpoch === 0).length;
    return {
      messages,
      byUuid: new Map(messages.map((m) => [m.uuid, m])),
      newCount,
      savedCount: messages.length - newCount,
    };
  }

  /** FreeSWITCH not answering (or refusing) is "unavailable", never a 500 with a stack. */
  private async freeswitch<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof EslError) {
        // Once per outage minute, not once per query: a page can ask about many mailboxes.
        const now = (this.deps.now ?? Date.now)();
        if (now - this.lastWarnAt >= 60_000) {
          this.log('warn', 'voicemail: FreeSWITCH did not answer', { err, unansweredSinceLastWarning: this.unwarned });
          this.lastWarnAt = now;
          this.unwarned = 0;
        } else this.unwarned++;
        throw new UnavailableError('voicemail is unavailable: FreeSWITCH did not answer');
      }
      throw err;
    }
  }
}

function freeswitchBox(snap: PbxSnapshot, box: Mailbox): FsMailbox {
  return { user: voicemailId(snap, box), domain: pbxDomain(snap) };
}

const keyOf = (box: FsMailbox): string => `${box.user}@${box.domain.toLowerCase()}`;
