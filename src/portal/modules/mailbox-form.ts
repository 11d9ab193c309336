// The mailbox form (manual: Mailboxes and Voicemail Configuration): saved mailbox ⇄ form values ⇄ service input, and
// the view model of General Settings, Notifications and Advanced Settings. Recordings and Greeting are their own forms
// (greetings.ts): uploads and Record buttons act at once. The password is write-only: never shown, blank keeps it.
import type { Mailbox } from '../../domain/model';
import { kindByName } from '../../services/kinds';
import type { Viewer } from '../context';
import { type FormView, truthy, type Values } from '../forms';

const CHECKS = [
  [
    'dialDuringAnnouncement',
    'Dial During Announcement',
    'If checked, a caller will be able to dial an extension during your announcement.',
  ],
  [
    'skipInstructions',
    'Skip Voicemail Instructions',
    'If checked, the PBX will not play the generic instructions for leaving a message after your announcement: only your recording is played, followed by a beep.',
  ],
  [
    'announcementOnly',
    'Announcement Only',
    'If checked, callers cannot leave a message: your recording plays, then the caller is returned to the attendant.',
  ],
  ['hideFromDirectory', 'Hide from Directory', 'If checked, this mailbox will not show up in the company directory.'],
] as const;

/** Which fields this viewer may change (all for administrators; kinds.ts's list for employees). */
export function mailboxEditable(v: Viewer): (field: string) => boolean {
  if (v.isAdmin) return () => true;
  const allowed = kindByName('mailboxes')?.employee?.fields ?? [];
  return (field) => allowed.includes(field);
}

export function mailboxValues(m: Mailbox): Values {
  const v: Values = {
    number: m.number,
    name: m.name,
    email: m.email ?? '',
    smsEmail: m.smsEmail ?? '',
    retentionDays: String(m.retentionDays),
  };
  for (const [f] of CHECKS) v[f] = String(m[f]);
  return v;
}

export function newMailboxValues(): Values {
  return { retentionDays: '180' };
}

/**
 * Posted values → the service input, only fields this viewer may change. On an edit a blank password keeps the saved
 * one (it is never sent back to the browser); `errors` holds what the form itself refuses.
 */
export function mailboxInput(
  v: Viewer,
  values: Values,
  isNew: boolean,
): { input: Record<string, unknown>; errors: Record<string, string> } {
  const can = mailboxEditable(v);
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of ['number', 'name', 'retentionDays']) if (can(f)) input[f] = (values[f] ?? '').trim();
  for (const f of ['email', 'smsEmail']) if (can(f)) input[f] = (values[f] ?? '').trim() || null;
  for (const [f] of CHECKS) if (can(f)) input[f] = truthy(values[f]);
  const password = values.password ?? '';
  const confirm = values.passwordConfirm ?? '';
  if (can('password')) {
    if (password || isNew) {
      input.password = password;
      input.passwordConfirm = confirm;
    } else if (confirm) errors.password = 'type the new password here too, or leave both empty to keep the password';
  }
  return { input, errors };
}

/** The view model of the settings form (greetings are built by greetings.ts). */
export function mailboxFormView(v: Viewer, form: FormView, isNew: boolean) {
  const can = mailboxEditable(v);
  const field = <T>(name: string, make: () => T): T | null => (can(name) ? make() : null);
  const general = {
    number: field('number', () =>
      form.text('number', 'Mailbox Number', {
        inputmode: 'numeric',
        maxlength: 6,
        hint: 'Each mailbox needs a unique number; 3 to 5 digits is suggested. It may differ from the extension number, but it is usually the same.',
      }),
    ),
    numberReadOnly: can('number') ? null : form.values.number,
    name: field('name', () =>
      form.text('name', 'Name (for directory)', {
        maxlength: 50,
        hint: 'The name callers find in the company directory. It should be a first and last name.',
      }),
    ),
    password: field('password', () =>
      form.password('password', isNew ? 'Password' : 'New password', {
        inputmode: 'numeric',
        autocomplete: 'new-password',
        maxlength: 12,
        hint: isNew
          ? 'Digits only (4 to 12), entered to open the mailbox by phone. It must not be the same as the mailbox number, or the mailbox setup wizard starts at every login.'
          : 'Leave blank to keep the current password. Digits only (4 to 12), not the same as the mailbox number.',
      }),
    ),
    confirm: field('password', () =>
      form.password('passwordConfirm', 'Confirm password', {
        inputmode: 'numeric',
        autocomplete: 'new-password',
        maxlength: 12,
        hint: 'Type the same password again.',
      }),
    ),
  };
  const notifications = {
    email: field('email', () =>
      form.text('email', 'Email to Notify', {
        type: 'email',
        autocomplete: 'email',
        hint: 'If a valid email address is entered, a message is sent to it every time a voicemail is received, with the audio attached as a .WAV file.',
      }),
    ),
    sms: field('smsEmail', () =>
      form.text('smsEmail', 'SMS email to Notify', {
        type: 'email',
        hint: 'If a valid email address is entered (such as your mobile carrier’s email-to-SMS address), a message is sent to it every time a voicemail is received, without the audio.',
      }),
    ),
  };
  const advanced = {
    checks: CHECKS.filter(([f]) => can(f)).map(([f, label, hint]) => form.checkbox(f, label, { hint })),
    retention: field('retentionDays', () =>
      form.text('retentionDays', 'Delete Voicemail after (days)', {
        inputmode: 'numeric',
        maxlength: 3,
        hint: 'Voicemails are stored for up to 180 days. Choose how many days (1 to 180) to keep them.',
      }),
    ),
  };
  return { general, notifications, advanced, summary: form.summary() };
}
