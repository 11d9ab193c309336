// Services → Devices: the desk phones of the PBX — list with model, lines, last provisioning fetch, the provisioning
// window and what each phone will not do of its configuration (warnings); edit MAC, model, lines and buddy keys;
// delete; open/close the window; rotate the provisioning password (the new one is shown once, on that answer only).
// Adding goes through the installer form (/install, install.ts).
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import { DEFAULT_WINDOW_MINUTES } from '../../provisioning/policy';
import type { PublicDevice } from '../../services/device-service';
import { formatMac } from '../../vendors/mac';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { listQuery, pager } from '../paging';
import { renderPage } from '../render';
import { provisioningFacts, timeFormatter, windowOpen } from './device-facts';
import { deviceFormView, deviceInput, deviceValues, formErrors, macInput } from './device-form';

const BASE = '/services/devices';
const crumbs = [{ label: 'Devices', path: BASE }];

async function extensionNumbers(portal: Portal, v: Viewer, ds: PublicDevice[]) {
  const ids = new Set<number>();
  for (const d of ds) {
    for (const e of d.extensionIds) ids.add(e);
    for (const k of d.lineKeys) if (k.type === 'blf') ids.add(k.extensionId);
  }
  const labels = await portal.services.browse.labels(
    v.actor,
    v.pbx.id,
    [...ids].map((id) => ({ kind: 'extension' as const, id })),
  );
  return (id: number) => labels.get(`extension:${id}`)?.number ?? `#${id}`;
}

function modelName(portal: Portal, profileId: string): string {
  const p = portal.devices().catalog.byId(profileId);
  return p ? `${p.vendor === 'polycom' ? 'Polycom' : 'Yealink'} ${p.model}` : profileId;
}

const warningCount = (n: number) => (n === 0 ? null : `${n} warning${n === 1 ? '' : 's'}`);

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  // A MAC is found in any notation (stored as 12 hex digits).
  const search = /^[0-9a-f]{2}([:.\s-]?[0-9a-f]{2}){1,5}$/i.test(q) ? macInput(q) : q;
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'devices', { q: search, page, perPage: 50 });
  const rows = result.rows as unknown as PublicDevice[];
  const ext = await extensionNumbers(portal, v, rows);
  const warnings = await portal.devices().warnings(v.actor, v.pbx.id, rows);
  const when = await timeFormatter(portal, v);
  renderPage(
    portal,
    req,
    res,
    'devices/list',
    {
      q,
      rows: rows.map((d) => ({
        mac: formatMac(d.mac),
        model: modelName(portal, d.profileId),
        label: d.label ?? '',
        lines: d.extensionIds.map(ext).join(', '),
        lastSeen: d.lastSeenAt ? when(d.lastSeenAt) : 'Never',
        window: windowOpen(d) ? `Open until ${when(d.armedUntil)}` : 'Closed',
        armed: windowOpen(d),
        warnings: warningCount(warnings.get(d.id)?.length ?? 0),
        path: `${BASE}/${d.id}`,
        deletePath: `${BASE}/${d.id}/delete`,
      })),
      pager: pager(BASE, q, result),
      empty: result.total === 0,
    },
    { title: 'Devices' },
  );
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  d: PublicDevice,
  opts: { values?: Values; errors?: Record<string, string>; status?: number; password?: string } = {},
): Promise<void> {
  const v = viewer(res);
  const devices = portal.devices();
  const ext = await extensionNumbers(portal, v, [d]);
  const form = new FormView(opts.values ?? deviceValues(d, ext), opts.errors ?? {});
  const warnings = (await devices.warnings(v.actor, v.pbx.id, [d])).get(d.id) ?? [];
  const title = `${modelName(portal, d.profileId)} ${formatMac(d.mac)}`;
  const path = `${BASE}/${d.id}`;
  renderPage(
    portal,
    req,
    res,
    'devices/form',
    {
      ...deviceFormView(form, devices),
      title,
      action: path,
      warnings,
      facts: await provisioningFacts(portal, v, d),
      password: opts.password ?? null,
      minutes: DEFAULT_WINDOW_MINUTES,
      armAction: `${path}/arm`,
      disarmAction: `${path}/disarm`,
      rotateAction: `${path}/rotate`,
      deletePath: `${path}/delete`,
      otherKeys: d.lineKeys.filter((k) => k.type !== 'blf').length,
    },
    { title, status: opts.status, crumbs },
  );
}

const load = (portal: Portal, v: Viewer, id: number) => portal.devices().get(v.actor, v.pbx.id, id);

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  await showForm(portal, req, res, await load(portal, v, idParam(req)));
}

export async function update(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const d = await load(portal, v, id); // 404 before anything is read
  const values = postedValues(req.body);
  const { input, errors } = await deviceInput(portal, v, values, d.lineKeys);
  if (Object.keys(errors).length) {
    const rest = { ...input };
    if (errors.extensionIds) delete rest.extensionIds;
    if (errors.lineKeys) delete rest.lineKeys;
    const others = await portal.services.objects.validate(v.actor, v.pbx.id, 'devices', id, rest).catch(() => ({}));
    return showForm(portal, req, res, d, { values, errors: { ...formErrors(others), ...errors }, status: 422 });
  }
  let saved: PublicDevice;
  try {
    saved = await portal.devices().update(v.actor, v.pbx.id, id, input);
  } catch (err) {
    if (err instanceof ValidationError)
      return showForm(portal, req, res, d, { values, errors: formErrors(err.fields), status: 422 });
    throw err;
  }
  flash(res, portal.secure, `Phone ${formatMac(saved.mac)} saved.`);
  res.redirect(303, `${BASE}/${id}`);
}

export async function arm(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const devices = portal.devices();
  await devices.arm(v.actor, await devices.macOf(v.actor, v.pbx.id, id), DEFAULT_WINDOW_MINUTES);
  flash(res, portal.secure, `The provisioning window is open for ${DEFAULT_WINDOW_MINUTES} minutes.`);
  res.redirect(303, `${BASE}/${id}`);
}

export async function disarm(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const devices = portal.devices();
  await devices.disarm(v.actor, await devices.macOf(v.actor, v.pbx.id, id));
  flash(res, portal.secure, 'The provisioning window is closed.');
  res.redirect(303, `${BASE}/${id}`);
}

/** A new provisioning password, shown on this answer only (never in a cookie, never again). */
export async function rotate(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const devices = portal.devices();
  const { password } = await devices.rotateCredentials(v.actor, await devices.macOf(v.actor, v.pbx.id, id));
  await showForm(portal, req, res, await load(portal, v, id), { password });
}

async function confirmDelete(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const d = await load(portal, v, idParam(req));
  renderPage(
    portal,
    req,
    res,
    'devices/delete',
    {
      name: `${modelName(portal, d.profileId)} ${formatMac(d.mac)}`,
      label: d.label ?? '',
      action: `${BASE}/${d.id}/delete`,
      back: `${BASE}/${d.id}`,
    },
    { title: 'Delete phone', crumbs },
  );
}

export const deleteForm = confirmDelete;

export async function remove(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const d = await load(portal, v, idParam(req));
  await portal.devices().delete(v.actor, v.pbx.id, d.id);
  flash(res, portal.secure, `Phone ${formatMac(d.mac)} deleted: it gets no configuration any more.`);
  res.redirect(303, BASE);
}
