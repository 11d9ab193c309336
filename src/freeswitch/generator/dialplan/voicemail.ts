// Mailboxes: greeting entry and leaving a message (dt_vm_<id>[_busy]), dt_check_vm (*98), mod_voicemail profile.
import type { AudioFile, Mailbox } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { memoOn } from '../../../domain/snapshot-memo';
import { audioFileOnHost } from '../audio-path';
import { entry as entryName } from '../entry-points';
import type { Action, ConfSection } from '../xml';
import { listedMailboxUsers } from './directory';
import {
  act,
  type ContextFile,
  type DialplanExtension,
  dest,
  entry,
  hangup,
  oneOf,
  set,
  setAll,
  transferTo,
} from './dsl';
import { dialableExtensionNumbers, mailboxes, num, voicemailId } from './identity';
import { defaultGreeting, PROMPT } from './prompts';
import { greetingEntry } from './recording';
import type { Scope } from './scope';

/** Where an uploaded (or imported) audio file sits on the FreeSWITCH host. */
export function audioPath(s: Scope, a: AudioFile): string {
  return audioFileOnHost(s.opts, s.ctx, a.storedName);
}

function greetingFile(s: Scope, m: Mailbox, kind: 'unavailable' | 'busy'): string | null {
  // A busy caller hears the busy greeting, or the unavailable one when there is no busy greeting.
  const ids = kind === 'busy' ? [m.busyGreetingId, m.unavailableGreetingId] : [m.unavailableGreetingId];
  const byId = memoOn(s.snap, 'voicemail.audioById', (snap) => new Map(snap.audioFiles.map((f) => [f.id, f])));
  for (const id of ids) {
    const a = id == null ? undefined : byId.get(id);
    if (a?.storedName) return audioPath(s, a);
  }
  return null;
}

/** Extensions a caller may dial during a mailbox greeting, as one group; the same for every mailbox of the PBX. */
const dialableDuringGreeting = (s: Scope): string | null =>
  memoOn(s.snap, 'voicemail.dialable', (snap) => oneOf(dialableExtensionNumbers(snap)));

export const vmEntry = {
  dial: (id: number) => `dt_vm_${id}_dial`,
  returnToAttendant: 'dt_vm_return',
};

/** Leave a message: greeting by route (busy/unavailable), skip instructions, dial-during-announcement, announcement only. */
function depositActions(s: Scope, m: Mailbox, kind: 'unavailable' | 'busy'): Action[] {
  const file = greetingFile(s, m, kind);
  const out: Action[] = [
    act('answer'),
    act('sleep', '250'),
    ...setAll([
      ['dialtone_mailbox', String(m.id)],
      ['voicemail_alternate_greet_id', num(m.number)],
    ]),
  ];
  if (m.skipInstructions) out.push(set('skip_instructions', 'true'));
  if (file) out.push(set('voicemail_greeting_path', file));
  const greeting = file ?? defaultGreeting(num(m.number));
  const dialable = m.dialDuringAnnouncement ? dialableDuringGreeting(s) : null;
  if (dialable) {
    // mod_voicemail takes one digit during its greeting; we play the greeting ourselves and collect a whole number.
    out.push(
      act('unset', 'dt_vm_dialed'),
      act('play_and_get_digits', `1 6 1 2000 # ${greeting} ${PROMPT.silence} dt_vm_dialed ^${dialable}$ 3000`),
      transferTo(m.announcementOnly ? vmEntry.returnToAttendant : vmEntry.dial(m.id), s.ctx),
    );
    return out;
  }
  if (m.announcementOnly)
    return [
      ...out,
      act('unset', 'dt_vm_dialed'),
      act('playback', greeting),
      transferTo(vmEntry.returnToAttendant, s.ctx),
    ];
  return [...out, act('voicemail', `default ${s.domain} ${voicemailId(s.snap, m)}`), hangup('NORMAL_CLEARING')];
}

const sameActions = (a: Action[], b: Action[]): boolean =>
  a.length === b.length &&
  a.every((x, i) => x.app === b[i].app && x.data === b[i].data && Boolean(x.inline) === Boolean(b[i].inline));

function mailboxExtensions(s: Scope, m: Mailbox): DialplanExtension[] {
  const unavailable = depositActions(s, m, 'unavailable');
  const busy = depositActions(s, m, 'busy');
  const name = entryName.mailbox(m.id);
  // Without a busy greeting both routes do the same: one extension answers both names (a mailbox's file is read
  // for every call of a big PBX, and written on every export).
  const out: DialplanExtension[] = sameActions(unavailable, busy)
    ? [{ name, conditions: [dest(`^${name}(?:_busy)?$`, unavailable)] }]
    : [entry(name, unavailable), entry(entryName.mailbox(m.id, 'busy'), busy)];
  const dialable = m.dialDuringAnnouncement ? dialableDuringGreeting(s) : null;
  if (dialable && !m.announcementOnly) {
    const dial = vmEntry.dial(m.id);
    // After our own greeting: a dialed extension wins, otherwise record without playing the greeting again.
    out.push({
      name: dial,
      conditions: [
        dest(`^${dial}$`),
        {
          field: '${dt_vm_dialed}',
          expression: `^${dialable}$`,
          actions: [act('unset', 'dt_vm_dialed'), transferTo('$1', s.ctx)],
          anti: [
            set('skip_greeting', 'true'),
            act('voicemail', `default ${s.domain} ${voicemailId(s.snap, m)}`),
            hangup('NORMAL_CLEARING'),
          ],
        },
      ],
    });
  }
  return out;
}

/** Announcement only: back to the attendant that sent the caller (flows set dt_return_to=dt_ivr_<id>), else hang up. */
function returnExtension(s: Scope): DialplanExtension {
  const dialable = dialableDuringGreeting(s);
  const conditions = [dest(`^${vmEntry.returnToAttendant}$`)];
  if (dialable)
    conditions.push({
      field: '${dt_vm_dialed}',
      expression: `^${dialable}$`,
      break: 'on-true',
      actions: [act('unset', 'dt_vm_dialed'), transferTo('$1', s.ctx)],
    });
  conditions.push({
    field: '${dt_return_to}',
    expression: '^(dt_ivr_\\d+)$',
    actions: [transferTo('$1', s.ctx)],
    anti: [hangup('NORMAL_CLEARING')],
  });
  return { name: vmEntry.returnToAttendant, conditions };
}

/** *98 and dt_check_vm: the caller's own box (its password only), or ask which box. */
export function checkVoicemailConditions(s: Scope, expression: string): DialplanExtension['conditions'] {
  return [
    dest(expression, [act('answer'), act('sleep', '500')]),
    {
      field: '${dialtone_vm_id}',
      expression: '^(\\d{2,6}|vm_\\d{2,6})$',
      actions: [act('voicemail', `check default ${s.domain} $1`)],
      anti: [act('voicemail', `check default ${s.domain}`)],
    },
  ];
}

export function voicemailFiles(s: Scope): ContextFile[] {
  const out: ContextFile[] = mailboxes(s.snap).map((m) => new MailboxFile(s, m));
  const listed = listedMailboxUsers(s.snap).map(({ id, mailbox }) =>
    // The company directory transfers to the user id; a mailbox without an extension goes to voicemail.
    entry(id, [transferTo(entryName.mailbox(mailbox.id), s.ctx)]),
  );
  out.push({
    file: '41_voicemail',
    comment: `Voicemail access of PBX ${s.ctx}`,
    extensions: [
      { name: entryName.checkVoicemail, conditions: checkVoicemailConditions(s, `^${entryName.checkVoicemail}$`) },
      returnExtension(s),
      ...listed,
    ],
  });
  return out;
}

/**
 * One mailbox's file. 14_: the greeting entry answers * + mailbox, which must win over the feature files after it
 * (15-39); the dt_vm_<id> names are Dialtone's own and match nothing else, so leaving a message can sit in the same
 * file. Comment and entries are made when rendered: made all at once, 10,000 mailboxes' descriptions outlive the
 * young generation (extensions.ts, ExtensionFile).
 */
class MailboxFile implements ContextFile {
  readonly file: string;
  constructor(
    private readonly s: Scope,
    private readonly m: Mailbox,
  ) {
    this.file = `14_mailbox_${num(m.number)}`;
  }
  get comment(): string {
    return `Mailbox ${num(this.m.number)} (#${this.m.id}) of PBX ${this.s.ctx}: record its greetings, leave a message`;
  }
  get extensions(): DialplanExtension[] {
    return [greetingEntry(this.s, this.m), ...mailboxExtensions(this.s, this.m)];
  }
}

/** One mod_voicemail profile for every PBX: boxes are per domain; storage keeps FreeSWITCH's default layout. */
export function voicemailConf(_snaps: PbxSnapshot[]): ConfSection {
  const params: Array<[string, string]> = [
    ['file-extension', 'wav'],
    ['terminator-key', '#'],
    ['max-login-attempts', '3'],
    ['digit-timeout', '10000'],
    ['min-record-len', '3'],
    ['max-record-len', '300'],
    ['max-retries', '3'],
    ['tone-spec', '%(1000, 0, 640)'],
    ['callback-dialplan', 'XML'],
    ['play-new-messages-key', '1'],
    ['play-saved-messages-key', '2'],
    ['login-keys', '0'],
    ['main-menu-key', '0'],
    ['config-menu-key', '5'],
    ['record-greeting-key', '1'],
    ['choose-greeting-key', '2'],
    ['change-pass-key', '6'],
    ['record-name-key', '3'],
    ['record-file-key', '3'],
    ['listen-file-key', '1'],
    ['save-file-key', '2'],
    ['delete-file-key', '7'],
    ['undelete-file-key', '8'],
    ['email-key', '4'],
    ['pause-key', '0'],
    ['restart-key', '1'],
    ['ff-key', '6'],
    ['rew-key', '4'],
    ['skip-greet-key', '#'],
    ['previous-message-key', '1'],
    ['next-message-key', '3'],
    ['skip-info-key', '*'],
    ['repeat-message-key', '0'],
    ['record-silence-threshold', '200'],
    ['record-silence-hits', '2'],
    ['db-password-override', 'false'],
    // Every mailbox has a numeric password: an empty one must never open a box.
    ['allow-empty-password-auth', 'false'],
    ['storage-dir', '$${dialtone_storage_dir}/voicemail/default'],
  ];
  return {
    name: 'voicemail.conf',
    description: 'Voicemail',
    build: (parent) => {
      parent.ele('settings');
      const profile = parent.ele('profiles').ele('profile', { name: 'default' });
      for (const [name, value] of params) profile.ele('param', { name, value });
      const email = profile.ele('email');
      for (const [name, value] of [
        ['template-file', 'voicemail.tpl'],
        ['notify-template-file', 'notify-voicemail.tpl'],
        ['date-fmt', '%A, %B %d %Y, %I %M %p'],
        ['email-from', '${voicemail_account}@${voicemail_domain}'],
      ])
        email.ele('param', { name, value });
    },
  };
}
