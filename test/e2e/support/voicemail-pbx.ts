// The PBX the voicemail end-to-end files share (extensions with mailboxes, a shared box, announcement-only and
// dial-during-announcement boxes, an attendant, numbers to them) and helpers reading vm_list and MWI bodies.
import type { PbxBuilder } from './pbx-builder';

/** Object ids by name ('201', 'box201', 'box300', 'attendant', ...), filled by setupVoicemailPbx. */
export type Ids = Record<string, number>;

export const fromCarrier = (to: string) => ({ from: { trunk: true as const, number: '8155550123' }, to });
/** The caller speaks for 5 s, most of it after the greeting and the beep, then hangs up (the message is kept). */
export const leaveMessage = [{ wait: 2500 }, { speak: true as const, ms: 5000 }];

export async function setupVoicemailPbx(b: PbxBuilder, ids: Ids): Promise<void> {
  for (const n of ['201', '202', '203', '210']) {
    const e = await b.extension(n);
    ids[n] = e.id;
    ids[`box${n}`] = e.mailboxId;
  }
  ids.box300 = await b.create('mailboxes', { number: '300', name: 'Shared Box', password: '5309' });
  ids['211'] = (await b.extension('211', { mwiMailboxes: ['300'] })).id;
  ids.box400 = await b.create('mailboxes', {
    number: '400',
    name: 'Hours',
    password: '5309',
    announcementOnly: true,
  });
  ids.box402 = await b.create('mailboxes', {
    number: '402',
    name: 'Terse',
    password: '5309',
    skipInstructions: true,
  });
  await b.create('numbers', { number: '3125550804', routeTo: { kind: 'mailbox', id: ids.box402 } });
  ids.box401 = await b.create('mailboxes', {
    number: '401',
    name: 'Front',
    password: '5309',
    dialDuringAnnouncement: true,
  });
  ids.attendant = await b.create('attendants', {
    name: 'Menu',
    timeoutSec: 10,
    digitTimeoutSec: 1,
    buttons: { '4': { kind: 'mailbox', id: ids.box400 } },
  });
  await b.create('numbers', { number: '3125550801', routeTo: { kind: 'auto_attendant', id: ids.attendant } });
  await b.create('numbers', { number: '3125550802', routeTo: { kind: 'mailbox', id: ids.box401 } });
  await b.create('numbers', { number: '3125550803', routeTo: { kind: 'mailbox', id: ids.box300 } });
}

/** `vm_list` lines: created:read:user:domain:folder:path:uuid:caller name:caller number:seconds. */
export function parseVmList(body: string) {
  if (body.startsWith('-ERR')) return [];
  return body
    .split('\n')
    .filter((l) => /^\d+:\d+:/.test(l))
    .map((l) => {
      const p = l.split(':');
      return {
        createdEpoch: Number(p[0]),
        readEpoch: Number(p[1]),
        folder: p[4],
        path: p[5],
        uuid: p[6],
        callerIdName: p.slice(7, -2).join(':'),
        callerIdNumber: p.at(-2),
        durationSec: Number(p.at(-1)),
      };
    });
}
export const mwi = (body: string) =>
  Object.fromEntries(
    body
      .split(/\r?\n/)
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
