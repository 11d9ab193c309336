// The auto attendant form (manual: Auto Attendants): saved attendant ⇄ form values ⇄ service input, and the view
// model. General Settings (name, timeouts, dial by extension, where silence and invalid entries go), Announcement
// (default recording / the uploaded or recorded one / a mailbox's greeting, the older way) and Button Configuration.
import type { AttendantKey, AutoAttendant } from '../../domain/model';
import type { Portal, Viewer } from '../context';
import { CHOOSE, type FormView, truthy, type Values } from '../forms';
import { destinationValues, objectRefs, pickerView, readDestination, type TargetCatalog } from '../picker';

export const BUTTON_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
const ROUTED: readonly AttendantKey[] = [...BUTTON_KEYS, 'timeout', 'invalid'];

export const DEFAULT_RECORDING =
  'Hello and thank you for calling. If you know your party’s extension, you may dial it at any time. For a company ' +
  'directory, please press * now. To leave a message in our general company voice mailbox, continue to hold or ' +
  'press 1. To hear these options again, press 9 now. Thank you for calling.';

export function attendantValues(a: AutoAttendant, numbers: Map<string, { number: string | null }>): Values {
  const v: Values = {
    name: a.name,
    timeoutSec: String(a.timeoutSec),
    digitTimeoutSec: String(a.digitTimeoutSec),
    dialExtensions: String(a.dialExtensions),
    'announcement.source': a.announcement.source,
    'announcement.mailboxId': a.announcement.source === 'mailbox' ? String(a.announcement.mailboxId) : '',
  };
  for (const k of ROUTED) Object.assign(v, destinationValues(`buttons.${k}`, a.buttons[k], numbers));
  return v;
}

export const attendantRefs = (a: AutoAttendant) => objectRefs(ROUTED.map((k) => a.buttons[k]));

export function newAttendantValues(): Values {
  return { timeoutSec: '10', digitTimeoutSec: '3', dialExtensions: 'true', 'announcement.source': 'default' };
}

/** Posted values → service input; destinations that could not be read come back as errors next to their picker. */
export async function attendantInput(
  portal: Portal,
  v: Viewer,
  values: Values,
  current: AutoAttendant | null,
): Promise<{ input: Record<string, unknown>; errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  const buttons: Record<string, unknown> = {};
  for (const k of ROUTED) {
    const d = await readDestination(portal, v, values, `buttons.${k}`);
    if ('error' in d) errors[`buttons.${k}`] = d.error;
    else if (d.value !== undefined) buttons[k] = d.value;
  }
  const source = values['announcement.source'] ?? 'default';
  let announcement: unknown = 'default';
  if (source === 'audio' && current?.announcement.source === 'audio') announcement = current.announcement;
  else if (source === 'mailbox')
    announcement = { source: 'mailbox', mailboxId: values['announcement.mailboxId'] ?? '' };
  return {
    input: {
      name: values.name ?? '',
      timeoutSec: values.timeoutSec ?? '',
      digitTimeoutSec: values.digitTimeoutSec ?? '',
      dialExtensions: truthy(values.dialExtensions),
      announcement,
      buttons,
    },
    errors,
  };
}

export function attendantFormView(
  form: FormView,
  catalog: TargetCatalog,
  id: number | null,
  opts: { hasRecording: boolean; mailboxes: Array<{ id: number; label: string }> | null },
) {
  const exclude = id === null ? undefined : { kind: 'auto_attendant' as const, id };
  const general = {
    name: form.text('name', 'Attendant Name', {
      maxlength: 50,
      hint: 'A unique name for this Auto Attendant, used to identify it in the PBX configuration.',
    }),
    timeout: form.text('timeoutSec', 'Attendant Timeout', {
      inputmode: 'numeric',
      maxlength: 2,
      hint: 'Seconds after the announcement is played before the PBX executes the “Timeout” option below if the caller does not press any buttons (1 to 60).',
    }),
    digitTimeout: form.text('digitTimeoutSec', 'Digit Timeout', {
      inputmode: 'numeric',
      maxlength: 2,
      hint: 'Seconds between key presses before the PBX attempts to connect the caller to the dialed digits (1 to 10).',
    }),
    dialExtensions: form.checkbox('dialExtensions', 'Callers may dial an extension', {
      hint: 'The caller can dial any extension of the PBX at any time, except extensions marked “Disallow Dial by Extension”.',
    }),
    timeoutRoute: pickerView(form, 'buttons.timeout', 'Timeout', 'general', catalog, {
      exclude,
      hint: 'Where the call goes when the caller presses nothing. Default: the menu repeats (three times), then the call ends.',
      emptyLabel: 'Default',
    }),
    invalidRoute: pickerView(form, 'buttons.invalid', 'Invalid Entry', 'general', catalog, {
      exclude,
      hint: 'Where the call goes when the caller dials something no button or extension answers. Default: the caller is told and asked again (three times).',
      emptyLabel: 'Default',
    }),
  };
  const sources = [
    { value: 'default', label: 'Default Recording' },
    ...(opts.hasRecording ? [{ value: 'audio', label: 'Uploaded or recorded' }] : []),
    { value: 'mailbox', label: 'Mailbox (older versions)' },
  ];
  const announcement = {
    source: form.select('announcement.source', 'Announcement', sources, {
      hint: 'What callers hear first. Upload a file or record by phone below; until then the default recording plays.',
    }),
    mailbox: opts.mailboxes
      ? form.select('announcement.mailboxId', 'Mailbox', [
          CHOOSE,
          ...opts.mailboxes.map((m) => ({ value: String(m.id), label: m.label })),
        ])
      : null,
  };
  form.label('announcement.mailboxId', 'Mailbox');
  const buttons = BUTTON_KEYS.map((k) =>
    pickerView(form, `buttons.${k}`, `Button ${k}`, 'general', catalog, { exclude, emptyLabel: 'Not used' }),
  );
  return { general, announcement, buttons, summary: form.summary() };
}
