// Turns one FreeSWITCH channel record into the call record Dialtone stores, and decides whether Activity counts it.

import type { CallDisposition } from '../../domain/model/call-record';
import { CdrParseError, type RawCdrLeg } from './raw-leg';

// Which legs Dialtone counts. FreeSWITCH posts one record per channel: the caller's leg (a-leg), every leg it
// bridged or originated (b-legs, which carry an originator), and both halves of each loopback channel
// (vanilla voicemail runs on `loopback/voicemail-a|b`). One phone call must be one Activity row, so only a-legs
// that are not loopback legs count; everything else is still parsed and linked by uuid (aLegUuid/bLegUuid) so
// the service can attach details to the counted row, e.g. the voicemail message recorded on a loopback-b leg.

export type LegKind = 'a' | 'b' | 'loopback-a' | 'loopback-b';

export interface CallRecordInput {
  /** Channel uuid of this leg (unique per record). */
  uuid: string;
  kind: LegKind;
  /** True for the one leg per call Activity, Activity Graph and Path Usage count. */
  countsForActivity: boolean;
  /** An a-leg's bridged / originated leg (first one when several were tried). */
  bLegUuid?: string;
  /** A b-leg's or loopback leg's a-leg (the call this record belongs to). */
  aLegUuid?: string;
  /** How Dialtone reports the call: from a trunk into a PBX, from a PBX out to a trunk, or inside the PBX. */
  direction: 'inbound' | 'outbound' | 'local';
  /** FreeSWITCH's own view of the channel (an a-leg is `inbound` even when the call goes out). */
  channelDirection: 'inbound' | 'outbound';
  isLoopbackLeg: boolean;
  /** PBX SIP domain (directory domain), when the record tells it. */
  domain?: string;
  /** Dialplan context the call started in (the PBX context, or `public` for calls from trunks). */
  context: string;
  /** The directory user who placed the call, when it was an authenticated phone. */
  userName?: string;
  callerIdNumber: string;
  callerIdName: string;
  /** The number as first dialed (before any transfer). */
  destinationNumber: string;
  startedAt: Date;
  answeredAt?: Date;
  endedAt: Date;
  durationSec: number;
  billSec: number;
  /** Q.850 name, e.g. NORMAL_CLEARING, USER_BUSY, NO_ANSWER, ORIGINATOR_CANCEL. */
  hangupCause: string;
  /** How the call ended for the person looking at Activity (derived from answer, hang-up cause and voicemail). */
  disposition: CallDisposition;
  /** The directory user the call was last bridged to (`dialed_user`): the extension an incoming call rang. */
  dialedUser?: string;
  /** Who answered, as FreeSWITCH names the other party (callee_id_*, last_sent_callee_id_number). */
  calleeIdNumber?: string;
  calleeIdName?: string;
  /** The number an inbound call came in on, as the generator's public entry noted it (`dt_called_number`). */
  calledNumber?: string;
  /** The caller ID the call presented when it ended: for an outgoing call, the PBX number shown to the callee. */
  presentedNumber?: string;
  /** The route the generator says the call took (`dialtone_route`). */
  route?: string;
  /** Final SIP status FreeSWITCH saw on this leg, e.g. 200 or 486. */
  sipTermStatus?: string;
  /** send_bye, recv_bye, send_refuse, recv_refuse, ... */
  sipHangupDisposition?: string;
  /** Set when a voicemail message was recorded on this leg: mod_voicemail uses the leg's uuid as message uuid. */
  voicemailMessageUuid?: string;
  voicemailMailbox?: string;
  voicemailDomain?: string;
  /** Set by the record-greeting flows: what was recorded (`mailbox-12-busy`, `attendant-3`) and where it was written. */
  phoneRecording?: { what: string; file?: string };
  channelName: string;
  switchname?: string;
  source: 'json_cdr' | 'xml_cdr';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Normalises one parsed leg; throws CdrParseError when the record lacks what every CDR has (uuid, times). */
export function toCallRecord(raw: RawCdrLeg): CallRecordInput {
  const v = (name: string) => nonEmpty(raw.variables.get(name));
  const current = raw.callflow[0]?.callerProfile;
  const original = raw.callflow[raw.callflow.length - 1]?.callerProfile;
  const profile = (name: string) => nonEmpty(original?.fields.get(name));

  const uuid = v('uuid') ?? nonEmpty(current?.fields.get('uuid'));
  if (!uuid || !UUID.test(uuid)) throw new CdrParseError('record has no channel uuid');

  const times = raw.callflow[raw.callflow.length - 1]?.times;
  const startedAt = instant(v('start_uepoch'), v('start_epoch'), times?.get('created_time'));
  const endedAt = instant(v('end_uepoch'), v('end_epoch'), raw.callflow[0]?.times.get('hangup_time'));
  if (!startedAt || !endedAt) throw new CdrParseError('record has no start or end time');
  const answeredAt = instant(v('answer_uepoch'), v('answer_epoch'), undefined);

  const channelName = v('channel_name') ?? profile('chan_name') ?? '';
  const isLoopbackLeg =
    v('is_loopback') === '1' || channelName.startsWith('loopback/') || profile('source') === 'mod_loopback';
  const originator =
    v('originating_leg_uuid') ??
    v('originator') ??
    current?.originatorUuids.find((u) => u) ??
    original?.originatorUuids.find((u) => u);
  const loopbackLeg = v('loopback_leg');
  const kind: LegKind = isLoopbackLeg
    ? loopbackLeg === 'B' || (!loopbackLeg && !originator)
      ? 'loopback-b'
      : 'loopback-a'
    : originator
      ? 'b'
      : 'a';

  const aLegUuid =
    kind === 'loopback-b'
      ? v('other_loopback_from_uuid')
      : kind === 'loopback-a'
        ? (v('loopback_from_uuid') ?? originator)
        : kind === 'b'
          ? originator
          : undefined;
  const bLegUuid = kind === 'a' ? (v('bridge_uuid') ?? v('last_bridge_to') ?? firstOriginated(raw)) : undefined;

  const context = profile('context') ?? v('user_context') ?? '';
  const userName = v('user_name');
  const direction = callDirection(raw, context, userName);
  const profileNumber = profile('caller_id_number') ?? '';
  const profileName = profile('caller_id_name') ?? '';
  // A PBX user's configured name beats what the phone put in its From header; a trunk's CNAM is kept as sent.
  const callerIdName =
    direction !== 'inbound' && userName ? (v('effective_caller_id_name') ?? profileName) : profileName;

  const voicemailRecorded = v('voicemail_file_path') !== undefined || v('voicemail_message_len') !== undefined;
  const channelDirection = (v('direction') ?? raw.channelData.get('direction')) === 'outbound' ? 'outbound' : 'inbound';
  const skip = v('dialtone_skip_activity') === 'true';
  const hangupCause = v('hangup_cause') ?? 'UNKNOWN';
  const bridgedTo = v('current_application_data') ?? v('last_arg') ?? '';
  const toVoicemail = voicemailRecorded || /^loopback\/app=voicemail:/.test(bridgedTo);

  return {
    uuid,
    kind,
    countsForActivity: kind === 'a' && !skip,
    ...(bLegUuid && { bLegUuid }),
    ...(aLegUuid && { aLegUuid }),
    direction,
    channelDirection,
    isLoopbackLeg,
    ...optional('domain', v('domain_name') ?? v('dialed_domain') ?? v('voicemail_domain')),
    context,
    ...optional('userName', userName),
    callerIdNumber: profileNumber,
    callerIdName,
    destinationNumber: profile('destination_number') ?? v('destination_number') ?? '',
    startedAt,
    ...(answeredAt && { answeredAt }),
    endedAt,
    durationSec: seconds(v('duration'), startedAt, endedAt),
    billSec: seconds(v('billsec'), answeredAt ?? endedAt, endedAt),
    hangupCause,
    disposition: dispositionOf(answeredAt !== undefined, hangupCause, toVoicemail),
    ...optional('dialedUser', v('dialed_user')),
    ...optional('calleeIdNumber', v('callee_id_number') ?? v('last_sent_callee_id_number')),
    ...optional('calleeIdName', v('callee_id_name')),
    ...optional('calledNumber', v('dt_called_number')),
    ...optional('presentedNumber', v('effective_caller_id_number')),
    ...optional('route', v('dialtone_route')),
    ...optional('sipTermStatus', v('sip_term_status')),
    ...optional('sipHangupDisposition', v('sip_hangup_disposition')),
    ...(voicemailRecorded && { voicemailMessageUuid: uuid }),
    ...optional('voicemailMailbox', voicemailRecorded ? v('voicemail_account') : undefined),
    ...optional('voicemailDomain', voicemailRecorded ? v('voicemail_domain') : undefined),
    ...(v('dialtone_recorded') && {
      phoneRecording: { what: v('dialtone_recorded') as string, ...optional('file', v('dialtone_recorded_file')) },
    }),
    channelName,
    ...optional('switchname', raw.switchname),
    source: raw.source,
  };
}

const NOT_ANSWERED = new Set(['NO_ANSWER', 'NO_USER_RESPONSE', 'ORIGINATOR_CANCEL', 'ALLOTTED_TIMEOUT']);

/** Voicemail first (the a-leg is answered by voicemail too), then answered, busy, not answered, anything else failed. */
export function dispositionOf(answered: boolean, hangupCause: string, toVoicemail: boolean): CallDisposition {
  if (toVoicemail) return 'voicemail';
  if (answered) return 'answered';
  if (hangupCause === 'USER_BUSY') return 'busy';
  return NOT_ANSWERED.has(hangupCause) ? 'no_answer' : 'failed';
}

// The generator may state the direction outright (variable dialtone_direction); otherwise it is inferred:
// calls that started in `public` came from a trunk, calls that reached a gateway went out, the rest are local.
function callDirection(raw: RawCdrLeg, context: string, userName: string | undefined): CallRecordInput['direction'] {
  const stated = raw.variables.get('dialtone_direction');
  if (stated === 'inbound' || stated === 'outbound' || stated === 'local') return stated;
  if (context === 'public' && !userName) return 'inbound';
  const targets = [
    raw.variables.get('bridge_channel'),
    raw.variables.get('last_arg'),
    raw.variables.get('originated_legs'),
    ...raw.callflow.flatMap((f) => f.callerProfile.originatees.map((o) => o.channelName)),
  ];
  if (targets.some((t) => t !== undefined && /(^|[\s|:;,}\]])sofia\/(gateway|external)\//.test(t))) return 'outbound';
  return 'local';
}

// originated_legs is `ARRAY::uuid;name;number|:uuid;...` (or without ARRAY:: when only one leg was tried).
function firstOriginated(raw: RawCdrLeg): string | undefined {
  const legs = raw.variables.get('originated_legs');
  const fromVar = legs
    ?.replace(/^ARRAY::/, '')
    .split('|:')[0]
    ?.split(';')[0];
  if (fromVar && UUID.test(fromVar)) return fromVar;
  return raw.callflow.flatMap((f) => f.callerProfile.originatees.map((o) => o.uuid)).find((u) => UUID.test(u));
}

function instant(
  uepoch: string | undefined,
  epoch: string | undefined,
  profileMicros: string | undefined,
): Date | undefined {
  for (const [value, unitMs] of [
    [uepoch, 1e-3],
    [epoch, 1000],
    [profileMicros, 1e-3],
  ] as const) {
    if (value !== undefined && /^\d{1,17}$/.test(value) && Number(value) > 0)
      return new Date(Math.floor(Number(value) * unitMs));
  }
  return undefined;
}

function seconds(value: string | undefined, from: Date, to: Date): number {
  if (value !== undefined && /^\d{1,10}$/.test(value)) return Number(value);
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
