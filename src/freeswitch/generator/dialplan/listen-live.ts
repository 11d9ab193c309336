// Listen live (*33 + extension) and barge (*34 + extension): gated by mode, listener and listenable lists, numeric PIN.
// The PIN is collected first; a second entry checks it (and the lists again) while hunting, so dialing that entry
// directly gets nowhere. The target channel comes from the spymap hash the phone entry points keep up to date.
import { memoOn } from '../../../domain/snapshot-memo';
import type { Action } from '../xml';
import { act, codeRegex, type DialplanExtension, dest, hangup, oneOf, set, transferTo } from './dsl';
import { hashRealm } from './hash-realms';
import { extensions, num } from './identity';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

type Mode = 'listen' | 'barge';

const numbersOf = (s: Scope, ids: number[]): string[] =>
  extensions(s.snap)
    .filter((e) => ids.includes(e.id))
    .map((e) => num(e.number));

function modeExtensions(
  s: Scope,
  mode: Mode,
  featureCode: string,
  listeners: string,
  targets: string,
  pin: string,
): DialplanExtension[] {
  const c = codeRegex(featureCode);
  const extensionNumbers = oneOf(extensions(s.snap).map((e) => num(e.number))) as string;
  const verify = `dt_${mode}_live`;
  const reject = [hangup('CALL_REJECTED')];
  const spy = `\${hash(select/${hashRealm.spy(s.ctx)}/$1)}`;
  const how: Action[] =
    mode === 'listen'
      ? [set('eavesdrop_enable_dtmf', 'false')]
      : // Barge: speak to the extension dialed (its side of the call is a or b leg of the spied channel).
        [
          set('eavesdrop_enable_dtmf', 'true'),
          set(`eavesdrop_whisper_\${hash(select/${hashRealm.spySide(s.ctx)}/$1)}`, 'true'),
        ];
  return [
    {
      name: `${mode}_live`,
      conditions: [
        // Code + an extension number, not code + any digits: the validator lets `*` + mailbox and other codes use
        // every other string (src/domain/rules/feature-codes.ts), so this must not swallow them.
        dest(`^${c}${extensionNumbers}$`),
        { field: '${dialtone_extension}', expression: `^${listeners}$`, anti: reject },
        dest(
          `^${c}${targets}$`,
          [
            act('answer'),
            set('dt_live_target', '$1'),
            act('unset', 'dt_live_pin'),
            act(
              'play_and_get_digits',
              `3 12 3 7000 # ${PROMPT.enterPin} ${PROMPT.invalid} dt_live_pin ^\\d+$ 5000 dt_live_denied`,
            ),
            transferTo(verify, s.ctx),
          ],
          reject,
        ),
      ],
    },
    {
      name: verify,
      conditions: [
        dest(`^${verify}$`),
        { field: '${dt_live_pin}', expression: `^${pin}$`, anti: [transferTo('dt_live_denied', s.ctx)] },
        { field: '${dialtone_extension}', expression: `^${listeners}$`, anti: reject },
        {
          field: '${dt_live_target}',
          expression: `^${targets}$`,
          actions: [act('unset', 'dt_live_pin'), ...how, act('eavesdrop', spy), hangup('NORMAL_CLEARING')],
          anti: reject,
        },
      ],
    },
  ];
}

/**
 * Numbers of the extensions listen live can reach: only their calls need to be written to the spy hashes (by the
 * phone entry point and the calling-extension set-up). Empty when listen live cannot be used at all.
 */
export function spiedNumbers(s: Scope): ReadonlySet<string> {
  return memoOn(s.snap, 'listenLive.spied', () => {
    if (!listenLiveExtensions(s).length) return new Set<string>();
    return new Set(numbersOf(s, s.snap.listenLive?.listenableIds ?? []));
  });
}

export function listenLiveExtensions(s: Scope): DialplanExtension[] {
  const ll = s.snap.listenLive;
  if (!ll || ll.mode === 'off') return [];
  const listeners = oneOf(numbersOf(s, ll.listenerIds));
  const targets = oneOf(numbersOf(s, ll.listenableIds));
  const pin = ll.password.replace(/\D/g, '');
  if (!listeners || !targets || pin.length < 3) return [];
  const fc = s.snap.pbx.featureCodes;
  const out: DialplanExtension[] = [];
  const listen = fc.listenLive.replace(/[^0-9*#]/g, '');
  const barge = fc.bargeIn.replace(/[^0-9*#]/g, '');
  if ((ll.mode === 'listen' || ll.mode === 'both') && listen)
    out.push(...modeExtensions(s, 'listen', listen, listeners, targets, pin));
  if ((ll.mode === 'barge' || ll.mode === 'both') && barge)
    out.push(...modeExtensions(s, 'barge', barge, listeners, targets, pin));
  if (out.length)
    out.push({
      name: 'dt_live_denied',
      conditions: [dest('^dt_live_denied$', [act('playback', PROMPT.error), hangup('CALL_REJECTED')])],
    });
  return out;
}
