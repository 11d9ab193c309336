// Greetings recorded by phone: what the dialplan names a recording, and where FreeSWITCH writes it.
//
// The record-greeting flows (generator/dialplan/recording.ts) write `<audioDir>/<context>/phone-<what>-<uuid>.wav` and put
// `<what>` in the call's dialtone_recorded variable; Dialtone reads `<what>` back from the call record and imports the
// file (services/phone-recordings.ts). The path is always rebuilt from `<what>` here, never taken from a call record.

export const GREETING_KINDS = ['unavailable', 'busy', 'name'] as const;
export type GreetingKind = (typeof GREETING_KINDS)[number];

export type PhoneRecordingTarget =
  | { kind: 'mailbox'; mailboxId: number; greeting: GreetingKind }
  | { kind: 'attendant'; attendantId: number };

const WHAT = /^(?:mailbox-([1-9]\d{0,9})-(unavailable|busy|name)|attendant-([1-9]\d{0,9}))$/;

/** What a recording is for, from its `<what>` (e.g. `mailbox-12-busy`, `attendant-3`); null for anything else. */
export function parsePhoneRecording(what: string): PhoneRecordingTarget | null {
  const m = WHAT.exec(what);
  if (!m) return null;
  if (m[3]) return { kind: 'attendant', attendantId: Number(m[3]) };
  return { kind: 'mailbox', mailboxId: Number(m[1]), greeting: m[2] as GreetingKind };
}

/** The `<what>` of a target (the inverse of parsePhoneRecording). */
export function phoneRecordingWhat(t: PhoneRecordingTarget): string {
  return t.kind === 'attendant' ? `attendant-${t.attendantId}` : `mailbox-${t.mailboxId}-${t.greeting}`;
}

/**
 * File name of a recording: one per call (`call` is the recording channel's uuid), so a caller who hangs up before
 * the beep leaves no file rather than an older one, and nothing FreeSWITCH recorded is ever overwritten. It is also
 * the stored name in Dialtone, so both hosts agree on the path. In the dialplan `call` is `${uuid}`.
 */
export function phoneRecordingName(what: string, call: string): string {
  return `phone-${what}-${call}.wav`;
}

/** Where FreeSWITCH writes it: `<audioDir>/<context>/phone-<what>-<call>.wav`. `what` may hold captures ($1). */
export function phoneRecordingPath(audioDir: string, context: string, what: string, call: string): string {
  return `${audioDir.replace(/\/+$/, '')}/${context}/${phoneRecordingName(what, call)}`;
}

/** True for a stored name phoneRecordingName makes (FreeSWITCH recorded that file; one per call). */
export function isPhoneRecordingName(name: string): boolean {
  return /^phone-.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.wav$/i.test(name);
}

/** The channel variable the dialplan names the call with. */
export const CALL_UUID_VARIABLE = '${uuid}';
