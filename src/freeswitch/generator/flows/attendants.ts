// Auto attendants: one mod_dptools IVR menu each (ivr.conf) and the dt_ivr_<id> entry point that runs it.
//
// Timeout: the menu plays the announcement, then waits `timeout` ms for a first key and `inter-digit-timeout` ms
// between keys. With a timeout destination, max-timeouts is 1, so the first silence ends the menu and the `ivr`
// application returns; dt_ivr_<id> then transfers to the timeout destination. Invalid: with an invalid destination,
// max-failures is 1, so the first entry no button or extension answers ends the menu; the `ivr` application has then
// set ivr_menu_status=failure, which dt_ivr_<id>_exit tests (a condition is evaluated when its extension is hunted,
// so the test must be in an extension the call is transferred to after the menu ran). Without an invalid
// destination, invalid entries are told so up to three times, then the call takes the timeout route. Without a
// timeout destination the menu repeats up to three times, says goodbye (exit-sound) and the call ends.
import { ATTENDANT_KEYS, type AutoAttendant } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { memoOn } from '../../../domain/snapshot-memo';
import { compileDestination, entry } from '../entry-points';
import { fsDigits, fsText } from '../escape';
import type { GenerateOptions } from '../options';
import type { Action, ConfSection, Fragment, XMLBuilder } from '../xml';
import {
  alternatives,
  audioFilePath,
  type Condition,
  ctxOf,
  entryCondition,
  extension,
  STOCK_SOUNDS,
  set,
  transfer,
} from './common';

export const attendantMenuName = (snap: PbxSnapshot, a: AutoAttendant): string => `${ctxOf(snap)}_${a.id}`;

/** Uploaded or phone-recorded audio, a mailbox's unavailable greeting (legacy), else a stock prompt. */
export function announcementPath(snap: PbxSnapshot, a: AutoAttendant, opts: GenerateOptions): string {
  const ann = a.announcement;
  let audioId: number | null = null;
  if (ann.source === 'audio') audioId = ann.audioId;
  if (ann.source === 'mailbox')
    audioId = snap.mailboxes.find((m) => m.id === ann.mailboxId)?.unavailableGreetingId ?? null;
  return (
    audioFilePath(snap, opts, audioId) ??
    (a.dialExtensions ? STOCK_SOUNDS.attendantDialExtension : STOCK_SOUNDS.attendantNoDialing)
  );
}

/** Extensions a caller may dial from this attendant (manual: any extension that does not disallow it). */
function dialableExtensions(snap: PbxSnapshot, a: AutoAttendant): string[] {
  if (!a.dialExtensions) return [];
  return snap.extensions.filter((e) => !e.disallowDialByExtension).map((e) => fsDigits(e.number));
}

/** A menu entry runs one application: "transfer dt_x XML ctx" (or a hangup for a dangling target). */
const appLine = (acts: Action[]) => {
  const a = acts[0] ?? { app: 'hangup', data: 'NORMAL_CLEARING' };
  return a.data ? `${a.app} ${a.data}` : a.app;
};

const clampMs = (sec: number, min: number, max: number) => String(Math.min(max, Math.max(min, Math.round(sec))) * 1000);

function dialableSummary(numbers: string[]): { dialable: string; longest: number } {
  let longest = 1;
  for (const n of numbers) longest = Math.max(longest, n.length);
  return { dialable: alternatives(numbers), longest };
}

function buildMenu(parent: XMLBuilder, snap: PbxSnapshot, a: AutoAttendant, opts: GenerateOptions): void {
  const ctx = ctxOf(snap);
  const greeting = announcementPath(snap, a, opts);
  // The same for every attendant that allows dialing extensions: derived once per snapshot (200 attendants of a
  // 10,000-extension PBX rebuilt this 50 kB alternation 200 times).
  const { dialable, longest } = a.dialExtensions
    ? memoOn(snap, 'attendants.dialable', (s) => dialableSummary(dialableExtensions(s, a)))
    : dialableSummary([]);
  const hasTimeout = a.buttons.timeout !== undefined;
  const hasInvalid = a.buttons.invalid !== undefined;
  const attrs: Record<string, string> = {
    name: attendantMenuName(snap, a),
    'greet-long': greeting,
    'greet-short': greeting,
    'invalid-sound': STOCK_SOUNDS.invalid,
  };
  if (!hasTimeout && !hasInvalid) attrs['exit-sound'] = STOCK_SOUNDS.goodbye;
  Object.assign(attrs, {
    timeout: clampMs(a.timeoutSec, 1, 60),
    'inter-digit-timeout': clampMs(a.digitTimeoutSec, 1, 10),
    'max-failures': hasInvalid ? '1' : '3',
    'max-timeouts': hasTimeout ? '1' : '3',
    'digit-len': String(longest),
  });
  const menu = parent.ele('menu', attrs);
  for (const key of ATTENDANT_KEYS) {
    const d = a.buttons[key];
    if (key === 'timeout' || key === 'invalid' || !d) continue;
    menu.ele('entry', { action: 'menu-exec-app', digits: key, param: appLine(compileDestination(d, snap)) });
  }
  // Extensions are 2-6 digits and keys are single characters, so the two never match the same input.
  if (dialable)
    menu.ele('entry', { action: 'menu-exec-app', digits: `/^(${dialable})$/`, param: `transfer $1 XML ${ctx}` });
}

export function ivrConf(snaps: PbxSnapshot[], opts: GenerateOptions): ConfSection {
  return {
    name: 'ivr.conf',
    description: 'IVR menus',
    build: (parent) => {
      const menus = parent.ele('menus');
      for (const snap of snaps)
        for (const a of [...snap.autoAttendants].sort((x, y) => x.id - y.id)) buildMenu(menus, snap, a, opts);
    },
  };
}

/** Where the call goes once the menu has ended: invalid entry → invalid route, else the timeout route (or hang up). */
function exitConditions(snap: PbxSnapshot, a: AutoAttendant, exit: string): Condition[] {
  const timeout = a.buttons.timeout
    ? compileDestination(a.buttons.timeout, snap)
    : [{ app: 'hangup', data: 'NORMAL_CLEARING' }];
  const invalid = a.buttons.invalid ? compileDestination(a.buttons.invalid, snap) : timeout;
  return [
    entryCondition(exit),
    { field: '${ivr_menu_status}', expression: '^failure$', actions: invalid, antiActions: timeout },
  ];
}

export function attendantFiles(snap: PbxSnapshot): Fragment[] {
  const ctx = ctxOf(snap);
  return [...snap.autoAttendants]
    .sort((x, y) => x.id - y.id)
    .map((a) => {
      const name = entry.attendant(a.id);
      const exit = `${name}_exit`;
      const after = a.buttons.invalid
        ? [transfer(exit, ctx)]
        : a.buttons.timeout
          ? compileDestination(a.buttons.timeout, snap)
          : [{ app: 'hangup', data: 'NORMAL_CLEARING' }];
      return {
        path: `dialplan/${ctx}/24_ivr_${a.id}.xml`,
        comment: `Auto attendant "${fsText(a.name)}" (#${a.id}) of PBX ${ctx}, generated by Dialtone`,
        build: (parent) => {
          extension(parent, name, [
            entryCondition(name, [
              { app: 'answer' },
              { app: 'sleep', data: '500' },
              // Lets an "announcement only" mailbox send the caller back here.
              set('dt_return_to', name),
              // "#" is collected as a key only when no key terminates input (the default terminator is "#").
              ...(a.buttons['#'] ? [set('ivr_menu_terminator', 'none')] : []),
              { app: 'ivr', data: attendantMenuName(snap, a) },
              ...after,
            ]),
          ]);
          if (a.buttons.invalid) extension(parent, exit, exitConditions(snap, a, exit));
        },
      };
    });
}
