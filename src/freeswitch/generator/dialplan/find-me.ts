// Find Me (dt_findme_<id>): ring up to 5 locations in turn, each answering party accepts with 1, then the fallback.
// Each location is its own entry point so the caller's choice between locations ("press 1 for voicemail") can branch:
// play_and_get_digits transfers to the next ring step when nothing is pressed and falls through to voicemail on 1.
import type { Extension, FindMeLocation } from '../../../domain/model';
import { compileDestination, entry as entryName } from '../entry-points';
import type { Action } from '../xml';
import { tzName } from './context';
import { act, type Condition, type DialplanExtension, dest, entry, inline, set, transferTo } from './dsl';
import { extensions, mailboxOf, num } from './identity';
import { firstTrunk, trunkDial } from './outbound';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

export const findMeEntry = {
  step: (id: number, k: number) => `${entryName.findMe(id)}_${k}`,
  ring: (id: number, k: number) => `${entryName.findMe(id)}_${k}_ring`,
  fallback: (id: number) => `${entryName.findMe(id)}_fallback`,
};

/** Dial string of one location, or null when it cannot be rung (deleted extension, no trunk for outside numbers). */
function locationDial(s: Scope, owner: Extension, l: FindMeLocation): string | null {
  if (l.type === 'my_extension') return `user/${num(owner.number)}@${s.domain}`;
  if (l.type === 'other_extension') {
    const e = extensions(s.snap).find((x) => x.id === l.extensionId);
    return e ? `user/${num(e.number)}@${s.domain}` : null;
  }
  const trunk = firstTrunk(s.snap);
  const n = num(l.number);
  if (!trunk || !n) return null;
  return trunkDial(s.snap, trunk, n.length === 10 ? `1${n}` : n);
}

/** FreeSWITCH wday: 1 = Sunday … 7 = Saturday. */
function weekdays(saturday: boolean, sunday: boolean): string {
  return [sunday ? '1' : '', '2-6', saturday ? '7' : ''].filter(Boolean).join(',');
}

const hhmm = (t: string): string => (/^([01]\d|2[0-3]):[0-5]\d$/.test(t) ? t : t === '24:00' ? '23:59:59' : '00:00');

/** The recorded-name file of this call (deleted with the temp dir; one per channel uuid). */
const NAME_FILE = '$${temp_dir}/dt_findme_${uuid}.wav';

export function findMeExtensions(s: Scope, e: Extension): DialplanExtension[] {
  const fm = e.findMe;
  const id = e.id;
  const dials = fm.locations
    .slice(0, 5)
    .filter((l) => l.active)
    .map((l) => locationDial(s, e, l))
    .filter((d): d is string => d !== null);
  const fallback = findMeEntry.fallback(id);
  const mailbox = mailboxOf(s.snap, e);
  const voicemail = mailbox ? entryName.mailbox(mailbox.id) : fallback;
  const ringSeconds = Math.max(5, Math.min(120, fm.ringSeconds | 0));

  const confirmFile = fm.recordCallerName
    ? `file_string://${PROMPT.findMeCallFrom}!${NAME_FILE}!${PROMPT.findMeAccept}`
    : PROMPT.findMeAccept;
  const start: Action[] = dials.length
    ? [
        ...(fm.recordCallerName || fm.offerVoicemail ? [act('answer'), act('sleep', '500')] : []),
        ...(fm.recordCallerName ? [act('playback', PROMPT.recordName), act('record', `${NAME_FILE} 5 200 2`)] : []),
        set('hangup_after_bridge', 'true'),
        set('continue_on_fail', 'true'),
        set('ringback', PROMPT.ringback),
        set('transfer_ringback', PROMPT.ringback),
        // The person who answers hears who is calling and must press 1; anything else tries the next location.
        set('group_confirm_key', '1'),
        set('group_confirm_file', confirmFile),
        transferTo(findMeEntry.step(id, 1), s.ctx),
      ]
    : [transferTo(fallback, s.ctx)];

  const gate: Condition = fm.alwaysActive
    ? { actions: start }
    : {
        time: {
          wday: weekdays(fm.includeSaturday, fm.includeSunday),
          'time-of-day': `${hhmm(fm.activeFrom)}-${hhmm(fm.activeTo)}`,
        },
        actions: start,
        anti: [transferTo(fallback, s.ctx)],
      };
  // The active hours are read in the PBX zone: set inline so the time condition below already sees it.
  const zone = inline('set', `timezone=${tzName(s.snap.pbx.timezone)}`);
  const first = dest(`^${entryName.findMe(id)}$`, fm.alwaysActive ? [] : [zone]);
  const out: DialplanExtension[] = [{ name: entryName.findMe(id), conditions: [first, gate] }];

  dials.forEach((dial, i) => {
    const k = i + 1;
    const next = k < dials.length ? findMeEntry.step(id, k + 1) : fallback;
    const ring = [act('bridge', `{leg_timeout=${ringSeconds}}${dial}`), transferTo(next, s.ctx)];
    if (fm.offerVoicemail && k > 1) {
      out.push(
        entry(findMeEntry.step(id, k), [
          act(
            'play_and_get_digits',
            `1 1 1 3000 # ${PROMPT.findMeOfferVoicemail} ${PROMPT.silence} dt_findme_choice ^1$ 3000 ${findMeEntry.ring(id, k)}`,
          ),
          transferTo(voicemail, s.ctx),
        ]),
        entry(findMeEntry.ring(id, k), ring),
      );
    } else out.push(entry(findMeEntry.step(id, k), ring));
  });
  out.push(entry(fallback, compileDestination(fm.fallback, s.snap, { extensionId: id })));
  return out;
}
