// Services → Conference Bridge: conference rooms (number, numeric PIN, music on hold and which, enter/exit sounds,
// attendee count announcement) and conference hubs (callers key in a room number), on one list page.
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import type { ConferenceHub, ConferenceRoom } from '../../domain/model';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, truthy, type Values } from '../forms';
import { flash } from '../http';
import { renderPage } from '../render';
import { formPaths } from './crud-helpers';
import { deletePages } from './service-pages';

const BASE = '/services/conference-bridge';
const HUBS = `${BASE}/hubs`;
const crumbs = [{ label: 'Conference Bridge', path: BASE }];

const yes = (b: boolean) => (b ? 'Yes' : 'No');

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const b = portal.services.browse;
  const rooms = (await b.page(v.actor, v.pbx.id, 'conferences', { perPage: 200 })).rows as unknown as ConferenceRoom[];
  const hubs = (await b.page(v.actor, v.pbx.id, 'conference-hubs', { perPage: 200 }))
    .rows as unknown as ConferenceHub[];
  const music = await b.labels(
    v.actor,
    v.pbx.id,
    rooms
      .filter((r) => r.holdMusicGroupId != null)
      .map((r) => ({ kind: 'hold_music_group' as const, id: r.holdMusicGroupId as number })),
  );
  renderPage(
    portal,
    req,
    res,
    'conference-bridge/list',
    {
      isAdmin: v.isAdmin,
      rooms: rooms.map((r) => ({
        number: r.number,
        // The services say whether a PIN is set, never which.
        password: (r as unknown as { passwordSet?: boolean }).passwordSet ? 'Yes' : 'No',
        music: r.musicOnHold
          ? r.holdMusicGroupId == null
            ? 'Default'
            : (music.get(`hold_music_group:${r.holdMusicGroupId}`)?.label ?? '')
          : 'Off',
        sounds: yes(r.enterExitSounds),
        count: yes(r.announceCount),
        path: `${BASE}/${r.id}`,
        deletePath: v.isAdmin ? `${BASE}/${r.id}/delete` : null,
      })),
      hubs: hubs.map((h) => ({
        name: h.name,
        number: h.number ?? 'Reached through routing only',
        path: `${HUBS}/${h.id}`,
        deletePath: v.isAdmin ? `${HUBS}/${h.id}/delete` : null,
      })),
    },
    { title: 'Conference Bridge' },
  );
}

async function showRoom(
  portal: Portal,
  req: Request,
  res: Response,
  opts: {
    id: number | null;
    values: Values;
    errors?: Record<string, string>;
    title: string;
    status?: number;
    /** Whether the room has a PIN now (the services say so without saying which). */
    pinSet?: boolean;
    /** The PIN, only after an administrator asked to see it. */
    revealed?: string | null;
  },
): Promise<void> {
  const v = viewer(res);
  const form = new FormView(opts.values, opts.errors ?? {});
  const groups = await portal.services.browse.targets(v.actor, v.pbx.id, 'hold_music_group');
  const pinState = opts.id === null ? null : opts.pinSet ? 'This room has a password.' : 'This room has no password.';
  renderPage(
    portal,
    req,
    res,
    'conference-bridge/room',
    {
      title: opts.title,
      summary: form.summary(),
      number: form.text('number', 'Conference Number', {
        inputmode: 'numeric',
        maxlength: 6,
        hint: 'A unique number (2 to 6 digits) callers dial to reach this conference room; it cannot be an extension’s or another room’s number.',
      }),
      password: form.text('password', 'Password', {
        inputmode: 'numeric',
        maxlength: 12,
        autocomplete: 'off',
        hint:
          opts.id === null
            ? 'A numeric password (3 to 12 digits) callers enter to join the conference room. Leave empty for no password.'
            : `${pinState} A numeric password (3 to 12 digits) callers enter to join. Leave empty to keep it as it is; type a new one to change it.`,
      }),
      pinSet: !!opts.pinSet,
      revealed: opts.revealed ?? null,
      revealAction: v.isAdmin && opts.id !== null && opts.pinSet ? `${BASE}/${opts.id}/password` : null,
      removePassword:
        opts.id === null
          ? null
          : form.checkbox('removePassword', 'No password', { hint: 'Anyone who dials the number joins.' }),
      musicOnHold: form.checkbox('musicOnHold', 'Enable Music on Hold', {
        hint: 'If checked, music plays while there is only one participant in the conference room.',
      }),
      holdMusicGroupId: form.select(
        'holdMusicGroupId',
        'Hold music',
        [{ value: '', label: 'The PBX’s outbound hold music' }].concat(
          (groups.items ?? []).map((g) => ({ value: String(g.id), label: g.label })),
        ),
        { hint: 'Which hold music group plays.' },
      ),
      enterExitSounds: form.checkbox('enterExitSounds', 'Play Enter/Exit Sounds', {
        hint: 'If checked, a sound plays each time a participant enters or leaves the conference room.',
      }),
      announceCount: form.checkbox('announceCount', 'Announce Attendee Count', {
        hint: 'If checked, each participant is told how many participants are already there when entering.',
      }),
      ...formPaths(BASE, opts.id, v.isAdmin),
    },
    { title: opts.title, status: opts.status, crumbs },
  );
}

export const newRoom = (portal: Portal, req: Request, res: Response) =>
  showRoom(portal, req, res, {
    id: null,
    title: 'New Conference Room',
    values: { musicOnHold: 'true', enterExitSounds: 'true', announceCount: 'false', holdMusicGroupId: '' },
  });

export const editRoom = (portal: Portal, req: Request, res: Response) => roomPage(portal, req, res, null);

/** Show password (a POST, so no link prefetch or history entry reads it): the services' admin-only reveal. */
export async function revealPin(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const secrets = await portal.services.objects.revealSecrets(v.actor, v.pbx.id, 'conferences', idParam(req));
  res.setHeader('Cache-Control', 'no-store');
  await roomPage(portal, req, res, typeof secrets.password === 'string' ? secrets.password : null);
}

async function roomPage(portal: Portal, req: Request, res: Response, revealed: string | null): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const r = (await portal.services.browse.get(v.actor, v.pbx.id, 'conferences', id)) as unknown as ConferenceRoom & {
    passwordSet: boolean;
  };
  await showRoom(portal, req, res, {
    id,
    title: `Conference Room ${r.number}`,
    pinSet: r.passwordSet,
    revealed,
    values: {
      number: r.number,
      musicOnHold: String(r.musicOnHold),
      holdMusicGroupId: r.holdMusicGroupId == null ? '' : String(r.holdMusicGroupId),
      enterExitSounds: String(r.enterExitSounds),
      announceCount: String(r.announceCount),
    },
  });
}

async function saveRoom(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const title = id === null ? 'New Conference Room' : `Conference Room ${values.number ?? ''}`.trim();
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'conferences', id); // 404 first
  const input: Record<string, unknown> = {
    number: (values.number ?? '').trim(),
    musicOnHold: truthy(values.musicOnHold),
    holdMusicGroupId: values.holdMusicGroupId || null,
    enterExitSounds: truthy(values.enterExitSounds),
    announceCount: truthy(values.announceCount),
  };
  const pin = (values.password ?? '').trim();
  if (id === null || truthy(values.removePassword)) input.password = pin && !truthy(values.removePassword) ? pin : null;
  else if (pin) input.password = pin;
  const o = portal.services.objects;
  try {
    const saved =
      id === null
        ? await o.create(v.actor, v.pbx.id, 'conferences', input)
        : await o.update(v.actor, v.pbx.id, 'conferences', id, input);
    flash(res, portal.secure, `Conference room ${saved.number} saved.`);
    res.redirect(303, `${BASE}/${saved.id}`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // The typed PIN is not shown back (it is a secret); the error says what was wrong with it.
    await showRoom(portal, req, res, {
      id,
      values: { ...values, password: '' },
      errors: err.fields,
      title,
      status: 422,
    });
  }
}

export const createRoom = (portal: Portal, req: Request, res: Response) => saveRoom(portal, req, res, null);
export const updateRoom = (portal: Portal, req: Request, res: Response) => saveRoom(portal, req, res, idParam(req));

async function showHub(
  portal: Portal,
  req: Request,
  res: Response,
  opts: { id: number | null; values: Values; errors?: Record<string, string>; title: string; status?: number },
): Promise<void> {
  const v = viewer(res);
  const form = new FormView(opts.values, opts.errors ?? {});
  renderPage(
    portal,
    req,
    res,
    'conference-bridge/hub',
    {
      title: opts.title,
      summary: form.summary(),
      name: form.text('name', 'Hub Name', {
        maxlength: 50,
        hint: 'A unique name, used to choose the hub wherever calls are routed.',
      }),
      number: form.text('number', 'Hub Number', {
        inputmode: 'numeric',
        maxlength: 6,
        hint: 'Optional (2 to 6 digits): dial it inside the PBX to reach the hub. Without a number the hub is reached only through routing, e.g. from a phone number or an auto attendant button.',
      }),
      ...formPaths(HUBS, opts.id, v.isAdmin),
    },
    { title: opts.title, status: opts.status, crumbs },
  );
}

export const newHub = (portal: Portal, req: Request, res: Response) =>
  showHub(portal, req, res, { id: null, title: 'New Conference Hub', values: {} });

export async function editHub(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const h = (await portal.services.browse.get(v.actor, v.pbx.id, 'conference-hubs', id)) as unknown as ConferenceHub;
  await showHub(portal, req, res, {
    id,
    title: `Conference Hub ${h.name}`,
    values: { name: h.name, number: h.number ?? '' },
  });
}

async function saveHub(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const title = id === null ? 'New Conference Hub' : `Conference Hub ${values.name ?? ''}`.trim();
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'conference-hubs', id); // 404 first
  const input = { name: values.name ?? '', number: (values.number ?? '').trim() || null };
  const o = portal.services.objects;
  try {
    const saved =
      id === null
        ? await o.create(v.actor, v.pbx.id, 'conference-hubs', input)
        : await o.update(v.actor, v.pbx.id, 'conference-hubs', id, input);
    flash(res, portal.secure, `Conference hub ${saved.name} saved.`);
    res.redirect(303, `${HUBS}/${saved.id}`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    await showHub(portal, req, res, { id, values, errors: err.fields, title, status: 422 });
  }
}

export const createHub = (portal: Portal, req: Request, res: Response) => saveHub(portal, req, res, null);
export const updateHub = (portal: Portal, req: Request, res: Response) => saveHub(portal, req, res, idParam(req));

export const room = deletePages({
  kind: 'conferences',
  base: BASE,
  crumb: 'Conference Bridge',
  noun: (r) => `conference room ${String(r.number)}`,
});
export const hub = deletePages({
  kind: 'conference-hubs',
  base: BASE,
  crumb: 'Conference Bridge',
  noun: (r) => `conference hub “${String(r.name)}”`,
  back: (id) => `${HUBS}/${id}`,
});
