// How a mailbox is known on the SIP side: mod_voicemail's box id and the MWI account FreeSWITCH announces it as.
// The FreeSWITCH generator (voicemail, directory users, MWI-Account) and provisioning (the account a phone subscribes
// to for another mailbox's light) both read these, so what a phone watches is always what FreeSWITCH notifies.
//
// Extensions and mailboxes have separate number spaces, so a mailbox is the directory user of its number only when an
// extension of that number owns it (101 -> mailbox 101: one id for MWI, *98 and voicemail); any other mailbox is its
// own user `vm_<number>`, and mod_voicemail announces it as `vm_<number>@<domain>` (a subscription to
// `<number>@<domain>` is accepted and answered once, then never notified again).
import type { Extension, Mailbox } from './model';
import type { PbxSnapshot } from './snapshot';
import { memoOn } from './snapshot-memo';

/** The digits of an extension or mailbox number ('' when nothing dialable is left). */
export const numberDigits = (n: string): string => n.replace(/[^0-9]/g, '');

/** The PBX's SIP domain as FreeSWITCH's directory names it: host characters only, lowercase. */
export const sipDomainOf = (snap: PbxSnapshot): string => snap.pbx.domain.replace(/[^a-zA-Z0-9.-]/g, '').toLowerCase();

/** Dialable numbers in the order people read them: shorter first, then by value (`99` before `100`). */
export function byNumber(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Objects with a usable number, sorted by number; a number seen twice (a hand-edited database) keeps the lowest id. */
function byUniqueNumber<T extends { id: number; number: string }>(list: T[]): T[] {
  const keyed = list.map((x) => ({ x, n: numberDigits(x.number) })).filter((k) => k.n);
  keyed.sort((a, b) => byNumber(a.n, b.n) || a.x.id - b.x.id);
  return keyed.filter((k, i) => i === 0 || keyed[i - 1].n !== k.n).map((k) => k.x);
}

/** Extensions with a usable number, sorted by number (memoised: callers must not mutate the array). */
export const extensionsByNumber = (snap: PbxSnapshot): Extension[] =>
  memoOn(snap, 'identity.extensions', (s) => byUniqueNumber(s.extensions), ['extensions']);

/** Mailboxes with a usable number, sorted by number (memoised: callers must not mutate the array). */
export const mailboxesByNumber = (snap: PbxSnapshot): Mailbox[] =>
  memoOn(snap, 'identity.mailboxes', (s) => byUniqueNumber(s.mailboxes), ['mailboxes']);

const NO_OWNERS: Extension[] = [];

/** Extensions whose voice mailbox is `m`, by number. */
export function mailboxOwners(snap: PbxSnapshot, m: Mailbox): Extension[] {
  const owners = memoOn(
    snap,
    'identity.mailboxOwners',
    (s) => {
      const byMailbox = new Map<number, Extension[]>();
      for (const e of extensionsByNumber(s)) {
        if (e.mailboxId == null) continue;
        const list = byMailbox.get(e.mailboxId);
        if (list) list.push(e);
        else byMailbox.set(e.mailboxId, [e]);
      }
      return byMailbox;
    },
    ['extensions'],
  );
  return owners.get(m.id) ?? NO_OWNERS;
}

/** The FreeSWITCH voicemail box id of a mailbox (`voicemail default <domain> <id>`, storage dir, MWI account). */
export function voicemailId(snap: PbxSnapshot, m: Mailbox): string {
  const n = numberDigits(m.number);
  return mailboxOwners(snap, m).some((e) => numberDigits(e.number) === n) ? n : `vm_${n}`;
}

/** The account mod_voicemail sends message-waiting for: what a phone must SUBSCRIBE to (Event: message-summary). */
export function voicemailAccount(snap: PbxSnapshot, m: Mailbox): string {
  return `${voicemailId(snap, m)}@${sipDomainOf(snap)}`;
}
