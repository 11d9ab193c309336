// One file per extension: its number, dt_phone_<id> (ring the phone, then busy/no-answer/offline rules) and Find Me.
import type { Destination } from '../../../domain/destination';
import type { Extension } from '../../../domain/model';
import { compileDestination, entry as entryName } from '../entry-points';
import type { Action } from '../xml';
import { hashRealm, hashTransferBindings } from './context';
import { act, type ContextFile, type DialplanExtension, dest, entry, hangup, set, transferTo } from './dsl';
import { findMeExtensions } from './find-me';
import { extensions, num } from './identity';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

export const phoneEntry = {
  result: (id: number) => `${entryName.phone(id)}_result`,
  busy: (id: number) => `${entryName.phone(id)}_busy`,
  noAnswer: (id: number) => `${entryName.phone(id)}_noanswer`,
  offline: (id: number) => `${entryName.phone(id)}_offline`,
};

/** What FreeSWITCH reports when the phone could not take the call, mapped to the manual's three cases. */
const BUSY = 'USER_BUSY|CALL_REJECTED';
const OFFLINE = 'USER_NOT_REGISTERED|SUBSCRIBER_ABSENT|NO_ROUTE_DESTINATION|UNALLOCATED_NUMBER';

/**
 * dt_phone_<id>_result, shared by every extension of the PBX: the failed bridge's disposition picks the extension's
 * busy, offline or no-answer route (tried in that order). The id comes from the destination itself, read together
 * with the disposition in one field (mod_dialplan_xml expands any field with a `$`), so `$1` is the id.
 */
function phoneResultExtensions(s: Scope): DialplanExtension[] {
  const result = '^dt_phone_(\\d+)_result$';
  const on = (name: string, dispositions: string, to: 'busy' | 'offline'): DialplanExtension => ({
    name,
    conditions: [
      dest('^dt_phone_\\d+_result$'),
      {
        field: '${originate_disposition}/${destination_number}',
        expression: `^(?:${dispositions})/dt_phone_(\\d+)_result$`,
        actions: [transferTo(`dt_phone_$1_${to}`, s.ctx)],
      },
    ],
  });
  return [
    on('dt_phone_result_busy', BUSY, 'busy'),
    on('dt_phone_result_offline', OFFLINE, 'offline'),
    { name: 'dt_phone_result_noanswer', conditions: [dest(result, [transferTo('dt_phone_$1_noanswer', s.ctx)])] },
  ];
}

/** Ring the extension's phone(s); on failure go to dt_phone_<id>_result. */
export function phoneActions(s: Scope, e: Extension): Action[] {
  const n = num(e.number);
  const out: Action[] = [
    set('dialed_extension', n),
    // *8<ext> picks up the caller's channel; listen live finds it and knows the extension is its far side.
    act('hash', `insert/${hashRealm.lastDial(s.ctx)}/${n}/\${uuid}`),
    act('hash', `insert/${hashRealm.spy(s.ctx)}/${n}/\${uuid}`),
    act('hash', `insert/${hashRealm.spySide(s.ctx)}/${n}/bleg`),
  ];
  // Call waiting off: one call at a time; the extension's own calls count too (01_setup).
  if (e.disableCallWaiting) out.push(act('limit', `hash ${s.ctx} ext_${n} 1 ${phoneEntry.busy(e.id)} XML ${s.ctx}`));
  if (e.dialHashToTransfer) out.push(...hashTransferBindings(s, 'b'));
  out.push(
    set('call_timeout', String(Math.max(5, Math.min(300, e.secondsToRing | 0)))),
    set('hangup_after_bridge', 'true'),
    set('continue_on_fail', 'true'),
    set('ringback', PROMPT.ringback),
    set('transfer_ringback', PROMPT.ringback),
    act('bridge', `user/${n}@${s.domain}`),
    transferTo(phoneEntry.result(e.id), s.ctx),
  );
  return out;
}

/** If-busy / if-not-answered / if-offline only apply when try-first is the phone; `phone` there would loop. */
function fallback(s: Scope, e: Extension, d: Destination, cause: string): Action[] {
  if (d.kind === 'phone') return [hangup(cause)];
  return compileDestination(d, s.snap, { extensionId: e.id });
}

function extensionExtensions(s: Scope, e: Extension): DialplanExtension[] {
  const n = num(e.number);
  const r = e.routing;
  const phone = entryName.phone(e.id);
  // Try first = phone: the number and dt_phone_<id> are one extension (the CDR keeps the dialed number).
  const numberAndPhone: DialplanExtension[] =
    r.tryFirst.kind === 'phone'
      ? [{ name: `extension_${n}`, conditions: [dest(`^(?:${n}|${phone})$`, phoneActions(s, e))] }]
      : [
          {
            name: `extension_${n}`,
            conditions: [dest(`^${n}$`, compileDestination(r.tryFirst, s.snap, { extensionId: e.id }))],
          },
          entry(phone, phoneActions(s, e)),
        ];
  const usesFindMe = [r.tryFirst, r.ifBusy, r.ifNotAnswered, r.ifOffline].some((d) => d.kind === 'find_me');
  return [
    ...numberAndPhone,
    entry(phoneEntry.busy(e.id), fallback(s, e, r.ifBusy, 'USER_BUSY')),
    entry(phoneEntry.noAnswer(e.id), fallback(s, e, r.ifNotAnswered, 'NO_ANSWER')),
    entry(phoneEntry.offline(e.id), fallback(s, e, r.ifOffline, 'USER_NOT_REGISTERED')),
    ...(usesFindMe ? findMeExtensions(s, e) : []),
  ];
}

export function extensionFiles(s: Scope): ContextFile[] {
  const exts = extensions(s.snap);
  if (!exts.length) return [];
  return [
    {
      file: '19_phone_results',
      comment: `Busy / offline / no answer after ringing a phone, PBX ${s.ctx}`,
      extensions: phoneResultExtensions(s),
    },
    ...exts.map((e) => ({
      file: `20_ext_${num(e.number)}`,
      comment: `Extension ${num(e.number)} (#${e.id}) of PBX ${s.ctx}: its number, phone and routing rules`,
      extensions: extensionExtensions(s, e),
    })),
  ];
}
