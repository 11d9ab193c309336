// Recordings and Greeting of a mailbox (manual: Mailboxes, Voicemail Configuration, Extensions → Voice Mailbox): for
// each of Unavailable Message, Busy Message and Your Name a Play button (the current recording), an upload with a
// progress bar, "record by phone" (the feature code, and a Record button that rings the user's phone) and going back
// to the default. One block (templates/portal/partials/greetings.hbs), used by the mailbox pages and the extension page.
import type { Request, Response } from 'express';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { AudioFile, Mailbox } from '../../domain/model';
import { SYSTEM } from '../../services/actor';
import { GREETING_KINDS, type GreetingKind } from '../../services/audio-uploads';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { flash } from '../http';
import { receiveAudioUpload, sendStoredAudio, UploadAbortedError } from '../uploads';

export { GREETING_KINDS, type GreetingKind };

const LABELS: Record<GreetingKind, { label: string; hint: string; lower: string }> = {
  unavailable: {
    label: 'Unavailable Message',
    lower: 'unavailable message',
    hint: 'Callers hear this when you do not answer.',
  },
  busy: { label: 'Busy Message', lower: 'busy message', hint: 'Callers hear this when you are on another call.' },
  name: {
    label: 'Your Name',
    lower: 'name recording',
    hint: 'Your name as callers hear it, e.g. in the company directory.',
  },
};

/** Pages a greeting action may go back to: the mailbox pages and the extension page (nothing else, never off-site). */
const BACK = /^\/(?:services\/mailboxes|voicemail\/configuration|services\/extensions)\/\d{1,15}$/;

function backTo(raw: unknown, fallback: string): string {
  return typeof raw === 'string' && BACK.test(raw) ? raw : fallback;
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

function duration(ms: number | null | undefined): string {
  if (!ms) return '';
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export interface GreetingBlockOptions {
  /** URL base of the greeting actions: /services/mailboxes or /voicemail/configuration. */
  base: string;
  /** Where each action comes back to (this page). */
  back: string;
  /** A message to show next to one greeting (a refused upload, a Record that could not ring). */
  errors?: Partial<Record<GreetingKind, string>>;
}

/** The view model of the Recordings and Greeting block of mailbox `m`. */
export async function greetingBlock(portal: Portal, v: Viewer, m: Mailbox, opts: GreetingBlockOptions) {
  const pbx = await portal.services.pbx.get(SYSTEM, v.pbx.id);
  const code = `${pbx.featureCodes.recordGreetingPrefix}${m.number}`;
  const ids = greetingIds(m);
  const action = (kind: GreetingKind, what = '') => `${opts.base}/${m.id}/greetings/${kind}${what}`;
  const items = [];
  for (const kind of GREETING_KINDS) {
    const audio = await audioRow(portal, v.pbx.id, ids[kind]);
    items.push({
      kind,
      ...LABELS[kind],
      id: `greeting-${kind}`,
      current: audio ? { name: audio.originalName, duration: duration(audio.durationMs), playUrl: action(kind) } : null,
      uploadAction: `${action(kind)}?_csrf=${encodeURIComponent(v.csrfToken)}`,
      clearAction: action(kind, '/clear'),
      recordAction: action(kind, '/record'),
      error: opts.errors?.[kind] ?? null,
    });
  }
  return {
    mailboxNumber: m.number,
    code,
    items,
    back: opts.back,
    maxBytes: portal.services.audio.maxUploadBytes,
    limits: `MP3 or WAV, at most ${mb(portal.services.audio.maxUploadBytes)}.`,
    canRecord: !!portal.hooks.recordGreeting,
    rings: v.user.extensionId ? 'your phone' : 'the phone of the extension that uses this mailbox',
  };
}

function greetingIds(m: Mailbox): Record<GreetingKind, number | null> {
  return {
    unavailable: m.unavailableGreetingId ?? null,
    busy: m.busyGreetingId ?? null,
    name: m.nameGreetingId ?? null,
  };
}

async function audioRow(portal: Portal, pbxId: number, id: number | null): Promise<AudioFile | null> {
  if (id === null) return null;
  try {
    return (await portal.services.browse.get(SYSTEM, pbxId, 'audio', id)) as unknown as AudioFile;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/** The mailbox of the URL as this viewer may see it (another's or a missing one: 404 before anything else). */
async function visibleMailbox(portal: Portal, v: Viewer, req: Request): Promise<Mailbox> {
  return (await portal.services.browse.get(v.actor, v.pbx.id, 'mailboxes', idParam(req))) as unknown as Mailbox;
}

/** Renders the page a greeting action failed on, with the message next to that greeting (set by the mailbox module). */
export type GreetingErrorPage = (
  portal: Portal,
  req: Request,
  res: Response,
  kind: GreetingKind,
  message: string,
  status: number,
) => Promise<void>;

/** Play: the current recording, as audio only. */
export function play(kind: GreetingKind) {
  return async (portal: Portal, req: Request, res: Response): Promise<void> => {
    const v = viewer(res);
    const m = await visibleMailbox(portal, v, req);
    const audio = await audioRow(portal, v.pbx.id, greetingIds(m)[kind]);
    if (!audio) throw new NotFoundError(`mailbox ${m.number} has no ${LABELS[kind].lower} of its own`);
    await new Promise<void>((resolve, reject) => {
      sendStoredAudio(
        res,
        {
          path: portal.services.audio.storedPath(v.pbx.context, audio.storedName),
          format: audio.format,
          originalName: audio.originalName,
        },
        (err) => (err ? reject(err) : resolve()),
      );
      res.once('finish', () => resolve());
    });
  };
}

const wantsJson = (req: Request) =>
  req.get('x-requested-with') === 'XMLHttpRequest' || req.accepts(['html', 'json']) === 'json';

/** Upload: checked by content, converted, stored; a refused file leaves the previous greeting in place. */
export function upload(kind: GreetingKind, base: string, errorPage: GreetingErrorPage) {
  return async (portal: Portal, req: Request, res: Response): Promise<void> => {
    const v = viewer(res);
    const m = await visibleMailbox(portal, v, req);
    const audio = portal.services.audio;
    const refuse = async (message: string, status: number) => {
      if (wantsJson(req)) res.status(status).json({ error: 'upload', message, fields: { file: message } });
      else await errorPage(portal, req, res, kind, message, status);
    };
    let received: Awaited<ReturnType<typeof receiveAudioUpload>>;
    try {
      received = await receiveAudioUpload(req, { tempDir: audio.tempDir, maxBytes: audio.maxUploadBytes });
    } catch (err) {
      if (err instanceof UploadAbortedError) return;
      if (err instanceof ValidationError) {
        const status = err.name === 'UploadTooLargeError' ? 413 : err.name === 'UploadStalledError' ? 408 : 422;
        return refuse(err.fields.file ?? Object.values(err.fields)[0] ?? err.message, status);
      }
      throw err;
    }
    try {
      await audio.store(
        v.actor,
        v.pbx.id,
        { kind: 'greeting', mailboxId: m.id, greeting: kind },
        { path: received.file.path, originalName: received.file.originalName },
      );
    } catch (err) {
      if (err instanceof ValidationError)
        return refuse(err.fields.file ?? Object.values(err.fields)[0] ?? err.message, 422);
      throw err;
    } finally {
      await received.discard();
    }
    const to = backTo(received.fields.back, `${base}/${m.id}`);
    flash(res, portal.secure, `${LABELS[kind].label} of mailbox ${m.number} saved.`);
    if (wantsJson(req)) res.json({ redirect: to });
    else res.redirect(303, to);
  };
}

/** Back to the default greeting (the file goes unless something else uses it). */
export function clear(kind: GreetingKind, base: string) {
  return async (portal: Portal, req: Request, res: Response): Promise<void> => {
    const v = viewer(res);
    const m = await visibleMailbox(portal, v, req);
    await portal.services.audio.clear(v.actor, v.pbx.id, { kind: 'greeting', mailboxId: m.id, greeting: kind });
    flash(res, portal.secure, `Mailbox ${m.number} uses the default ${LABELS[kind].lower} again.`);
    res.redirect(303, backTo((req.body as Record<string, unknown>)?.back, `${base}/${m.id}`));
  };
}

/** Record: FreeSWITCH rings the user's phone straight into recording this greeting. */
export function record(kind: GreetingKind, base: string, errorPage: GreetingErrorPage) {
  return async (portal: Portal, req: Request, res: Response): Promise<void> => {
    const v = viewer(res);
    const m = await visibleMailbox(portal, v, req);
    const pbx = await portal.services.pbx.get(SYSTEM, v.pbx.id);
    const dial = `dial ${pbx.featureCodes.recordGreetingPrefix}${m.number} from your phone instead`;
    const hook = portal.hooks.recordGreeting;
    if (!hook)
      return errorPage(
        portal,
        req,
        res,
        kind,
        `Recording by phone cannot start from here: this server is not connected to the phone system. Please ${dial}.`,
        503,
      );
    const outcome = await hook(v.actor, v.pbx.id, m.id, kind);
    if (!outcome.ok) return errorPage(portal, req, res, kind, `${outcome.reason}. You can also ${dial}.`, 503);
    flash(
      res,
      portal.secure,
      `Your phone (extension ${outcome.extension}) is ringing: answer it and record the ${LABELS[kind].lower} after the beep.`,
    );
    res.redirect(303, backTo((req.body as Record<string, unknown>)?.back, `${base}/${m.id}`));
  };
}
