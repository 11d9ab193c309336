// The PBX context file and its set-up extensions: time zone, transfer-proof limits, who is calling, # transfer.
import type { Fragment } from '../xml';
import { act, type ContextFile, type DialplanExtension, dest, inline, oneOf, set } from './dsl';
import { hashRealm } from './hash-realms';
import { extensions, num } from './identity';
import { spiedNumbers } from './listen-live';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

/** dialplan/<context>.xml: the context, pulling in dialplan/<context>/NN_*.xml in name order. */
export function contextFragment(s: Scope): Fragment {
  return {
    path: `dialplan/${s.ctx}.xml`,
    comment: `Dialplan context of PBX ${s.ctx}: extensions, features, mailboxes and call flows in ${s.ctx}/`,
    build: (parent) => {
      parent.ele('context', { name: s.ctx }).ele('X-PRE-PROCESS', { cmd: 'include', data: `${s.ctx}/*.xml` });
    },
  };
}

/** IANA zone names only (FreeSWITCH looks them up in timezones.conf). */
export const tzName = (tz: string): string => tz.replace(/[^A-Za-z0-9_/+-]/g, '');

/** `bind_meta_app` for "dial # to transfer": with meta key #, "#" then the target number (its first digit picks dt_xfer_N). */
export function hashTransferBindings(s: Scope, listen: 'a' | 'b') {
  return [
    set('bind_meta_key', '#'),
    ...Array.from({ length: 10 }, (_, d) =>
      act('bind_meta_app', `${d} ${listen} s execute_extension::dt_xfer_${d} XML ${s.ctx}`),
    ),
  ];
}

export function setupFile(s: Scope): ContextFile {
  const exts = extensions(s.snap);
  const list: DialplanExtension[] = [
    {
      name: 'setup',
      continue: true,
      conditions: [
        {
          actions: [
            // Time conditions (Find Me hours, time frames) are read in the PBX zone; inline so they see it.
            inline('set', `timezone=${tzName(s.snap.pbx.timezone)}`),
            // Transfers between our entry points must not release mod_hash limits (call paths, busy).
            set('limit_ignore_transfer', 'true'),
          ],
        },
      ],
    },
  ];
  // The calling side of a call listen live may join: only extensions listen live can reach need it.
  const all = oneOf([...spiedNumbers(s)]);
  if (all)
    list.push({
      name: 'setup_calling_extension',
      continue: true,
      conditions: [
        {
          field: '${dialtone_extension}',
          expression: `^${all}$`,
          actions: [
            act('hash', `insert/${hashRealm.spy(s.ctx)}/$1/\${uuid}`),
            act('hash', `insert/${hashRealm.spySide(s.ctx)}/$1/aleg`),
          ],
        },
      ],
    });
  const noWaiting = oneOf(exts.filter((e) => e.disableCallWaiting).map((e) => num(e.number)));
  if (noWaiting)
    list.push({
      name: 'setup_no_call_waiting',
      continue: true,
      // A counter only (max -1): the extension's own calls make it busy for calls to it (dt_phone_*).
      conditions: [
        {
          field: '${dialtone_extension}',
          expression: `^${noWaiting}$`,
          actions: [act('limit', `hash ${s.ctx} ext_$1 -1`)],
        },
      ],
    });
  const hashXfer = oneOf(exts.filter((e) => e.dialHashToTransfer).map((e) => num(e.number)));
  if (hashXfer) {
    list.push({
      name: 'setup_hash_transfer',
      continue: true,
      conditions: [
        { field: '${dialtone_extension}', expression: `^${hashXfer}$`, actions: hashTransferBindings(s, 'a') },
      ],
    });
  }
  return { file: '01_setup', comment: `Set-up for every call in PBX ${s.ctx}`, extensions: list };
}

/** dt_xfer_N: after "#" and a first digit N, read the rest of the number and blind-transfer the other party there. */
export function hashTransferFile(s: Scope): ContextFile | null {
  if (!extensions(s.snap).some((e) => e.dialHashToTransfer)) return null;
  return {
    file: '02_hash_transfer',
    comment: `Dial # to transfer, PBX ${s.ctx}`,
    extensions: [
      {
        name: 'dt_xfer',
        conditions: [
          dest('^dt_xfer_([0-9])$', [
            act('read', `0 14 ${PROMPT.silence} dt_xfer_rest 3000 #`),
            act('transfer', `-bleg $1\${dt_xfer_rest} XML ${s.ctx}`),
          ]),
        ],
      },
    ],
  };
}
