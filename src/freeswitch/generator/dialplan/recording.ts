// Recording by phone: mailbox greetings (* + mailbox, or the portal's Record button) and attendant greetings (*323).
//
// Files are written under <audioDir>/<context>/ (the directory of the PBX's uploads), one per call, and the call
// carries dialtone_recorded=<what> and dialtone_recorded_file=<path> so Dialtone imports the file as an AudioFile
// when the call record arrives. Entry points are reachable by anyone who can dial a SIP URI in the context, so every
// step that records checks `dialtone_record_auth`: set by the owner check, a PIN, or the portal's originate
// ({dialtone_record_auth=mailbox_<id>} or attendant_<id>).
import type { AutoAttendant, Mailbox } from '../../../domain/model';
import { CALL_UUID_VARIABLE, GREETING_KINDS, type GreetingKind, phoneRecordingPath } from '../../phone-recording';
import type { Action } from '../xml';
import {
  act,
  codeRegex,
  type DialplanExtension,
  dest,
  entry,
  hangup,
  inline,
  oneOf,
  set,
  setAll,
  transferTo,
} from './dsl';
import { num, voicemailId } from './identity';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

export type { GreetingKind };

const KINDS: readonly GreetingKind[] = GREETING_KINDS;

export const recordEntry = {
  greeting: (mailboxId: number, kind?: GreetingKind) => `dt_record_greeting_${mailboxId}${kind ? `_${kind}` : ''}`,
  attendant: (attendantId?: number) => `dt_record_attendant${attendantId === undefined ? '' : `_${attendantId}`}`,
  denied: 'dt_record_denied',
};

/** Where a phone recording lands; Dialtone imports it after the call (services/phone-recordings.ts). */
export const recordedFile = (s: Scope, what: string): string =>
  phoneRecordingPath(s.opts.audioDir, s.ctx, what, CALL_UUID_VARIABLE);

const AUTH = '${dialtone_record_auth}';
const digitsOnly = (v: string): string => v.replace(/\D/g, '');

function pinPrompt(next: string, s: Scope): Action[] {
  return [
    act('unset', 'dt_record_pin'),
    act(
      'play_and_get_digits',
      `3 12 3 7000 # ${PROMPT.enterPin} ${PROMPT.invalid} dt_record_pin ^\\d+$ 5000 ${recordEntry.denied}`,
    ),
    transferTo(next, s.ctx),
  ];
}

function recordActions(s: Scope, what: string, prompt: string): Action[] {
  const file = recordedFile(s, what);
  return [
    act('answer'),
    act('sleep', '500'),
    set('dialtone_recorded', what),
    set('dialtone_recorded_file', file),
    act('playback', prompt),
    act('playback', PROMPT.beep),
    // 8 kHz 16-bit mono whatever the phone's codec: 3 minutes stay under 3 MB (48 kHz Opus would pass 10 MB).
    set('record_sample_rate', '8000'),
    act('record', `${file} 180 200 5`),
    act('playback', PROMPT.saved),
    hangup('NORMAL_CLEARING'),
  ];
}

/** One extension per choice value: `${var}` == value -> transfer. */
function choices(name: string, variable: string, targets: string[], s: Scope): DialplanExtension[] {
  return targets.map((t, i) => ({
    name: `${name}_${i + 1}`,
    conditions: [
      dest(`^${name}$`),
      { field: `\${${variable}}`, expression: `^${i + 1}$`, actions: [transferTo(t, s.ctx)] },
    ],
  }));
}

/** Set by a mailbox's entry: which mailbox (its id) and which directory user holds its PIN (its voicemail id). */
const MAILBOX_VAR = 'dt_record_mailbox';
const VM_VAR = 'dt_record_vm';
const CHOICE = 'dt_record_greeting_choice';
const CHECK = 'dt_record_greeting_check';
const PIN_CHECK = 'dt_record_greeting_pin';

/**
 * A mailbox's greeting entry, reached by `* + mailbox` (when the PBX has that feature code) or by the portal's Record
 * button: it names the mailbox and hands over to the owner/PIN check and the menu, which are shared by every mailbox
 * of the PBX (sharedGreetingExtensions). Per-mailbox copies made a 10,000-mailbox dialplan longer by ten extensions
 * per mailbox for FreeSWITCH to hunt through.
 */
export function greetingEntry(s: Scope, m: Mailbox): DialplanExtension {
  const name = recordEntry.greeting(m.id);
  const prefix = s.snap.pbx.featureCodes.recordGreetingPrefix.replace(/[^0-9*#]/g, '');
  const code = prefix ? `${codeRegex(prefix)}${num(m.number)}` : null;
  return {
    name,
    conditions: [
      dest(code ? `^(?:${code}|${name})$` : `^${name}$`, [
        ...setAll([
          [MAILBOX_VAR, String(m.id)],
          [VM_VAR, voicemailId(s.snap, m)],
        ]),
        transferTo(CHECK, s.ctx),
      ]),
    ],
  };
}

const MENU = (s: Scope): Action[] => [
  act(
    'play_and_get_digits',
    `1 1 3 5000 # ${PROMPT.chooseGreeting} ${PROMPT.invalid} dt_record_kind ^[123]$ 5000 ${recordEntry.denied}`,
  ),
  transferTo(CHOICE, s.ctx),
];

/**
 * Who may record the greetings of the mailbox the entry named:
 * - its own extensions, without a PIN: the caller's user carries dialtone_vm_id, the mailbox's voicemail id, so
 *   "${dialtone_vm_id}/${dt_record_vm}" reads `x/x` (a backreference compares them);
 * - the portal's Record button, which originates with dialtone_record_auth=mailbox_<id>;
 * - anyone who keys the mailbox's PIN: compared with the vm-password of the mailbox's directory user (user_data),
 *   where mod_voicemail reads it too, so both always agree.
 * Dialled directly, without an entry, every check compares against an empty value and fails.
 */
function greetingCheckExtensions(s: Scope): DialplanExtension[] {
  const token = `mailbox_\${${MAILBOX_VAR}}`;
  return [
    {
      name: CHECK,
      conditions: [
        dest(`^${CHECK}$`),
        {
          field: `\${dialtone_vm_id}/\${${VM_VAR}}`,
          expression: '^([^/]+)/\\1$',
          break: 'never',
          actions: [inline('set', `dialtone_record_auth=${token}`)],
        },
        {
          field: `${AUTH}/\${${MAILBOX_VAR}}`,
          expression: '^mailbox_(\\d+)/\\1$',
          actions: [act('answer'), act('sleep', '500'), ...MENU(s)],
          anti: [act('answer'), act('sleep', '500'), ...pinPrompt(PIN_CHECK, s)],
        },
      ],
    },
    {
      name: PIN_CHECK,
      conditions: [
        dest(`^${PIN_CHECK}$`),
        {
          field: `\${dt_record_pin}/\${user_data(\${${VM_VAR}}@${s.domain} param vm-password)}`,
          expression: '^(\\d+)/\\1$',
          actions: [act('unset', 'dt_record_pin'), set('dialtone_record_auth', token), ...MENU(s)],
          anti: [transferTo(recordEntry.denied, s.ctx)],
        },
      ],
    },
  ];
}

/**
 * The greeting menu's choices and the three recording steps, once per PBX. A step records for mailbox N only when
 * the call's token is mailbox_N and it was reached as dt_record_greeting_N_<kind>: one regex over both, with a
 * backreference, so a token for one mailbox never records over another's greeting.
 */
export function sharedGreetingExtensions(s: Scope): DialplanExtension[] {
  if (!s.snap.mailboxes.length) return [];
  const out = greetingCheckExtensions(s);
  out.push(
    ...choices(
      CHOICE,
      'dt_record_kind',
      KINDS.map((k) => `dt_record_greeting_\${${MAILBOX_VAR}}_${k}`),
      s,
    ),
  );
  for (const kind of KINDS)
    out.push({
      name: `dt_record_greeting_${kind}`,
      conditions: [
        dest(`^dt_record_greeting_\\d+_${kind}$`),
        {
          field: `${AUTH}/\${destination_number}`,
          expression: `^mailbox_(\\d+)/dt_record_greeting_\\1_${kind}$`,
          actions: recordActions(s, `mailbox-$1-${kind}`, kind === 'name' ? PROMPT.recordName : PROMPT.recordMessage),
          anti: [transferTo(recordEntry.denied, s.ctx)],
        },
      ],
    });
  return out;
}

function attendantExtensions(s: Scope, list: AutoAttendant[]): DialplanExtension[] {
  const start = recordEntry.attendant();
  if (!list.length) return [entry(start, [act('answer'), act('playback', PROMPT.error), hangup('NORMAL_CLEARING')])];
  const pin = digitsOnly(s.snap.pbx.pin);
  const pick =
    list.length === 1
      ? [transferTo(recordEntry.attendant(list[0].id), s.ctx)]
      : [
          act(
            'play_and_get_digits',
            `1 2 3 5000 # ${PROMPT.enterNumber} ${PROMPT.invalid} dt_record_pick ^${oneOf(list.map((_, i) => String(i + 1)))}$ 5000 ${recordEntry.denied}`,
          ),
          transferTo(`${start}_choice`, s.ctx),
        ];
  const out: DialplanExtension[] = [
    entry(start, [act('answer'), act('sleep', '500'), ...pinPrompt(`${start}_pin`, s)]),
    {
      name: `${start}_pin`,
      conditions: [
        dest(`^${start}_pin$`),
        {
          field: '${dt_record_pin}',
          expression: pin ? `^${pin}$` : '^$.',
          actions: [act('unset', 'dt_record_pin'), set('dialtone_record_auth', 'attendants'), ...pick],
          anti: [transferTo(recordEntry.denied, s.ctx)],
        },
      ],
    },
  ];
  if (list.length > 1)
    out.push(
      ...choices(
        `${start}_choice`,
        'dt_record_pick',
        list.map((a) => recordEntry.attendant(a.id)),
        s,
      ),
    );
  for (const a of list)
    out.push({
      name: recordEntry.attendant(a.id),
      conditions: [
        dest(`^${recordEntry.attendant(a.id)}$`),
        {
          field: AUTH,
          expression: `^(attendants|attendant_${a.id})$`,
          actions: recordActions(s, `attendant-${a.id}`, PROMPT.recordMessage),
          anti: [transferTo(recordEntry.denied, s.ctx)],
        },
      ],
    });
  return out;
}

/** Attendants in the order *323 offers them (1 = oldest). */
export const attendantsForRecording = (s: Scope): AutoAttendant[] =>
  [...s.snap.autoAttendants].sort((a, b) => a.id - b.id);

/** Attendant recording (*323) and the shared refusal; mailbox greetings live in each mailbox's file. */
export function recordingExtensions(s: Scope): DialplanExtension[] {
  return [
    ...attendantExtensions(s, attendantsForRecording(s)),
    ...sharedGreetingExtensions(s),
    entry(recordEntry.denied, [act('answer'), act('playback', PROMPT.error), hangup('CALL_REJECTED')]),
  ];
}
