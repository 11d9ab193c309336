// Services → Listen Live: Off / Listen / Barge / Both, the numeric password, the users who may listen and the users
// who may be listened to. One settings page per PBX (services.pbx.getListenLive / setListenLive); the password is
// shown only through the explicit reveal (administrators with Listen Live), never in the page's form.
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import type { Extension } from '../../domain/model';
import { DEFAULT_FEATURE_CODES } from '../../domain/model/pbx';
import { type Portal, type Viewer, viewer } from '../context';
import { FormView, postedList, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { renderPage } from '../render';

const BASE = '/services/listen-live';
const MODES = [
  { value: 'off', label: 'Off' },
  { value: 'listen', label: 'Listen' },
  { value: 'barge', label: 'Barge' },
  { value: 'both', label: 'Both' },
];

async function extensions(portal: Portal, v: Viewer): Promise<Extension[]> {
  const r = await portal.services.browse.page(v.actor, v.pbx.id, 'extensions', { page: 1, perPage: 1000 });
  return r.rows as unknown as Extension[];
}

async function codes(portal: Portal, v: Viewer): Promise<{ listen: string; barge: string }> {
  const fc = await portal.services.pbx.get(v.actor, v.pbx.id).then(
    (p) => p.featureCodes,
    () => DEFAULT_FEATURE_CODES,
  );
  return { listen: fc.listenLive, barge: fc.bargeIn };
}

async function show(
  portal: Portal,
  req: Request,
  res: Response,
  o: {
    values?: Values;
    listeners?: number[];
    listenable?: number[];
    errors?: Record<string, string>;
    revealed?: string;
    status?: number;
  },
): Promise<void> {
  const v = viewer(res);
  const ll = await portal.services.pbx.getListenLive(v.actor, v.pbx.id);
  const form = new FormView(o.values ?? { mode: ll.mode }, o.errors ?? {});
  const listeners = new Set(o.listeners ?? ll.listenerIds);
  const listenable = new Set(o.listenable ?? ll.listenableIds);
  const exts = await extensions(portal, v);
  const fc = await codes(portal, v);
  const list = (selected: Set<number>, name: string) =>
    exts.map((e) => ({
      id: `f-${name}-${e.id}`,
      name,
      value: String(e.id),
      label: `${e.number} ${e.name}`.trim(),
      checked: selected.has(e.id),
    }));
  renderPage(
    portal,
    req,
    res,
    'listen-live/form',
    {
      summary: form.summary(),
      mode: form.select('mode', 'Listen Live Settings', MODES, {
        hint: 'If “Off” is selected, Listen Live is disabled. “Listen”: listen in on a conversation, but not talk to either party. “Barge”: barge in on a call and speak to the extension that you dialed. “Both”: use both the listen and barge features independently.',
      }),
      password: form.password('password', 'Password', {
        hint: ll.passwordSet
          ? 'A password is set. Type a new one to change it, or leave this empty to keep it. It must be 3 or more numbers; letters are not allowed.'
          : 'Users must enter a password to use the Listen Live feature. The password must be 3 or more numbers, letters are not allowed.',
        inputmode: 'numeric',
        autocomplete: 'new-password',
        maxlength: 12,
      }),
      passwordSet: ll.passwordSet,
      revealed: o.revealed ?? null,
      listeners: list(listeners, 'listenerIds'),
      listenable: list(listenable, 'listenableIds'),
      listenersError: o.errors?.listenerIds ?? null,
      listenableError: o.errors?.listenableIds ?? null,
      noExtensions: exts.length === 0,
      codes: fc,
    },
    { title: 'Listen Live', status: o.status },
  );
}

export const page = (portal: Portal, req: Request, res: Response) => show(portal, req, res, {});

export async function save(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const toIds = (name: string) =>
    postedList(req.body, name)
      .filter((x) => /^\d{1,15}$/.test(x))
      .map(Number);
  const listeners = toIds('listenerIds');
  const listenable = toIds('listenableIds');
  const patch: Record<string, unknown> = { mode: values.mode ?? '', listenerIds: listeners, listenableIds: listenable };
  if (values.password) patch.password = values.password.trim();
  try {
    await portal.services.pbx.setListenLive(v.actor, v.pbx.id, patch);
  } catch (err) {
    if (err instanceof ValidationError)
      return show(portal, req, res, {
        values: { mode: values.mode ?? '' },
        listeners,
        listenable,
        errors: err.fields,
        status: 422,
      });
    throw err;
  }
  flash(res, portal.secure, 'Listen Live settings saved.');
  res.redirect(303, BASE);
}

/** Shows the password once, on this answer only (a POST with the CSRF token; administrators with Listen Live). */
export async function reveal(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const password = await portal.services.pbx.revealListenLivePassword(v.actor, v.pbx.id);
  await show(portal, req, res, { revealed: password || '(none set)' });
}
