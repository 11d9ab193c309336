// vm_list (a whole mailbox in one reply) and vm_delete (row, file and MWI at once), parsed from their real text.
//
// vm_list's `xml` form is not escaped (a caller name `<x>&` makes it invalid XML, see the fixture README), so the
// plain form is read: `created:read:user:domain:folder:path:uuid:cid_name:cid_number:seconds`, one line per message.
// The first seven fields never hold a colon; the caller name and number may, and then the line alone cannot say
// where one ends: such messages are reported as `ambiguous` and read again with vm_fsdb_msg_get (JSON).

import { type ApiRunner, expectOk, isErrorReply } from './api-reply';
import { domainName, profileName, userAtDomain, userId, uuid } from './arguments';
import { EslApiError } from './errors';
import type { Mailbox } from './voicemail-commands';

export interface VoicemailListEntry {
  readonly uuid: string;
  /** Epoch seconds. */
  readonly createdEpoch: number;
  /** Epoch seconds, 0 while unheard (mod_voicemail's "new"; read means "saved"). */
  readonly readEpoch: number;
  readonly user: string;
  readonly domain: string;
  /** mod_voicemail's folder, always `inbox` for messages left by callers. */
  readonly folder: string;
  /** Where the WAV is on the FreeSWITCH host. Its name does not always carry the message uuid (a deposit's does not). */
  readonly filePath: string;
  /** null when the line could not be split (see `ambiguous`). */
  readonly callerName: string | null;
  readonly callerNumber: string | null;
  readonly durationSeconds: number;
}

export interface VoicemailList {
  readonly entries: VoicemailListEntry[];
  /** uuids of entries whose caller name and number could not be told apart (a colon in one of them). */
  readonly ambiguous: string[];
}

/** `vm_list <user>@<domain>[/profile]`. */
export function voicemailListCommand(mailbox: Mailbox): string {
  const profile = mailbox.profile === undefined ? '' : `/${profileName(mailbox.profile)}`;
  return `vm_list ${userAtDomain(mailbox.user, mailbox.domain)}${profile}`;
}

// Line-anchored start of a record, up to and including the uuid.
const RECORD =
  /^(\d+):(\d+):([^:\n]*):([^:\n]*):([^:\n]*):([^:\n]*):([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}):/gm;

/**
 * The messages of `vm_list`, in FreeSWITCH's order. An empty or unknown mailbox answers `-ERR no reply`: an empty
 * list. Records naming another mailbox than `mailbox` are dropped (vm_list never returns them; belt and braces).
 */
export function parseVoicemailList(body: string, mailbox?: Mailbox): VoicemailList {
  if (/^-ERR no reply\s*$/.test(body)) return { entries: [], ambiguous: [] };
  if (isErrorReply(body)) throw new EslApiError('vm_list', body);
  const starts = [...body.matchAll(RECORD)];
  const entries: VoicemailListEntry[] = [];
  const ambiguous: string[] = [];
  starts.forEach((m, i) => {
    const tailStart = (m.index ?? 0) + m[0].length;
    const tailEnd = i + 1 < starts.length ? (starts[i + 1]!.index ?? body.length) : body.length;
    const tail = body.slice(tailStart, tailEnd).replace(/\n$/, '');
    const len = /:(\d+)$/.exec(tail);
    const caller = len ? tail.slice(0, len.index) : tail;
    const colons = caller.split(':').length - 1;
    const id = m[7]!.toLowerCase();
    const [user, domain] = [m[3]!, m[4]!];
    if (mailbox && (user !== mailbox.user || domain.toLowerCase() !== mailbox.domain.toLowerCase())) return;
    const split = len && colons === 1 ? caller.split(':') : null;
    if (!split) ambiguous.push(id);
    entries.push({
      uuid: id,
      createdEpoch: Number(m[1]),
      readEpoch: Number(m[2]),
      user,
      domain,
      folder: m[5]!,
      filePath: m[6]!,
      callerName: split ? split[0]! : null,
      callerNumber: split ? split[1]! : null,
      durationSeconds: len ? Number(len[1]) : 0,
    });
  });
  return { entries, ambiguous };
}

export async function voicemailList(fs: ApiRunner, mailbox: Mailbox): Promise<VoicemailList> {
  return parseVoicemailList(await fs.api(voicemailListCommand(mailbox)), mailbox);
}

/** `vm_delete <user>@<domain>[/profile] <uuid>`: removes the row and the file and sends MWI. */
export function voicemailDeleteCommand(mailbox: Mailbox, messageUuid: string): string {
  const profile = mailbox.profile === undefined ? '' : `/${profileName(mailbox.profile)}`;
  return `vm_delete ${userId(mailbox.user)}@${domainName(mailbox.domain)}${profile} ${uuid(messageUuid, 'message')}`;
}

/**
 * `+OK`, also for a uuid that is not there (FreeSWITCH never says "no such message": check the list first).
 * Without a uuid vm_delete empties the whole mailbox, so the uuid is mandatory here.
 */
export async function voicemailDelete(fs: ApiRunner, mailbox: Mailbox, messageUuid: string): Promise<void> {
  const command = voicemailDeleteCommand(mailbox, messageUuid);
  expectOk(command, await fs.api(command));
}
