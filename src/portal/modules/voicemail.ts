// Voicemail: the mailboxes the user may open (an employee: their own), a folder's messages in the PBX's time, and
// listen (streamed WAV with byte ranges), download, mark saved / new and delete — all through FreeSWITCH's own
// voicemail (services.voicemail), so the portal, the phone apps and *98 show the same messages.
import type { Request, Response } from 'express';
import { NotFoundError, UnavailableError } from '../../domain/errors';
import { parseRange, rangeResponse } from '../../services/http-range';
import {
  VOICEMAIL_FOLDERS,
  type VoicemailAudio,
  type VoicemailFolder,
  type VoicemailService,
} from '../../services/voicemail';
import { visibleMailbox } from '../../services/voicemail-access';
import { idParam, type Portal, viewer } from '../context';
import { FormView } from '../forms';
import { flash } from '../http';
import { pager } from '../paging';
import { renderPage } from '../render';
import { badgeFor } from '../voicemail-badge';

const BASE = '/voicemail';
const BOX = '/voicemail/mailboxes';
/** Mailboxes per page of the administrator's table (each shown one is counted with a vm_list). */
const BOXES_PER_PAGE = 50;
const PER_PAGE = 50;
const FOLDER_LABEL: Record<VoicemailFolder, string> = { new: 'New', saved: 'Saved' };

/** The service, or — where no event socket is configured — "unavailable" once the mailbox is known to be visible. */
async function service(portal: Portal, res: Response, mailboxId?: number): Promise<VoicemailService> {
  const vm = portal.services.voicemail;
  if (vm) return vm;
  const v = viewer(res);
  if (mailboxId !== undefined) visibleMailbox(v.actor, await portal.services.snapshot(v.pbx.id), mailboxId);
  throw new UnavailableError('voicemail is unavailable: Dialtone has no connection to FreeSWITCH configured');
}

function folderParam(raw: unknown): VoicemailFolder {
  return VOICEMAIL_FOLDERS.includes(raw as VoicemailFolder) ? (raw as VoicemailFolder) : 'new';
}

/** A message id from the URL: FreeSWITCH's uuid, anything else is "no such message". */
function messageParam(req: Request): string {
  const raw = String(req.params.message ?? '');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw))
    throw new NotFoundError('no such message');
  return raw.toLowerCase();
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Voicemail: pick a mailbox and a folder (the manual: "select a folder, and click Submit"). */
export async function index(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  if (typeof req.query.mailbox === 'string' && /^\d{1,15}$/.test(req.query.mailbox)) {
    res.redirect(303, `${BOX}/${req.query.mailbox}?folder=${folderParam(req.query.folder)}`);
    return;
  }
  const vm = await service(portal, res);
  // Every mailbox for the chooser, counts only for the page of the table shown: each count is a vm_list.
  const boxes = await vm.mailboxList(v.actor, v.pbx.id);
  // An employee has one mailbox: straight to it.
  if (!v.isAdmin && boxes.length === 1) {
    res.redirect(303, `${BOX}/${boxes[0]!.id}?folder=new`);
    return;
  }
  const requested = Number.parseInt(String(req.query.page ?? ''), 10) || 1;
  const page = Math.min(Math.max(1, requested), Math.max(1, Math.ceil(boxes.length / BOXES_PER_PAGE)));
  const shown = boxes.slice((page - 1) * BOXES_PER_PAGE, page * BOXES_PER_PAGE);
  const counted = await vm.countsOf(
    v.actor,
    v.pbx.id,
    shown.map((b) => b.id),
  );
  const form = new FormView({ mailbox: boxes[0] ? String(boxes[0].id) : '', folder: 'new' });
  renderPage(
    portal,
    req,
    res,
    'voicemail/index',
    {
      empty: boxes.length === 0,
      fields: {
        mailbox: form.select(
          'mailbox',
          'Mailbox',
          boxes.map((b) => ({ value: String(b.id), label: `${b.number} ${b.name}`.trim() })),
        ),
        folder: form.select(
          'folder',
          'Folder',
          VOICEMAIL_FOLDERS.map((f) => ({ value: f, label: FOLDER_LABEL[f] })),
        ),
      },
      rows: counted.map((b) => ({
        number: b.number,
        name: b.name,
        newCount: b.newCount,
        savedCount: b.savedCount,
        newPath: `${BOX}/${b.id}?folder=new`,
        savedPath: `${BOX}/${b.id}?folder=saved`,
      })),
      pager:
        boxes.length > BOXES_PER_PAGE
          ? pager('/voicemail', '', { total: boxes.length, page, perPage: BOXES_PER_PAGE })
          : null,
    },
    { title: 'Voicemail' },
  );
}

/** One mailbox's folder: the message list with a player, Download, Mark Saved / Mark New and Delete. */
export async function mailbox(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const vm = await service(portal, res, id);
  const folder = folderParam(req.query.folder);
  const page = Math.max(1, Math.min(100_000, Number.parseInt(String(req.query.page ?? ''), 10) || 1));
  // The chooser lists every mailbox; only this one is counted (a vm_list each).
  const boxes = await vm.mailboxList(v.actor, v.pbx.id);
  const [box] = boxes.some((b) => b.id === id) ? await vm.countsOf(v.actor, v.pbx.id, [id]) : [];
  if (!box) throw new NotFoundError('no such mailbox');
  const { total, messages } = await vm.page(v.actor, v.pbx.id, id, folder, (page - 1) * PER_PAGE, PER_PAGE);
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const link = (n: number) => `${BOX}/${id}?folder=${folder}&page=${n}`;
  const back = `${BOX}/${id}?folder=${folder}${page > 1 ? `&page=${page}` : ''}`;
  const form = new FormView({ mailbox: String(id), folder });
  renderPage(
    portal,
    req,
    res,
    'voicemail/mailbox',
    {
      box: { number: box.number, name: box.name },
      folderLabel: FOLDER_LABEL[folder],
      chooser:
        boxes.length > 1
          ? {
              mailbox: form.select(
                'mailbox',
                'Mailbox',
                boxes.map((b) => ({ value: String(b.id), label: `${b.number} ${b.name}`.trim() })),
              ),
              folder: form.select(
                'folder',
                'Folder',
                VOICEMAIL_FOLDERS.map((f) => ({ value: f, label: FOLDER_LABEL[f] })),
              ),
            }
          : null,
      folders: VOICEMAIL_FOLDERS.map((f) => ({
        label: FOLDER_LABEL[f],
        count: f === 'new' ? box.newCount : box.savedCount,
        path: `${BOX}/${id}?folder=${f}`,
        current: f === folder,
      })),
      empty: total === 0,
      rows: messages.map((m) => {
        const base = `${BOX}/${id}/messages/${m.id}`;
        return {
          caller: m.callerName.trim() || (m.callerNumber.trim() ? '' : 'Unknown caller'),
          number: m.callerNumber.trim(),
          date: m.receivedLocal.date,
          time: m.receivedLocal.time,
          weekday: m.receivedLocal.weekday,
          length: duration(m.durationSeconds),
          isNew: m.folder === 'new',
          status: FOLDER_LABEL[m.folder],
          audio: `${base}/audio`,
          download: `${base}/audio?download=1`,
          save: `${base}/save`,
          markNew: `${base}/mark-new`,
          remove: `${base}/delete`,
          back,
        };
      }),
      pager:
        total > PER_PAGE
          ? {
              summary: `Page ${page} of ${pages} (${total.toLocaleString('en-US')} messages)`,
              prev: page > 1 ? link(page - 1) : null,
              next: page < pages ? link(page + 1) : null,
            }
          : null,
    },
    {
      title: `Voicemail ${box.number}`,
      crumbs: v.isAdmin || boxes.length > 1 ? [{ label: 'Voicemail', path: BASE }] : [],
    },
  );
}

/** The message's WAV: played in the page (byte ranges for seeking) or downloaded (?download=1). */
export async function audio(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const vm = await service(portal, res, id);
  const file = await vm.openAudio(v.actor, v.pbx.id, id, messageParam(req));
  await sendVoicemailAudio(req, res, file);
}

/** Streams a message's WAV: whole (200), one byte range (206) or 416; inline for a player, attachment with ?download=1. */
export async function sendVoicemailAudio(req: Request, res: Response, file: VoicemailAudio): Promise<void> {
  const range = parseRange(req.headers.range, file.size);
  const answer = rangeResponse(range, file.size);
  const download = req.query.download === '1';
  res.status(answer.status);
  res.set(answer.headers);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Opened directly, the URL is never a document that could run script.
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Disposition', `${download ? 'attachment' : 'inline'}; filename="${file.fileName}"`);
  if (range.kind === 'unsatisfiable' || req.method === 'HEAD' || file.size === 0) {
    await file.close();
    res.end();
    return;
  }
  const stream = file.stream(range.start, range.end);
  await new Promise<void>((resolve) => {
    // A player that seeks closes the connection mid-file: stop reading then, quietly.
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.once('error', (err) => {
      res.destroy(err);
      resolve();
    });
    stream.pipe(res);
  });
}

type Action = 'save' | 'markNew' | 'delete';
const DONE: Record<Action, string> = {
  save: 'Message marked saved.',
  markNew: 'Message marked new.',
  delete: 'Message deleted.',
};

function act(action: Action) {
  return async (portal: Portal, req: Request, res: Response): Promise<void> => {
    const v = viewer(res);
    const id = idParam(req);
    const vm = await service(portal, res, id);
    const message = messageParam(req);
    if (action === 'save') await vm.markSaved(v.actor, v.pbx.id, id, message);
    else if (action === 'markNew') await vm.markNew(v.actor, v.pbx.id, id, message);
    else await vm.delete(v.actor, v.pbx.id, id, message);
    badgeFor(vm)?.forget(v);
    flash(res, portal.secure, DONE[action]);
    res.redirect(303, backTo(req, id));
  };
}

/** Back to the list the button was on (its folder and page), never anywhere else. */
function backTo(req: Request, id: number): string {
  const raw = typeof req.body?.back === 'string' ? req.body.back : '';
  const m = /^\/voicemail\/mailboxes\/(\d{1,15})\?folder=(new|saved)(&page=\d{1,6})?$/.exec(raw);
  return m && Number(m[1]) === id ? raw : `${BOX}/${id}?folder=new`;
}

export const markSaved = act('save');
export const markNew = act('markNew');
export const remove = act('delete');

/** Unread messages per mailbox for Home (PortalHooks.unreadVoicemail): see VoicemailService.glance. */
export function unreadVoicemailHook(vm: VoicemailService | undefined) {
  if (!vm) return undefined;
  return async (actor: Parameters<VoicemailService['mailboxes']>[0], pbxId: number) =>
    (await vm.glance(actor, pbxId))
      .filter((b) => b.newCount > 0)
      .map((b) => ({ mailbox: b.number, name: b.name, unread: b.newCount }));
}
