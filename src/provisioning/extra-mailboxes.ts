// Other mailboxes a phone shows message waiting for (the extension's "Message Waiting Extension" list): which ones, the
// account each is watched at, and, in words for the device screen, what a model cannot show of them.
//
// A model with `features.extraMailboxMwi` watches each on a spare line that subscribes without registering; one
// without (Yealink: an account always registers) shows none of them.
import { voicemailAccount } from '../domain/mailbox-identity';
import type { Device, Extension } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { FirmwareProfile } from '../vendors/firmware-profile';
import type { WatchedMailbox } from './phone-config';

/** The lines' watched mailboxes minus the lines' own, each once, in list order; unknown numbers become notes. */
export function extraMailboxes(snapshot: PbxSnapshot, lineExts: Extension[], notes: string[]): WatchedMailbox[] {
  const own = new Set(
    lineExts.map((e) => snapshot.mailboxes.find((m) => m.id === e.mailboxId)?.number).filter((n) => n !== undefined),
  );
  const out: WatchedMailbox[] = [];
  for (const number of lineExts.flatMap((e) => e.mwiMailboxes)) {
    if (own.has(number) || out.some((w) => w.mailbox === number)) continue;
    const box = snapshot.mailboxes.find((m) => m.number === number);
    if (!box) {
      notes.push(`message waiting for mailbox ${number}: no such mailbox`);
      continue;
    }
    // The account mod_voicemail notifies (vm_<n>@domain unless extension <n> owns it), never `<number>@domain`.
    out.push({ mailbox: box.number, label: `${box.name} VM`, account: voicemailAccount(snapshot, box) });
  }
  return out;
}

/** The renderer's `omitted` line for a watched mailbox a model cannot show. */
export function unsupportedMailboxNote(profile: FirmwareProfile, mailbox: string): string {
  return `mailbox ${mailbox}: the ${profile.model} cannot show message waiting for another mailbox (it has no account that subscribes without registering)`;
}

const list = (items: string[]) =>
  items.length === 1 ? `${items[0]}` : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** What the device screen must say about this phone's watched mailboxes; [] when it shows them all. */
export function mailboxWarnings(
  snapshot: PbxSnapshot,
  device: Pick<Device, 'extensionIds'>,
  profile: FirmwareProfile,
): string[] {
  const byId = new Map(snapshot.extensions.map((e) => [e.id, e]));
  const lineExts = [...new Set(device.extensionIds)]
    .map((id) => byId.get(id))
    .filter((e): e is Extension => e !== undefined)
    .slice(0, profile.lines);
  const watched = extraMailboxes(snapshot, lineExts, []);
  const shown = profile.features.extraMailboxMwi ? Math.max(0, profile.lines - lineExts.length) : 0;
  const missing = watched.slice(shown);
  if (!missing.length) return [];
  const watchers = lineExts.filter((e) => e.mwiMailboxes.some((n) => missing.some((m) => m.mailbox === n)));
  const what = `${missing.length === 1 ? 'mailbox' : 'mailboxes'} ${list(missing.map((m) => m.mailbox))} (watched by ${
    watchers.length === 1 ? 'extension' : 'extensions'
  } ${list(watchers.map((e) => e.number))})`;
  return [
    profile.features.extraMailboxMwi
      ? `The ${profile.model} has no free line to show message waiting for ${what}: ${missing.length === 1 ? 'it' : 'they'} will not light on this phone.`
      : `The ${profile.model} cannot show message waiting for other mailboxes: ${what} will not light on this phone.`,
  ];
}
