// Feature codes of the PBX (settings, never literals): pickup, intercom, voicemail, directory, parking, recording.
// Fixed codes come first; codes followed by a number use explicit lists of existing numbers, so `*` + mailbox
// (greeting recording) only catches what no other code claims.
// Intercom headers come from the domain: byte for byte what the provisioned phones auto-answer.
import { intercomAlertInfo, intercomCallInfo } from '../../../domain/intercom-headers';
import { entry as entryName } from '../entry-points';
import { fsId } from '../escape';
import { agentExtensions } from './agents';
import {
  act,
  type ContextFile,
  codeRegex,
  type DialplanExtension,
  dest,
  entry,
  hangup,
  oneOf,
  set,
  transferTo,
} from './dsl';
import { hashRealm } from './hash-realms';
import { extensions, num } from './identity';
import { listenLiveExtensions } from './listen-live';
import { companyDirectoryActions } from './mod-directory';
import { recordEntry, recordingExtensions } from './recording';
import type { Scope } from './scope';
import { checkVoicemailConditions } from './voicemail';
import { voicemailPlayExtension } from './voicemail-play';

const code = (c: string): string => c.replace(/[^0-9*#]/g, '');

/** Numbers dialable inside the PBX besides extensions (park slots must not shadow them). */
function takenNumbers(s: Scope): Set<string> {
  return new Set([
    ...extensions(s.snap).map((e) => num(e.number)),
    ...s.snap.conferenceRooms.map((c) => num(c.number)),
    ...s.snap.queues.map((q) => num(q.number)),
  ]);
}

function parkingExtensions(s: Scope): DialplanExtension[] {
  const fc = s.snap.pbx.featureCodes;
  const lot = s.ctx;
  const start = Math.max(1, fc.parkSlotsStart | 0);
  const count = Math.max(0, Math.min(100, fc.parkSlotsCount | 0));
  const taken = takenNumbers(s);
  const slots = Array.from({ length: count }, (_, i) => String(start + i)).filter((n) => !taken.has(n));
  const timeout = String(Math.max(30, Math.min(3600, s.snap.pbx.parkingTimeout | 0)));
  // When nobody retrieves the call, it rings the extension that parked it (dt_park_orbit), never a raw header value.
  const vars = [
    set('valet_parking_timeout', timeout),
    set('valet_parking_orbit_exten', 'dt_park_orbit'),
    set('valet_parking_orbit_dialplan', 'XML'),
    set('valet_parking_orbit_context', s.ctx),
  ];
  const out: DialplanExtension[] = [];
  const park = code(fc.park);
  const slotList = oneOf(slots);
  if (park && slotList)
    out.push({
      name: 'park',
      conditions: [
        dest(`^${codeRegex(park)}$`, [...vars, act('valet_park', `${lot} auto in ${slots[0]} ${slots.at(-1)}`)]),
      ],
    });
  if (slotList)
    out.push({ name: 'park_slots', conditions: [dest(`^${slotList}$`, [...vars, act('valet_park', `${lot} $1`)])] });
  const exts = oneOf(extensions(s.snap).map((e) => num(e.number)));
  out.push({
    name: 'dt_park_orbit',
    conditions: [
      dest('^dt_park_orbit$'),
      exts
        ? {
            field: '${referred_by_user}',
            expression: `^${exts}$`,
            actions: [transferTo('$1', s.ctx)],
            anti: [hangup('NO_ANSWER')],
          }
        : { actions: [hangup('NO_ANSWER')] },
    ],
  });
  return out;
}

function fixedCodes(s: Scope): DialplanExtension[] {
  const fc = s.snap.pbx.featureCodes;
  const out: DialplanExtension[] = [];
  const vm = code(fc.checkVoicemail);
  if (vm) out.push({ name: 'check_voicemail', conditions: checkVoicemailConditions(s, `^${codeRegex(vm)}$`) });
  const play = voicemailPlayExtension(s);
  if (play) out.push(play);
  const dir = code(fc.companyDirectory);
  if (dir)
    out.push({ name: 'company_directory', conditions: [dest(`^${codeRegex(dir)}$`, companyDirectoryActions(s))] });
  const att = code(fc.recordAttendant);
  if (att)
    out.push({
      name: 'record_attendant',
      conditions: [dest(`^${codeRegex(att)}$`, [transferTo(recordEntry.attendant(), s.ctx)])],
    });
  return out;
}

function extensionCodes(s: Scope): DialplanExtension[] {
  const fc = s.snap.pbx.featureCodes;
  const p = s.snap.pbx;
  const out: DialplanExtension[] = [];
  const exts = oneOf(extensions(s.snap).map((e) => num(e.number)));
  if (!exts) return out;
  const pickup = code(fc.directedPickup);
  if (p.directedPickup && pickup)
    out.push({
      name: 'directed_pickup',
      conditions: [
        dest(`^${codeRegex(pickup)}${exts}$`, [
          act('answer'),
          // Only a call that is still ringing (even after a transfer) can be picked up.
          set('intercept_unbridged_only', 'true'),
          act('intercept', `\${hash(select/${hashRealm.lastDial(s.ctx)}/$1)}`),
          act('sleep', '1000'),
          hangup('NORMAL_CLEARING'),
        ]),
      ],
    });
  const intercom = code(fc.intercom);
  if (p.intercom && intercom)
    out.push({
      name: 'intercom',
      conditions: [
        dest(`^${codeRegex(intercom)}${exts}$`, [
          set('dialed_extension', '$1'),
          set('sip_h_Call-Info', intercomCallInfo(s.domain)),
          act('export', `nolocal:alert_info=${intercomAlertInfo(fsId(s.opts.alertInfoHost))}`),
          set('hangup_after_bridge', 'true'),
          act('bridge', `user/$1@${s.domain}`),
        ]),
      ],
    });
  return out;
}

export function featureFiles(s: Scope): ContextFile[] {
  const files: ContextFile[] = [
    {
      file: '10_features',
      comment: `Feature codes of PBX ${s.ctx}`,
      extensions: [...fixedCodes(s), ...extensionCodes(s)],
    },
    { file: '11_listen_live', comment: `Listen live of PBX ${s.ctx}`, extensions: listenLiveExtensions(s) },
    { file: '12_agents', comment: `Queue agent status codes of PBX ${s.ctx}`, extensions: agentExtensions(s) },
    {
      file: '13_recording',
      comment: `Recording attendant greetings by phone (*323), PBX ${s.ctx}`,
      extensions: recordingExtensions(s),
    },
    { file: '30_parking', comment: `Call parking of PBX ${s.ctx}`, extensions: parkingExtensions(s) },
    {
      file: '15_company_directory',
      comment: `Company directory of PBX ${s.ctx}`,
      extensions: [entry(entryName.companyDirectory, companyDirectoryActions(s))],
    },
  ];
  return files.filter((f) => f.extensions.length);
}
