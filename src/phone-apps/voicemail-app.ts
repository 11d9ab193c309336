// Visual voicemail on the phone: mailboxes -> folders (new, saved) -> a page of messages -> one message with
// Play, Save / Mark new, Delete (asked twice) and Call back. Play leaves the message in FreeSWITCH's hash and has
// the phone dial the play code (voicemail-play.ts), so the phone hears exactly that message.
import { NotFoundError } from '../domain/errors';
import { localTime } from '../services/pbx-time';
import type { VoicemailFolder, VoicemailMessageView } from '../services/voicemail';
import type { AppContext } from './context';
import { dial, EXIT, type Screen, type SoftKey } from './screen';
import { duration } from './text';

const FOLDER_TITLE: Record<VoicemailFolder, string> = { new: 'New messages', saved: 'Saved messages' };

function number(segment: string | undefined): number {
  if (!segment || !/^\d{1,9}$/.test(segment)) throw new NotFoundError('no such page');
  return Number(segment);
}

function folder(segment: string | undefined): VoicemailFolder {
  if (segment === 'new' || segment === 'saved') return segment;
  throw new NotFoundError('no such folder');
}

/** "10:42 Zoë O'Hara" today, "12-03 10:42 …" before (both in the PBX's time zone). */
function messageLabel(m: VoicemailMessageView, today: string): string {
  const when =
    m.receivedLocal.date === today ? m.receivedLocal.time : `${m.receivedLocal.date.slice(5)} ${m.receivedLocal.time}`;
  const who = m.callerName.trim() || m.callerNumber.trim() || 'Unknown caller';
  return `${when} ${who}`;
}

export async function voicemailApp(ctx: AppContext, segments: string[], now: Date): Promise<Screen> {
  const vm = ctx.services.voicemail;
  const pbxId = ctx.snap.pbx.id;
  const [boxSeg, second, third, fourth, fifth] = segments;
  if (boxSeg === undefined) {
    const boxes = await vm.mailboxes(ctx.viewer, pbxId);
    if (boxes.length === 0)
      return {
        type: 'text',
        title: 'Voicemail',
        lines: ['This phone has no voice mailbox.'],
        softkeys: [{ label: 'Exit', target: EXIT }],
      };
    if (boxes.length === 1) return folders(ctx, boxes[0]!.id, false);
    return {
      type: 'menu',
      title: 'Voicemail',
      items: boxes.map((b) => ({
        label: `${b.number} ${b.name} (${b.newCount} new)`,
        target: ctx.go(`voicemail/${b.id}`),
      })),
      softkeys: [{ label: 'Exit', target: EXIT }],
    };
  }
  const boxId = number(boxSeg);
  if (second === undefined) return folders(ctx, boxId, true);
  if (second !== 'msg') {
    const page = third === undefined ? 1 : number(third);
    if (page < 1) throw new NotFoundError('no such page');
    return list(ctx, boxId, folder(second), page, now);
  }

  const id = third ?? '';
  const base = `voicemail/${boxId}/msg/${id}`;
  if (fourth === undefined) return detail(ctx, boxId, id);
  const message = await vm.message(ctx.viewer, pbxId, boxId, id);
  switch (fourth) {
    case 'play': {
      const primary = ctx.device.extensionIds[0];
      if (primary === undefined) throw new NotFoundError('this phone has no line');
      const code = await vm.preparePlay(ctx.viewer, pbxId, boxId, message.id, primary);
      return {
        type: 'dial',
        title: 'Play message',
        number: code,
        lines: ['Your phone calls the mailbox', 'and plays this message.'],
        softkeys: [{ label: 'Back', target: ctx.go(base) }],
      };
    }
    case 'save':
      await vm.markSaved(ctx.viewer, pbxId, boxId, message.id);
      return list(ctx, boxId, message.folder, 1, now);
    case 'new':
      await vm.markNew(ctx.viewer, pbxId, boxId, message.id);
      return list(ctx, boxId, message.folder, 1, now);
    case 'delete':
      if (fifth === 'yes') {
        await vm.delete(ctx.viewer, pbxId, boxId, message.id);
        return list(ctx, boxId, message.folder, 1, now);
      }
      return {
        type: 'text',
        title: 'Delete message?',
        lines: [
          `${message.callerName || message.callerNumber || 'Unknown caller'}`,
          `${message.receivedLocal.date} ${message.receivedLocal.time}`,
        ],
        softkeys: [
          { label: 'Delete', target: ctx.go(`${base}/delete/yes`) },
          { label: 'Cancel', target: ctx.go(base) },
        ],
      };
    default:
      throw new NotFoundError('no such page');
  }
}

async function folders(ctx: AppContext, boxId: number, back: boolean): Promise<Screen> {
  const boxes = await ctx.services.voicemail.mailboxes(ctx.viewer, ctx.snap.pbx.id);
  const box = boxes.find((b) => b.id === boxId);
  if (!box) throw new NotFoundError('no such mailbox');
  return {
    type: 'menu',
    title: `Voicemail ${box.number}`,
    items: [
      { label: `${FOLDER_TITLE.new} (${box.newCount})`, target: ctx.go(`voicemail/${box.id}/new`) },
      { label: `${FOLDER_TITLE.saved} (${box.savedCount})`, target: ctx.go(`voicemail/${box.id}/saved`) },
    ],
    softkeys:
      back && boxes.length > 1
        ? [
            { label: 'Back', target: ctx.go('voicemail') },
            { label: 'Exit', target: EXIT },
          ]
        : [{ label: 'Exit', target: EXIT }],
  };
}

async function list(ctx: AppContext, boxId: number, f: VoicemailFolder, page: number, now: Date): Promise<Screen> {
  const size = ctx.limits.itemsPerPage;
  const { total, messages } = await ctx.services.voicemail.page(
    ctx.viewer,
    ctx.snap.pbx.id,
    boxId,
    f,
    (page - 1) * size,
    size,
  );
  const pages = Math.max(1, Math.ceil(total / size));
  if (page > pages) throw new NotFoundError('no such page');
  const today = localTime(now.getTime(), ctx.snap.pbx.timezone).date;
  const softkeys: SoftKey[] = [];
  if (page < pages) softkeys.push({ label: 'More', target: ctx.go(`voicemail/${boxId}/${f}/${page + 1}`) });
  if (page > 1) softkeys.push({ label: 'Prev', target: ctx.go(`voicemail/${boxId}/${f}/${page - 1}`) });
  softkeys.push({ label: 'Back', target: ctx.go(`voicemail/${boxId}`) }, { label: 'Exit', target: EXIT });
  if (total === 0) return { type: 'text', title: FOLDER_TITLE[f], lines: ['No messages.'], softkeys };
  return {
    type: 'menu',
    title: pages > 1 ? `${FOLDER_TITLE[f]} ${page}/${pages}` : `${FOLDER_TITLE[f]} (${total})`,
    items: messages.map((m) => ({ label: messageLabel(m, today), target: ctx.go(`voicemail/${boxId}/msg/${m.id}`) })),
    softkeys,
  };
}

async function detail(ctx: AppContext, boxId: number, id: string): Promise<Screen> {
  const m = await ctx.services.voicemail.message(ctx.viewer, ctx.snap.pbx.id, boxId, id);
  const base = `voicemail/${boxId}/msg/${m.id}`;
  const softkeys: SoftKey[] = [{ label: 'Play', target: ctx.go(`${base}/play`) }];
  softkeys.push(
    m.folder === 'new'
      ? { label: 'Save', target: ctx.go(`${base}/save`) }
      : { label: 'Mark new', target: ctx.go(`${base}/new`) },
  );
  softkeys.push({ label: 'Delete', target: ctx.go(`${base}/delete`) });
  if (m.callBack) softkeys.push({ label: 'Call back', target: dial(m.callBack) });
  softkeys.push({ label: 'Back', target: ctx.go(`voicemail/${boxId}/${m.folder}`) });
  return {
    type: 'text',
    title: m.folder === 'new' ? 'New message' : 'Saved message',
    lines: [
      `From: ${m.callerName.trim() || 'Unknown caller'}`,
      `Number: ${m.callerNumber.trim() || 'unknown'}`,
      `${m.receivedLocal.weekday} ${m.receivedLocal.date} ${m.receivedLocal.time}`,
      `Length: ${duration(m.durationSeconds)}`,
    ],
    softkeys,
  };
}
