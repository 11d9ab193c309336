// One file per extension: its number, dt_phone_<id> (ring the phone, then busy/no-answer/offline rules) and Find Me.
import type { Destination } from '../../../domain/destination';
import type { Extension } from '../../../domain/model';
import { compileDestination, entry as entryName } from '../entry-points';
import type { Action } from '../xml';
import { hashTransferBindings } from './context';
import { act, type ContextFile, type DialplanExtension, dest, entry, hangup, setAll, transferTo } from './dsl';
import { findMeExtensions } from './find-me';
import { hashRealm } from './hash-realms';
import { extensions, num } from './identity';
import { spiedNumbers } from './listen-live';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

export const phoneEntry = {
  result: (id: number) => `${entryName.phone(id)}_result`,
};

/** What FreeSWITCH reports when the phone could not take the call, mapped to the manual's three cases. */
const BUSY = 'USER_BUSY|CALL_REJECTED';
const OFFLINE = 'USER_NOT_REGISTERED|SUBSCRIBER_ABSENT|NO_ROUTE_DESTINATION|UNALLOCATED_NUMBER';

/** Set by phoneActions: `<extension id>/<if busy>/<if not answered>/<if offline>`, each a dialplan name. */
const ROUTES_VAR = 'dt_phone_routes';
/** Causes a route may end the call with (dt_hangup_<cause>). */
const HANGUP_CAUSES = ['NORMAL_CLEARING', 'USER_BUSY', 'NO_ANSWER', 'USER_NOT_REGISTERED', 'UNALLOCATED_NUMBER'];
const hangupEntry = (cause: string) => `dt_hangup_${cause}`;

/**
 * dt_phone_<id>_result and the routes after it, shared by every extension of the PBX: the failed bridge's
 * disposition picks the busy, offline or no-answer route (tried in that order) out of the routes the extension's
 * phone step set. One field carries the disposition, the routes and the destination; the backreference `\1` ties
 * the routes to the extension being rung, so routes left on the channel by an earlier extension never apply.
 */
function phoneResultExtensions(s: Scope): DialplanExtension[] {
  const routes = `\${${ROUTES_VAR}}/\${destination_number}`;
  const shape = '(\\d+)/([^/]+)/([^/]+)/([^/]+)/dt_phone_\\1_result';
  const on = (name: string, dispositions: string | null, group: 2 | 3 | 4): DialplanExtension => ({
    name,
    conditions: [
      dest('^dt_phone_\\d+_result$'),
      {
        // (?:…) does not capture: $1 stays the id, $2-$4 the routes.
        field: dispositions ? `\${originate_disposition}/${routes}` : routes,
        expression: `^${dispositions ? `(?:${dispositions})/` : ''}${shape}$`,
        actions: [transferTo(`$${group}`, s.ctx)],
      },
    ],
  });
  return [
    on('dt_phone_result_busy', BUSY, 2),
    on('dt_phone_result_offline', OFFLINE, 4),
    on('dt_phone_result_noanswer', null, 3),
    {
      name: 'dt_hangup',
      conditions: [dest(`^dt_hangup_(${HANGUP_CAUSES.join('|')})$`, [hangup('$1')])],
    },
  ];
}

/** A route as one dialplan name: the destination's transfer target, or dt_hangup_<cause>. */
function routeName(s: Scope, e: Extension, d: Destination, cause: string): string {
  // If-busy / if-not-answered / if-offline only apply when try-first is the phone; `phone` there would loop.
  const acts = d.kind === 'phone' ? [hangup(cause)] : compileDestination(d, s.snap, { extensionId: e.id });
  const [a] = acts;
  if (acts.length === 1 && a.app === 'hangup' && HANGUP_CAUSES.includes(a.data ?? '')) return hangupEntry(a.data!);
  const m = acts.length === 1 && a.app === 'transfer' ? /^([^ /]+) XML (\S+)$/.exec(a.data ?? '') : null;
  // compileDestination gives one transfer in this context or a hangup; anything else only comes from a
  // hand-edited row, and ends the call like an unknown destination does.
  return m && m[2] === s.ctx ? m[1] : hangupEntry('UNALLOCATED_NUMBER');
}

/** Ring the extension's phone(s); on failure go to dt_phone_<id>_result, which follows the routes set here. */
export function phoneActions(s: Scope, e: Extension): Action[] {
  const n = num(e.number);
  const r = e.routing;
  const busy = routeName(s, e, r.ifBusy, 'USER_BUSY');
  const out: Action[] = [
    ...setAll([
      ['dialed_extension', n],
      [
        ROUTES_VAR,
        `${e.id}/${busy}/${routeName(s, e, r.ifNotAnswered, 'NO_ANSWER')}/${routeName(s, e, r.ifOffline, 'USER_NOT_REGISTERED')}`,
      ],
    ]),
  ];
  // *8<ext> picks up the caller's channel; listen live finds it and knows the extension is its far side. Each only
  // when the PBX can use it: three hash writes per call and per extension otherwise.
  if (s.snap.pbx.directedPickup) out.push(act('hash', `insert/${hashRealm.lastDial(s.ctx)}/${n}/\${uuid}`));
  if (spiedNumbers(s).has(n))
    out.push(
      act('hash', `insert/${hashRealm.spy(s.ctx)}/${n}/\${uuid}`),
      act('hash', `insert/${hashRealm.spySide(s.ctx)}/${n}/bleg`),
    );
  // Call waiting off: one call at a time; the extension's own calls count too (01_setup).
  if (e.disableCallWaiting) out.push(act('limit', `hash ${s.ctx} ext_${n} 1 ${busy} XML ${s.ctx}`));
  if (e.dialHashToTransfer) out.push(...hashTransferBindings(s, 'b'));
  out.push(
    ...setAll([
      ['call_timeout', String(Math.max(5, Math.min(300, e.secondsToRing | 0)))],
      ['hangup_after_bridge', 'true'],
      ['continue_on_fail', 'true'],
      ['ringback', PROMPT.ringback],
      ['transfer_ringback', PROMPT.ringback],
    ]),
    act('bridge', `user/${n}@${s.domain}`),
    transferTo(phoneEntry.result(e.id), s.ctx),
  );
  return out;
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
  return [...numberAndPhone, ...(usesFindMe ? findMeExtensions(s, e) : [])];
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
    ...exts.map((e) => new ExtensionFile(s, e)),
  ];
}

/**
 * One extension's file. Its comment and entries are made when the file is rendered: made all at once, 10,000
 * extensions' descriptions outlive the young generation, and the GC copies them (and touches fresh pages for them)
 * before they are used once. Getters on the prototype: no closure per file.
 */
class ExtensionFile implements ContextFile {
  readonly file: string;
  constructor(
    private readonly s: Scope,
    private readonly e: Extension,
  ) {
    this.file = `20_ext_${num(e.number)}`;
  }
  get comment(): string {
    return `Extension ${num(this.e.number)} (#${this.e.id}) of PBX ${this.s.ctx}: its number, phone and routing rules`;
  }
  get extensions(): DialplanExtension[] {
    return extensionExtensions(this.s, this.e);
  }
}
