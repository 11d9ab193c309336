// How PBX objects are named inside FreeSWITCH: context, domain, directory users and voicemail box ids.
//
// FreeSWITCH has one user namespace per domain, looked up by `id` or `number-alias` (first match in document order,
// switch_xml.c find_user_in_tag). Extensions and mailboxes have separate number spaces in the portal, so:
//  - every extension is the user `<number>`;
//  - a mailbox whose number equals the number of an extension that owns it lives in that same user (the usual
//    101 -> mailbox 101 case: MWI, *98 and voicemail all use one id);
//  - every other mailbox is its own user `vm_<number>` (number-alias `<number>` when no extension has that number,
//    so the mailbox number can still be typed at the voicemail login prompt).
import type { Extension, Mailbox } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { fsDigits, fsHost, fsId } from '../escape';
import { byNumber } from './dsl';

export const pbxContext = (snap: PbxSnapshot): string => fsId(snap.pbx.context);
export const pbxDomain = (snap: PbxSnapshot): string => fsHost(snap.pbx.domain);

/** Digits of an extension/mailbox/queue number; '' when nothing dialable is left. */
export const num = (n: string): string => fsDigits(n).replace(/[*#]/g, '');

/** Objects with a usable number, sorted by number; a number seen twice (a hand-edited database) keeps the lowest id. */
function byUniqueNumber<T extends { id: number; number: string }>(list: T[]): T[] {
  const sorted = list
    .filter((x) => num(x.number))
    .sort((a, b) => byNumber(num(a.number), num(b.number)) || a.id - b.id);
  return sorted.filter((x, i) => i === 0 || num(sorted[i - 1].number) !== num(x.number));
}

export const extensions = (snap: PbxSnapshot): Extension[] => byUniqueNumber(snap.extensions);
export const mailboxes = (snap: PbxSnapshot): Mailbox[] => byUniqueNumber(snap.mailboxes);

/** Extensions whose voice mailbox is `m`, by number. */
export function mailboxOwners(snap: PbxSnapshot, m: Mailbox): Extension[] {
  return extensions(snap).filter((e) => e.mailboxId === m.id);
}

/** The FreeSWITCH voicemail box id of a mailbox (`voicemail default <domain> <id>`, storage dir, MWI account). */
export function voicemailId(snap: PbxSnapshot, m: Mailbox): string {
  const n = num(m.number);
  return mailboxOwners(snap, m).some((e) => num(e.number) === n) ? n : `vm_${n}`;
}

/** The MWI account phones subscribe to for this mailbox (provisioning: extra "message waiting" mailboxes). */
export function voicemailAccount(snap: PbxSnapshot, m: Mailbox): string {
  return `${voicemailId(snap, m)}@${pbxDomain(snap)}`;
}

/** The mailbox an extension uses, if it exists. */
export function mailboxOf(snap: PbxSnapshot, e: Extension): Mailbox | null {
  return e.mailboxId === null ? null : (mailboxes(snap).find((m) => m.id === e.mailboxId) ?? null);
}

/** The extension the company directory rings for a mailbox: the same-numbered owner, else the lowest owner. */
export function directoryOwner(snap: PbxSnapshot, m: Mailbox): Extension | null {
  const owners = mailboxOwners(snap, m);
  return owners.find((e) => num(e.number) === num(m.number)) ?? owners[0] ?? null;
}

export interface DirectoryUser {
  id: string;
  /** Set for extension users. */
  extension: Extension | null;
  /** The mailbox whose voicemail box this user is (vm-* params), if any. */
  mailbox: Mailbox | null;
  numberAlias: string | null;
}

/** Every directory user of the PBX: extension users by number, then mailbox-only users. */
export function directoryUsers(snap: PbxSnapshot): DirectoryUser[] {
  const exts = extensions(snap);
  const extNumbers = new Set(exts.map((e) => num(e.number)));
  const seen = new Set<string>();
  const users: DirectoryUser[] = [];
  for (const e of exts) {
    const id = num(e.number);
    if (seen.has(id)) continue;
    seen.add(id);
    const own = mailboxOf(snap, e);
    users.push({
      id,
      extension: e,
      mailbox: own && voicemailId(snap, own) === id ? own : null,
      numberAlias: null,
    });
  }
  for (const m of mailboxes(snap)) {
    const id = voicemailId(snap, m);
    if (seen.has(id)) continue;
    seen.add(id);
    const n = num(m.number);
    users.push({ id, extension: null, mailbox: m, numberAlias: extNumbers.has(n) ? null : n });
  }
  return users;
}

/** The user FreeSWITCH would find for `key` (id first in document order, then number-alias), as xml_curl must answer. */
export function findDirectoryUser(snap: PbxSnapshot, key: string): DirectoryUser | null {
  const users = directoryUsers(snap);
  return users.find((u) => u.id === key || u.numberAlias === key) ?? null;
}

/** Extensions callers may reach by dialing their number in an attendant or during a mailbox greeting. */
export function dialableFromAttendant(e: Extension): boolean {
  return !e.disallowDialByExtension;
}

export function dialableExtensionNumbers(snap: PbxSnapshot): string[] {
  return extensions(snap)
    .filter(dialableFromAttendant)
    .map((e) => num(e.number));
}
