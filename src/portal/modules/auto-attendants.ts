// Services → Auto Attendants: list, new, edit (General Settings, Announcement, Button Configuration), delete, and the
// announcement's upload (with the progress bar), Play, back-to-default and Record by phone (the phone of the
// administrator's extension rings into the *323 flow for this attendant, asked of FreeSWITCH through a portal hook).
import type { Request, Response } from 'express';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { AudioFile, AutoAttendant } from '../../domain/model';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { objectPath } from '../links';
import { listQuery, pager } from '../paging';
import { DESTINATION_LABEL, loadTargets } from '../picker';
import { renderPage } from '../render';
import { receiveAudioUpload, sendStoredAudio } from '../uploads';
import {
  attendantFormView,
  attendantInput,
  attendantRefs,
  attendantValues,
  DEFAULT_RECORDING,
  newAttendantValues,
} from './auto-attendant-form';

const BASE = '/services/auto-attendants';
const crumbs = [{ label: 'Auto Attendants', path: BASE }];

const getAttendant = async (portal: Portal, res: Response, id: number) => {
  const v = viewer(res);
  return (await portal.services.browse.get(v.actor, v.pbx.id, 'attendants', id)) as unknown as AutoAttendant;
};

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'attendants', { q, page, perPage: 50 });
  const rows = result.rows as unknown as AutoAttendant[];
  const source = { default: 'Default Recording', audio: 'Uploaded or recorded', mailbox: 'Mailbox greeting' };
  renderPage(
    portal,
    req,
    res,
    'auto-attendants/list',
    {
      q,
      isAdmin: v.isAdmin,
      rows: rows.map((a) => ({
        name: a.name,
        announcement: source[a.announcement.source],
        buttons: Object.keys(a.buttons).filter((k) => k !== 'timeout' && k !== 'invalid').length,
        path: `${BASE}/${a.id}`,
        deletePath: v.isAdmin ? `${BASE}/${a.id}/delete` : null,
      })),
      pager: pager(BASE, q, result),
      empty: result.total === 0,
    },
    { title: 'Auto Attendants' },
  );
}

interface FormOpts {
  id: number | null;
  values: Values;
  errors?: Record<string, string>;
  status?: number;
  uploadError?: string | null;
}

async function showForm(portal: Portal, req: Request, res: Response, o: FormOpts): Promise<void> {
  const v = viewer(res);
  const b = portal.services.browse;
  const current = o.id === null ? null : await getAttendant(portal, res, o.id);
  const catalog = await loadTargets(portal, v);
  const mailboxes = catalog.get('mailbox')?.items ?? null;
  const form = new FormView(o.values, o.errors ?? {});
  let recording: { name: string; playPath: string } | null = null;
  if (current?.announcement.source === 'audio') {
    const file = (await b.get(v.actor, v.pbx.id, 'audio', current.announcement.audioId).catch(() => null)) as
      | (AudioFile & { originalName: string })
      | null;
    if (file) recording = { name: file.originalName, playPath: `${BASE}/${o.id}/announcement` };
  }
  const view = attendantFormView(form, catalog, o.id, { hasRecording: recording !== null, mailboxes });
  const title = o.id === null ? 'New Auto Attendant' : `Auto Attendant ${current?.name ?? ''}`.trim();
  const pbx = await portal.services.pbx.get(v.actor, v.pbx.id);
  renderPage(
    portal,
    req,
    res,
    'auto-attendants/form',
    {
      ...view,
      title,
      isNew: o.id === null,
      isAdmin: v.isAdmin,
      action: o.id === null ? `${BASE}/new` : `${BASE}/${o.id}`,
      deletePath: v.isAdmin && o.id !== null ? `${BASE}/${o.id}/delete` : null,
      defaultRecording: DEFAULT_RECORDING,
      recording,
      featureCode: pbx.featureCodes.recordAttendant,
      upload:
        o.id === null
          ? null
          : {
              action: `${BASE}/${o.id}/announcement?_csrf=${encodeURIComponent(v.csrfToken)}`,
              maxBytes: portal.services.audio.maxUploadBytes,
              maxMb: Math.round(portal.services.audio.maxUploadBytes / (1024 * 1024)),
              error: o.uploadError ?? null,
            },
      recordPath: o.id === null ? null : `${BASE}/${o.id}/record`,
      defaultPath: o.id === null || !recording ? null : `${BASE}/${o.id}/announcement/default`,
      kindNames: Object.fromEntries(DESTINATION_LABEL),
    },
    { title, status: o.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, { id: null, values: newAttendantValues() });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const a = await getAttendant(portal, res, id);
  const numbers = await portal.services.browse.labels(v.actor, v.pbx.id, attendantRefs(a));
  await showForm(portal, req, res, { id, values: attendantValues(a, numbers) });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const current = id === null ? null : await getAttendant(portal, res, id); // 404 before anything else
  const values = postedValues(req.body);
  const parsed = await attendantInput(portal, v, values, current);
  const o = portal.services.objects;
  if (Object.keys(parsed.errors).length) {
    const input = { ...parsed.input };
    const errors = { ...(await o.validate(v.actor, v.pbx.id, 'attendants', id, input)), ...parsed.errors };
    await showForm(portal, req, res, { id, values, errors, status: 422 });
    return;
  }
  let saved: Record<string, unknown>;
  try {
    saved =
      id === null
        ? await o.create(v.actor, v.pbx.id, 'attendants', parsed.input)
        : await o.update(v.actor, v.pbx.id, 'attendants', id, parsed.input);
  } catch (err) {
    if (err instanceof ValidationError)
      return showForm(portal, req, res, { id, values, errors: err.fields, status: 422 });
    throw err;
  }
  flash(res, portal.secure, `Auto attendant ${saved.name} saved.`);
  res.redirect(303, `${BASE}/${saved.id}`);
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

/** Upload: stored through the audio pipeline (checked, converted), the attendant pointed at it. */
export async function uploadAnnouncement(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const a = await getAttendant(portal, res, id);
  const audio = portal.services.audio;
  const upload = await receiveAudioUpload(req, { tempDir: audio.tempDir, maxBytes: audio.maxUploadBytes });
  try {
    await audio.store(v.actor, v.pbx.id, { kind: 'announcement', attendantId: id }, upload.file);
  } catch (err) {
    if (!(err instanceof ValidationError) || req.accepts(['html', 'json']) === 'json') throw err;
    const numbers = await portal.services.browse.labels(v.actor, v.pbx.id, attendantRefs(a));
    const message = Object.values(err.fields)[0] ?? err.message;
    return showForm(portal, req, res, { id, values: attendantValues(a, numbers), status: 422, uploadError: message });
  } finally {
    await upload.discard().catch(() => {});
  }
  flash(res, portal.secure, `The announcement of ${a.name} was uploaded.`);
  const to = `${BASE}/${id}`;
  if (req.accepts(['html', 'json']) === 'json') res.json({ redirect: to });
  else res.redirect(303, to);
}

/** Play: the current announcement file, only to someone who may open this attendant. */
export async function playAnnouncement(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const a = await getAttendant(portal, res, idParam(req));
  if (a.announcement.source !== 'audio') throw new NotFoundError('this auto attendant has no uploaded announcement');
  const file = (await portal.services.browse.get(
    v.actor,
    v.pbx.id,
    'audio',
    a.announcement.audioId,
  )) as unknown as AudioFile;
  await new Promise<void>((resolve, reject) => {
    res.once('finish', resolve);
    res.once('close', resolve);
    sendStoredAudio(
      res,
      {
        path: portal.services.audio.storedPath(v.pbx.context, file.storedName),
        format: file.format,
        originalName: file.originalName,
      },
      (err) => (res.headersSent ? resolve() : reject(err)),
    );
  });
}

/** Back to the default recording (the uploaded file is removed unless something else uses it). */
export async function useDefault(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const a = await getAttendant(portal, res, id);
  await portal.services.audio.clear(v.actor, v.pbx.id, { kind: 'announcement', attendantId: id });
  flash(res, portal.secure, `${a.name} plays the default recording again.`);
  res.redirect(303, `${BASE}/${id}`);
}

/** Record via Phone: ring the administrator's own extension into this attendant's recording flow. */
export async function recordByPhone(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const a = await getAttendant(portal, res, id);
  const code = (await portal.services.pbx.get(v.actor, v.pbx.id)).featureCodes.recordAttendant;
  const back = `${BASE}/${id}`;
  const ext = v.user.extensionId
    ? (await portal.services.browse.labels(v.actor, v.pbx.id, [{ kind: 'extension', id: v.user.extensionId }])).get(
        `extension:${v.user.extensionId}`,
      )?.number
    : null;
  if (!ext) {
    flash(res, portal.secure, `Your user has no extension to ring. Dial ${code} from any phone of the PBX instead.`);
    res.redirect(303, back);
    return;
  }
  const hook = portal.hooks.recordAttendantByPhone;
  const answer = hook
    ? await hook({ extension: ext, domain: v.pbx.domain, context: v.pbx.context, attendantId: id }).catch(() => null)
    : null;
  flash(
    res,
    portal.secure,
    answer === 'ringing'
      ? `Your phone (extension ${ext}) is ringing: answer it and follow the prompts to record the announcement of ${a.name}.`
      : `The phone system cannot be reached right now, so your phone was not rung. Dial ${code} from your phone instead.`,
  );
  res.redirect(303, back);
}

async function confirmDelete(portal: Portal, req: Request, res: Response, status = 200): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const a = await getAttendant(portal, res, id);
  const refs = await portal.services.objects.referrers(v.actor, v.pbx.id, 'attendants', id);
  renderPage(
    portal,
    req,
    res,
    'auto-attendants/delete',
    {
      name: a.name,
      action: `${BASE}/${id}/delete`,
      back: `${BASE}/${id}`,
      referrers: refs.map((r) => ({ label: r.label, field: r.field, href: objectPath(r.kind, r.id) })),
      blocked: refs.length > 0,
    },
    { title: `Delete auto attendant ${a.name}`, status, crumbs },
  );
}

export const deleteForm = (portal: Portal, req: Request, res: Response) => confirmDelete(portal, req, res);

export async function remove(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const a = await getAttendant(portal, res, id);
  try {
    await portal.services.objects.delete(v.actor, v.pbx.id, 'attendants', id);
  } catch (err) {
    if (err instanceof ConflictError) return confirmDelete(portal, req, res, 409);
    throw err;
  }
  flash(res, portal.secure, `Auto attendant ${a.name} deleted.`);
  res.redirect(303, BASE);
}
