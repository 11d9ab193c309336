// Playing one voicemail message from the phone apps: the phone dials the play code (check-voicemail code + `*`) and
// hears the message the app chose for it. The trailing `*` keeps the code clear of every other feature: codes are
// `*` + digits and are only ever followed by digits (domain/rules/feature-codes.ts).
//
// The app cannot put a message uuid in a number a phone can dial, so it leaves it in mod_hash first
// (`hash insert/<ctx>-vm_play/<extension>/<box id>:<uuid>` over the event socket) and the entry reads it back under the
// CALLER's own extension (`dialtone_extension` comes from the directory, never from the request), so a phone can
// only ever play what Dialtone chose for that extension. Everything read back is checked by a regex of plain
// characters before use: the box id and uuid, then the WAV path out of vm_fsdb_msg_get's JSON. Proven on
// FreeSWITCH 1.10.12 (test/fixtures/freeswitch/esl/esl-api-vm_list-after-play.txt and the phone-apps e2e test).
import type { FeatureCodes } from '../../../domain/model';
import { act, codeRegex, type DialplanExtension, dest, hangup, inline, set } from './dsl';
import { hashRealm } from './hash-realms';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

const code = (c: string): string => c.replace(/[^0-9*#]/g, '');

/** The number the phone dials to hear the chosen message, or null when the PBX has no check-voicemail code. */
export function voicemailPlayCode(codes: Pick<FeatureCodes, 'checkVoicemail'>): string | null {
  const vm = code(codes.checkVoicemail);
  return vm ? `${vm}*` : null;
}

/** The mod_hash entry the play code reads: realm, key (the caller's extension) and value. */
export function voicemailPlayHashEntry(
  context: string,
  extensionNumber: string,
  voicemailId: string,
  messageUuid: string,
): { realm: string; key: string; value: string } {
  return { realm: hashRealm.vmPlay(context), key: extensionNumber, value: `${voicemailId}:${messageUuid}` };
}

/** The condition that takes the WAV path out of vm_fsdb_msg_get's JSON, only if it is plain characters. */
export const VOICEMAIL_MESSAGE_PATH = '"VM-Message-File-Path":"(/[A-Za-z0-9._/-]+\\.wav)"';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export function voicemailPlayExtension(s: Scope): DialplanExtension | null {
  const play = voicemailPlayCode(s.snap.pbx.featureCodes);
  if (!play) return null;
  const realm = hashRealm.vmPlay(s.ctx);
  return {
    name: 'play_voicemail_message',
    conditions: [
      dest(`^${codeRegex(play)}$`),
      {
        field: '${dialtone_extension}',
        expression: '^(\\d{2,6})$',
        actions: [inline('set', `dt_vm_play=\${hash(select/${realm}/$1)}`)],
      },
      {
        field: '${dt_vm_play}',
        expression: `^((?:vm_)?\\d{2,6}):(${UUID})$`,
        actions: [
          inline('set', 'dt_vm_box=$1'),
          inline('set', 'dt_vm_msg=$2'),
          inline('set', `dt_vm_file=\${vm_fsdb_msg_get(json default ${s.domain} $1 $2)}`),
        ],
      },
      {
        // The path as FreeSWITCH stored it, taken only if it is plain characters (the storage dir is allow-listed).
        field: '${dt_vm_file}',
        expression: VOICEMAIL_MESSAGE_PATH,
        actions: [
          act('answer'),
          act('sleep', '500'),
          act('playback', '$1'),
          // Heard = saved, as on *98: mod_voicemail sends the MWI update itself.
          set('dt_vm_read', `\${vm_read(\${dt_vm_box}@${s.domain} read \${dt_vm_msg})}`),
          hangup('NORMAL_CLEARING'),
        ],
        anti: [act('answer'), act('playback', PROMPT.error), hangup('NORMAL_CLEARING')],
      },
    ],
  };
}
