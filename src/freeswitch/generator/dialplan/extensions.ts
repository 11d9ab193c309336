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
const BUSY = '^(USER_BUSY|CALL_REJECTED)$';
const OFFLINE = '^(USER_NOT_REGISTERED|SUBSCRIBER_ABSENT|NO_ROUTE_DESTINATION|UNALLOCATED_NUMBER)$';

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
  const result = phoneEntry.result(e.id);
  const usesFindMe = [r.tryFirst, r.ifBusy, r.ifNotAnswered, r.ifOffline].some((d) => d.kind === 'find_me');
  return [
    ...numberAndPhone,
    {
      name: `${result}_busy`,
      conditions: [
        dest(`^${result}$`),
        { field: '${originate_disposition}', expression: BUSY, actions: [transferTo(phoneEntry.busy(e.id), s.ctx)] },
      ],
    },
    {
      name: `${result}_offline`,
      conditions: [
        dest(`^${result}$`),
        {
          field: '${originate_disposition}',
          expression: OFFLINE,
          actions: [transferTo(phoneEntry.offline(e.id), s.ctx)],
        },
      ],
    },
    { name: `${result}_noanswer`, conditions: [dest(`^${result}$`, [transferTo(phoneEntry.noAnswer(e.id), s.ctx)])] },
    entry(phoneEntry.busy(e.id), fallback(s, e, r.ifBusy, 'USER_BUSY')),
    entry(phoneEntry.noAnswer(e.id), fallback(s, e, r.ifNotAnswered, 'NO_ANSWER')),
    entry(phoneEntry.offline(e.id), fallback(s, e, r.ifOffline, 'USER_NOT_REGISTERED')),
    ...(usesFindMe ? findMeExtensions(s, e) : []),
  ];
}

export function extensionFiles(s: Scope): ContextFile[] {
  return extensions(s.snap).map((e) => ({
    file: `20_ext_${num(e.number)}`,
    comment: `Extension ${num(e.number)} (#${e.id}) of PBX ${s.ctx}: its number, phone and routing rules`,
    extensions: extensionExtensions(s, e),
  }));
}
