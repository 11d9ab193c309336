// Services → PBX Info (manual: PBX Configuration): General Info, Caller ID Settings, PBX Features and the time zone.
// Everyone with the PBX Info module may look; only administrators change it (the service says so too). Call paths
// the customer pays for are shown, not edited (only the operator sets prepaid paths).
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import type { PbxSecrets, PbxView } from '../../services/pbx-service';
import { type Portal, viewer } from '../context';
import { FormView, postedValues, truthy, type Values } from '../forms';
import { flash } from '../http';
import { renderPage } from '../render';

const BASE = '/services/pbx-info';
const FEATURES = [
  'internationalCalling',
  'directedPickup',
  'intercom',
  'sevenDigitDialing',
  'directoryByFirstName',
  'readExtensionInDirectory',
] as const;

/** US zones first (the manual's customers), then every zone this Node knows. */
function timezoneOptions(current: string): Array<{ value: string; label: string }> {
  const us = [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'America/Los_Angeles',
    'America/Anchorage',
    'Pacific/Honolulu',
  ];
  const all = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  const rest = all.filter((z) => !us.includes(z));
  if (current && !us.includes(current) && !rest.includes(current)) rest.unshift(current);
  return [...us, ...rest].map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
}

export function pbxValues(p: PbxView): Values {
  const v: Values = {
    name: p.name,
    onDemandPaths: String(p.onDemandPaths),
    onDemandFaxPaths: String(p.onDemandFaxPaths),
    callerIdNumber: p.callerIdNumber ?? '',
    callerIdName: p.callerIdName ?? '',
    areaCode: p.areaCode ?? '',
    parkingTimeout: String(p.parkingTimeout),
    timezone: p.timezone,
  };
  for (const f of FEATURES) v[f] = String(p[f]);
  return v;
}

function view(p: PbxView, form: FormView, isAdmin: boolean) {
  const fc = p.featureCodes;
  const dis = { disabled: !isAdmin };
  return {
    general: {
      context: p.context,
      prepaidPaths: p.prepaidPaths,
      prepaidFaxPaths: p.prepaidFaxPaths,
      name: form.text('name', 'Customer Name', { maxlength: 100, ...dis }),
      onDemandPaths: form.text('onDemandPaths', 'On-Demand Call Paths', {
        inputmode: 'numeric',
        maxlength: 5,
        hint: 'Select the number of On-Demand Paths you would like available for your use. On-Demand Paths are charged to your account when and if used, per the terms of your agreement.',
        ...dis,
      }),
      onDemandFaxPaths: form.text('onDemandFaxPaths', 'On-Demand Fax Paths', {
        inputmode: 'numeric',
        maxlength: 4,
        ...dis,
      }),
    },
    callerId: {
      number: form.text('callerIdNumber', 'Caller ID Number', {
        inputmode: 'tel',
        hint: 'The number presented on outbound calls. This is the default value used as you set up new phone numbers; you may override it for each phone number.',
        ...dis,
      }),
      name: form.text('callerIdName', 'Caller ID (CNAM)', {
        maxlength: 15,
        hint: 'The Caller ID name displayed to a called party for on-network outgoing calls (up to 15 characters).',
        ...dis,
      }),
    },
    features: {
      international: form.yesNo('internationalCalling', 'Allow International Calling', {
        hint: 'If set to “No” then outbound international calls can not be made from this account.',
        ...dis,
      }),
      pickup: form.yesNo('directedPickup', 'Enable Directed Call Pickup?', {
        hint: `If enabled, all users of the PBX will be able to dial ${fc.directedPickup} plus an extension number to answer a call ringing another user’s phone.`,
        ...dis,
      }),
      intercom: form.yesNo('intercom', 'Enable Intercom?', {
        hint: `If enabled, all users of the PBX will be able to dial ${fc.intercom} plus an extension to activate the intercom features of the phone. This currently only works with Polycom devices.`,
        ...dis,
      }),
      sevenDigit: form.yesNo('sevenDigitDialing', 'Enable 7 Digit Dialing?', {
        hint: 'If enabled, all users will only be able to dial using 7 digits: the PBX area code below is put in front.',
        ...dis,
      }),
      areaCode: form.text('areaCode', 'Area Code', {
        inputmode: 'numeric',
        maxlength: 3,
        hint: 'The 3-digit area code 7-digit numbers are dialed in. Needed when 7 Digit Dialing is enabled.',
        ...dis,
      }),
      firstName: form.yesNo('directoryByFirstName', 'Enable Directory by First Name?', {
        hint: `If enabled, the company directory (${fc.companyDirectory}) will go by first name instead of last name.`,
        ...dis,
      }),
      readExtension: form.yesNo('readExtensionInDirectory', 'Read Extension Numbers in Directory?', {
        hint: 'Directory will read the extension number to the caller before presenting dialing options.',
        ...dis,
      }),
      parking: form.text('parkingTimeout', 'Call Parking Timeout', {
        inputmode: 'numeric',
        maxlength: 4,
        hint: `Seconds a parked call (${fc.park}) waits before it rings back. Default is 10 minutes = 600 seconds (30 to 3600).`,
        ...dis,
      }),
    },
    timezone: form.select('timezone', 'Time Zone', timezoneOptions(form.values.timezone ?? p.timezone), {
      hint: 'Time frames, holidays, voicemail time stamps and the Activity pages use this time zone.',
      ...dis,
    }),
    summary: form.summary(),
  };
}

async function showPage(
  portal: Portal,
  req: Request,
  res: Response,
  values?: Values,
  errors: Record<string, string> = {},
  status = 200,
  secrets: PbxSecrets | null = null,
): Promise<void> {
  const v = viewer(res);
  const p = await portal.services.pbx.get(v.actor, v.pbx.id);
  const form = new FormView(values ?? pbxValues(p), errors);
  renderPage(
    portal,
    req,
    res,
    'pbx-info/show',
    {
      ...view(p, form, v.isAdmin),
      isAdmin: v.isAdmin,
      action: BASE,
      // The PIN and the phones' admin password are secrets: read only when an administrator asks (Reveal, a POST).
      secrets,
      revealPath: v.isAdmin && !secrets ? `${BASE}/reveal` : null,
    },
    { title: 'PBX Info', status },
  );
}

export const show = (portal: Portal, req: Request, res: Response) => showPage(portal, req, res);

export async function update(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const patch: Record<string, unknown> = {
    name: values.name ?? '',
    onDemandPaths: values.onDemandPaths ?? '',
    onDemandFaxPaths: values.onDemandFaxPaths ?? '',
    callerIdNumber: values.callerIdNumber ?? '',
    callerIdName: values.callerIdName ?? '',
    areaCode: values.areaCode ?? '',
    parkingTimeout: values.parkingTimeout ?? '',
    timezone: values.timezone ?? '',
  };
  for (const f of FEATURES) patch[f] = truthy(values[f]);
  try {
    await portal.services.pbx.update(v.actor, v.pbx.id, patch);
  } catch (err) {
    if (err instanceof ValidationError) return showPage(portal, req, res, values, err.fields, 422);
    throw err;
  }
  flash(res, portal.secure, 'PBX updated.');
  res.redirect(303, BASE);
}

/** Reveal: the PBX Pin and the phone admin password, shown on this answer only (never kept in a flash or a URL). */
export async function reveal(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const secrets = await portal.services.pbx.revealSecrets(v.actor, v.pbx.id);
  await showPage(portal, req, res, undefined, {}, 200, secrets);
}
