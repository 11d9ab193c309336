// How PBX objects are named inside FreeSWITCH: context, domain, directory users and voicemail box ids.
//
// FreeSWITCH has one user namespace per domain, looked up by `id` or `number-alias` (first match in document order,
// switch_xml.c find_user_in_tag). Extensions and mailboxes have separate number spaces in the portal, so:
//  - every extension is the user `<number>`;
//  - a mailbox whose number equals the number of an extension that owns it lives in that same user (the usual
//    101 -> mailbox 101 case: MWI, *98 and voicemail all use one id);
//  - every other mailbox is its own user `vm_<number>` (number-alias `<number>` when no extension has that number,
//    so the mailbox number can still be typed at the voicemail login prompt).
import {
  extensionsByNumber,
  mailboxesByNumber,
  mailboxOwners,
  numberDigits,
  sipDomainOf,
  voicemailAccount,
  voicemailId,
} from '../../../domain/mailbox-identity';
import type { Extension, Mailbox } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { memoOn } from '../../../domain/snapshot-memo';
import { fsId } from '../escape';

export const pbxContext = (snap: PbxSnapshot): string => fsId(snap.pbx.context);
/** The PBX's SIP domain (host characters only): the same function provisioning names MWI accounts with. */
export const pbxDomain = sipDomainOf;

/** Digits of an extension/mailbox/queue number; '' when nothing dialable is left. */
export const num = numberDigits;

/** Extensions with a usable number, sorted by number (memoised: callers must not mutate the array). */
export const extensions = extensionsByNumber;
/** Mailboxes with a usable number, sorted by number (memoised: callers must not mutate the array). */
export const mailboxes = mailboxesByNumber;

// Box ids and MWI accounts live in the domain: provisioning subscribes phones to exactly these accounts.
export { mailboxOwners, voicemailAccount, voicemailId };

/** The mailbox an extension uses, if it exists. */
export function mailboxOf(snap: PbxSnapshot, e: Extension): Mailbox | null {
  if (e.mailboxId == null) return null;
  const byId = memoOn(snap, 'identity.mailboxById', (s) => new Map(mailboxes(s).map((m) => [m.id, m])), ['mailboxes']);
  return byId.get(e.mailboxId) ?? null;
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

/** Every directory user of the PBX: extension users by number, then mailbox-only users (memoised, read-only). */
export function directoryUsers(snap: PbxSnapshot): DirectoryUser[] {
  return memoOn(snap, 'identity.directoryUsers', buildDirectoryUsers, ['extensions', 'mailboxes']);
}

function buildDirectoryUsers(snap: PbxSnapshot): DirectoryUser[] {
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
  const byKey = memoOn(
    snap,
    'identity.directoryUserByKey',
    (s) => {
      const index = new Map<string, DirectoryUser>();
      for (const u of directoryUsers(s)) {
        if (!index.has(u.id)) index.set(u.id, u);
        if (u.numberAlias !== null && !index.has(u.numberAlias)) index.set(u.numberAlias, u);
      }
      return index;
    },
    ['extensions', 'mailboxes'],
  );
  return byKey.get(key) ?? null;
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
