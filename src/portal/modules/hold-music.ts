// Services → Hold Music: groups (name, outbound, random or fixed order), their tracks (upload with a progress bar,
// order, remove, play), and the 10 MB per track / 60 MB per PBX limits shown before anything is uploaded.
import type { NextFunction, Request, Response } from 'express';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { AudioFile, HoldMusicGroup } from '../../domain/model';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedValues, truthy, type Values } from '../forms';
import { flash } from '../http';
import { renderPage } from '../render';
import { receiveAudioUpload, sendStoredAudio } from '../uploads';
import { deleteHandlers, saveObject } from './crud-helpers';

const BASE = '/services/hold-music';
const crumbs = [{ label: 'Hold Music', path: BASE }];
const MB = 1024 * 1024;
const mb = (b: number) => (b < MB / 10 ? `${Math.max(1, Math.round(b / 1024))} KB` : `${(b / MB).toFixed(1)} MB`);

async function usage(portal: Portal, v: Viewer) {
  const u = await portal.services.audio.usage(v.actor, v.pbx.id);
  const left = Math.max(0, u.holdMusicMaxBytes - u.holdMusicUsedBytes);
  return {
    text: `Each track may be at most ${mb(u.maxFileBytes).replace('.0', '')}; this PBX uses ${mb(u.holdMusicUsedBytes)} of its ${mb(u.holdMusicMaxBytes).replace('.0', '')} of hold music (${mb(left)} left).`,
    maxFileBytes: u.maxFileBytes,
    leftBytes: left,
    percent: Math.min(100, Math.round((u.holdMusicUsedBytes / u.holdMusicMaxBytes) * 100)),
  };
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const r = await portal.services.browse.page(v.actor, v.pbx.id, 'hold-music', { page: 1, perPage: 200 });
  const rows = (r.rows as unknown as HoldMusicGroup[]).map((g) => ({
    name: g.name,
    outbound: g.outbound ? 'Yes' : 'No',
    tracks: g.trackIds.length,
    order: g.shuffle === false ? 'In order' : 'Random',
    path: `${BASE}/${g.id}`,
    deletePath: `${BASE}/${g.id}/delete`,
  }));
  renderPage(
    portal,
    req,
    res,
    'hold-music/list',
    { rows, empty: rows.length === 0, isAdmin: v.isAdmin, usage: await usage(portal, v) },
    { title: 'Hold Music' },
  );
}

async function tracksOf(portal: Portal, v: Viewer, g: HoldMusicGroup) {
  const out = [];
  for (const [i, id] of g.trackIds.entries()) {
    const a = (await portal.services.browse.get(v.actor, v.pbx.id, 'audio', id).catch(() => null)) as AudioFile | null;
    if (!a) continue;
    out.push({
      id,
      position: i + 1,
      name: a.originalName,
      size: mb(a.sizeBytes),
      seconds: a.durationMs ? `${Math.round(a.durationMs / 1000)} s` : '',
      play: `${BASE}/${g.id}/play?track=${id}`,
      first: i === 0,
      last: i === g.trackIds.length - 1,
    });
  }
  return out;
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  o: { id: number | null; values: Values; errors?: Record<string, string>; status?: number; uploadError?: string },
): Promise<void> {
  const v = viewer(res);
  const form = new FormView(o.values, o.errors ?? {});
  const title = o.id === null ? 'New Hold Music Group' : `Hold Music Group ${o.values.name ?? ''}`;
  const group =
    o.id === null
      ? null
      : ((await portal.services.browse.get(v.actor, v.pbx.id, 'hold-music', o.id)) as unknown as HoldMusicGroup);
  renderPage(
    portal,
    req,
    res,
    'hold-music/form',
    {
      title,
      summary: form.summary(),
      name: form.text('name', 'Name', { hint: 'A name for this Hold Music Group.', maxlength: 50 }),
      outbound: form.yesNo('outbound', 'Use for outbound calling?', {
        hint: 'Select “Yes” to use this Hold Music Group for all outbound calls. Your PBX may use only one single Hold Music Group for outbound calling.',
      }),
      shuffle: form.select(
        'shuffle',
        'Play order',
        [
          { value: 'true', label: 'Random order' },
          { value: 'false', label: 'In the order listed below' },
        ],
        { hint: 'Tracks play in a random order when a caller is on hold, unless you choose to play them in order.' },
      ),
      action: o.id === null ? `${BASE}/new` : `${BASE}/${o.id}`,
      isNew: o.id === null,
      tracks: group ? await tracksOf(portal, v, group) : [],
      upload: group ? `${BASE}/${group.id}/tracks?_csrf=${encodeURIComponent(v.csrfToken)}` : null,
      orderAction: group ? `${BASE}/${group.id}/order` : null,
      removeAction: group ? `${BASE}/${group.id}/remove-track` : null,
      usage: await usage(portal, v),
      uploadError: o.uploadError ?? null,
      deletePath: o.id === null ? null : `${BASE}/${o.id}/delete`,
    },
    { title, status: o.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, { id: null, values: { outbound: 'false', shuffle: 'true' } });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const g = (await portal.services.browse.get(v.actor, v.pbx.id, 'hold-music', id)) as unknown as HoldMusicGroup;
  await showForm(portal, req, res, {
    id,
    values: { name: g.name, outbound: String(g.outbound), shuffle: String(g.shuffle !== false) },
  });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'hold-music', id);
  const values = postedValues(req.body);
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    outbound: truthy(values.outbound),
    shuffle: values.shuffle !== 'false',
  };
  if (id === null) input.trackIds = [];
  const saved = await saveObject(portal, res, 'hold-music', id, input, (errors, status) =>
    showForm(portal, req, res, { id, values, errors, status }),
  );
  if (!saved) return;
  flash(res, portal.secure, `Hold music group ${saved.name} saved.`);
  // "Save & Add Tracks" goes on to the group's page, where tracks are uploaded.
  res.redirect(303, id === null && values.next !== 'tracks' ? BASE : `${BASE}/${saved.id}#tracks`);
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

/** One track uploaded into the group (the form's XHR shows the progress bar; JSON {redirect} or a 303). */
export async function upload(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const g = (await portal.services.browse.get(v.actor, v.pbx.id, 'hold-music', id)) as unknown as HoldMusicGroup;
  const audio = portal.services.audio;
  const up = await receiveAudioUpload(req, { tempDir: audio.tempDir, maxBytes: audio.maxUploadBytes });
  const wantsJson = (req.get('accept') ?? '').includes('application/json');
  let stored: { id: number };
  try {
    stored = await audio.store(
      v.actor,
      v.pbx.id,
      { kind: 'hold-music', groupId: id },
      {
        path: up.file.path,
        originalName: up.file.originalName,
      },
    );
  } catch (err) {
    if (err instanceof ValidationError && !wantsJson) {
      const values = { name: g.name, outbound: String(g.outbound), shuffle: String(g.shuffle !== false) };
      return showForm(portal, req, res, { id, values, status: 422, uploadError: Object.values(err.fields).join(' ') });
    }
    throw err;
  } finally {
    await up.discard().catch(() => {});
  }
  flash(
    res,
    portal.secure,
    `Track ${up.file.originalName.slice(0, 80)} uploaded. Newly uploaded tracks may take up to 30 minutes to take effect.`,
  );
  // A new query (not only a new #hash) so the browser loads the page again even when it is already on the group's page.
  const to = `${BASE}/${id}?added=${stored.id}#tracks`;
  if (wantsJson) res.json({ redirect: to });
  else res.redirect(303, to);
}

const trackParam = (raw: unknown) => (typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN);

/** Moves a track one place up or down (the order tracks play in when the group does not shuffle). */
export async function order(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const values = postedValues(req.body);
  const track = trackParam(values.track);
  await portal.services.objects.updateWith(v.actor, v.pbx.id, 'hold-music', id, (cur) => {
    const ids = [...(cur.trackIds as number[])];
    const i = ids.indexOf(track);
    if (i < 0) throw new NotFoundError(`track #${track} is not in this hold music group`);
    const j = values.move === 'up' ? i - 1 : i + 1;
    if (j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j], ids[i]];
    return { trackIds: ids };
  });
  res.redirect(303, `${BASE}/${id}#tracks`);
}

export async function removeTrack(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  await portal.services.audio.removeTrack(v.actor, v.pbx.id, id, trackParam(postedValues(req.body).track));
  flash(res, portal.secure, 'Track removed.');
  res.redirect(303, `${BASE}/${id}#tracks`);
}

/** The Play button: a track of this group, only as audio. */
export async function play(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const g = (await portal.services.browse.get(v.actor, v.pbx.id, 'hold-music', id)) as unknown as HoldMusicGroup;
  const track = trackParam(req.query.track);
  if (!g.trackIds.includes(track)) throw new NotFoundError(`track #${track} is not in this hold music group`);
  const a = (await portal.services.browse.get(v.actor, v.pbx.id, 'audio', track)) as unknown as AudioFile;
  await new Promise<void>((resolve, reject) => {
    const next: NextFunction = (err?: unknown) => (err ? reject(err) : resolve());
    res.once('finish', () => resolve());
    sendStoredAudio(
      res,
      {
        path: portal.services.audio.storedPath(v.pbx.context, a.storedName),
        format: a.format as 'mp3' | 'wav',
        originalName: a.originalName,
      },
      next,
    );
  });
}

export const { deleteForm, remove } = deleteHandlers({
  kind: 'hold-music',
  base: BASE,
  crumbs,
  what: (r) => `hold music group ${r.name}`,
  remove: async (portal, res, id) => {
    const v = viewer(res);
    await portal.services.audio.deleteGroup(v.actor, v.pbx.id, id);
  },
});
