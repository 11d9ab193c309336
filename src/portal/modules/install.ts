// The installer form at /install (issue 11 item 6): MAC + model + extension(s) + optional buddy keys → the phone is
// saved; the result page shows the provisioning URL, the DHCP option 66 value, the device's provisioning login (the
// password only on this one answer: it is stored as a digest hash) and a button that arms the 15-minute window.
// Built for a phone-sized screen; administrators only (the Devices module).
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import { DEFAULT_WINDOW_MINUTES } from '../../provisioning/policy';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { renderPage } from '../render';
import { provisioningFacts } from './device-facts';
import { deviceFormView, deviceInput, formErrors } from './device-form';

const BASE = '/install';

function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  values: Values,
  errors: Record<string, string> = {},
  status = 200,
): void {
  const form = new FormView(values, errors);
  renderPage(
    portal,
    req,
    res,
    'install/form',
    { ...deviceFormView(form, portal.devices()), action: BASE },
    { title: 'Install a phone', status },
  );
}

export async function form(portal: Portal, req: Request, res: Response): Promise<void> {
  showForm(portal, req, res, {});
}

export async function create(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const { input, errors } = await deviceInput(portal, v, values);
  const devices = portal.devices();
  if (Object.keys(errors).length) {
    // Every other problem at once (a typed extension that does not exist is already reported).
    const others = await portal.services.objects
      .validate(v.actor, v.pbx.id, 'devices', null, {
        ...input,
        extensionIds: errors.extensionIds ? [] : input.extensionIds,
        lineKeys: [],
      })
      .catch(() => ({}));
    return showForm(portal, req, res, values, { ...formErrors(others), ...errors }, 422);
  }
  let added: Awaited<ReturnType<typeof devices.add>>;
  try {
    added = await devices.add(v.actor, v.pbx.id, input);
  } catch (err) {
    if (err instanceof ValidationError) return showForm(portal, req, res, values, formErrors(err.fields), 422);
    throw err;
  }
  const facts = await provisioningFacts(portal, v, added.device);
  renderPage(
    portal,
    req,
    res,
    'install/result',
    {
      ...facts,
      password: added.password,
      armAction: `${BASE}/${added.device.id}/arm`,
      minutes: DEFAULT_WINDOW_MINUTES,
      devicePath: `/services/devices/${added.device.id}`,
    },
    { title: 'Phone added', status: 201 },
  );
}

/** The result page again (after arming): everything but the password, which was shown once. */
export async function result(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const d = await portal.devices().get(v.actor, v.pbx.id, idParam(req));
  renderPage(
    portal,
    req,
    res,
    'install/result',
    {
      ...(await provisioningFacts(portal, v, d)),
      password: null,
      armAction: `${BASE}/${d.id}/arm`,
      minutes: DEFAULT_WINDOW_MINUTES,
      devicePath: `/services/devices/${d.id}`,
    },
    { title: 'Phone added' },
  );
}

export async function arm(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const devices = portal.devices();
  const id = idParam(req);
  const mac = await devices.macOf(v.actor, v.pbx.id, id); // 404 for another tenant's or a missing device
  await devices.arm(v.actor, mac, DEFAULT_WINDOW_MINUTES);
  flash(
    res,
    portal.secure,
    `The provisioning window is open for ${DEFAULT_WINDOW_MINUTES} minutes: plug the phone in (or restart it) now.`,
  );
  res.redirect(303, `${BASE}/${id}`);
}
