// The phone form shared by the installer (/install) and Services → Devices: MAC in any common notation, the model from
// the firmware profiles grouped by vendor, the extension of each line, buddy-list (BLF) keys — form values ⇄ the
// DeviceService's input, and the view model. Extensions are typed as numbers (line 1 first), which works the same on a
// phone's keyboard and for a PBX with thousands of extensions.
import type { LineKey } from '../../domain/model';
import type { DeviceService, PublicDevice } from '../../services/device-service';
import { formatMac } from '../../vendors/mac';
import type { Portal, Viewer } from '../context';
import type { FormView, Values } from '../forms';

const VENDOR_NAMES: Record<string, string> = { polycom: 'Polycom', yealink: 'Yealink' };

/** "00:04:F2:AB:CD:EF", "00-04-f2-ab-cd-ef", "0004.f2ab.cdef", "0004 F2AB CDEF" → "0004f2abcdef" (services check it). */
export function macInput(raw: string | undefined): string {
  return (raw ?? '')
    .trim()
    .replace(/[\s:.-]/g, '')
    .toLowerCase();
}

const numberList = (raw: string | undefined) =>
  (raw ?? '')
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Form values of a saved device (extension numbers looked up by the caller). */
export function deviceValues(d: PublicDevice, extNumber: (id: number) => string): Values {
  return {
    mac: formatMac(d.mac),
    profileId: d.profileId,
    label: d.label ?? '',
    extensions: d.extensionIds.map(extNumber).join(', '),
    buddies: d.lineKeys
      .filter((k): k is Extract<LineKey, { type: 'blf' }> => k.type === 'blf')
      .map((k) => extNumber(k.extensionId))
      .join(', '),
  };
}

/**
 * Posted values → DeviceService input. Typed extension numbers are looked up in the viewer's PBX; unknown ones are
 * reported next to their field. Keys other than buddies (park, speed dial) of `keep` stay as they are, after them.
 */
export async function deviceInput(
  portal: Portal,
  v: Viewer,
  values: Values,
  keep: readonly LineKey[] = [],
): Promise<{ input: Record<string, unknown>; errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  const ids = async (field: string, raw: string | undefined): Promise<number[]> => {
    const out: number[] = [];
    const missing: string[] = [];
    for (const n of numberList(raw)) {
      const id = await portal.services.browse.idByNumber(v.actor, v.pbx.id, 'extension', n);
      if (id === null) missing.push(n.slice(0, 12));
      else out.push(id);
    }
    if (missing.length)
      errors[field] =
        `${missing.length === 1 ? 'there is no extension' : 'there are no extensions'} ${missing.slice(0, 5).join(', ')} in this PBX`;
    return out;
  };
  const extensionIds = await ids('extensionIds', values.extensions);
  if (!numberList(values.extensions).length) errors.extensionIds = 'enter the extension of line 1';
  const buddies = await ids('lineKeys', values.buddies);
  const input = {
    mac: macInput(values.mac),
    profileId: values.profileId ?? '',
    label: (values.label ?? '').trim() || null,
    extensionIds,
    lineKeys: [
      ...buddies.map((extensionId) => ({ type: 'blf', extensionId })),
      ...keep.filter((k) => k.type !== 'blf'),
    ],
  };
  return { input, errors };
}

/** Service error field names → the form's fields (extensionIds and lineKeys.N.x are typed as lists here). */
export function formErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(fields)) {
    const key = k.startsWith('lineKeys') ? 'lineKeys' : k;
    // The service lists the profile ids it knows; the page offers the models themselves.
    out[key] ??= key === 'profileId' ? 'choose the phone’s model from the list' : m;
  }
  return out;
}

export interface ModelGroup {
  vendor: string;
  models: Array<{ value: string; label: string; selected: boolean }>;
}

/** The firmware profiles as a select grouped by vendor, models sorted by name. */
export function modelGroups(devices: DeviceService, selected: string): ModelGroup[] {
  const byVendor = new Map<string, ModelGroup>();
  for (const p of [...devices.catalog.all].sort((a, b) => a.model.localeCompare(b.model, 'en', { numeric: true }))) {
    const vendor = VENDOR_NAMES[p.vendor] ?? p.vendor;
    const group = byVendor.get(vendor) ?? { vendor, models: [] };
    group.models.push({
      value: p.id,
      label: `${vendor} ${p.model} (${p.lines} ${p.lines === 1 ? 'line' : 'lines'})`,
      selected: p.id === selected,
    });
    byVendor.set(vendor, group);
  }
  return [...byVendor.values()].sort((a, b) => a.vendor.localeCompare(b.vendor));
}

/** The view model of the phone fields. */
export function deviceFormView(form: FormView, devices: DeviceService) {
  // Fields in page order (the error summary lists problems in this order).
  const mac = form.text('mac', 'MAC address', {
    hint: 'On the label under the phone: 12 letters and digits, any notation (00:04:F2:AB:CD:EF, 0004f2abcdef…).',
    autocomplete: 'off',
    maxlength: 20,
  });
  form.label('profileId', 'Model');
  form.label('extensionIds', 'Extension(s)');
  const extensions = {
    ...form.text('extensions', 'Extension(s)', {
      hint: 'The extension of line 1, then of further lines, separated by commas (e.g. 201, 202).',
      autocomplete: 'off',
    }),
    id: 'f-extensionIds',
    error: form.errors.extensionIds ?? null,
  };
  form.label('lineKeys', 'Buddy list keys');
  const buddies = {
    ...form.text('buddies', 'Buddy list keys (optional)', {
      hint: 'Extensions to watch on the phone’s free keys, separated by commas: a key lights while its extension is on a call.',
      autocomplete: 'off',
    }),
    id: 'f-lineKeys',
    error: form.errors.lineKeys ?? null,
  };
  const label = form.text('label', 'Label (optional)', {
    hint: 'Where the phone is, e.g. "Front desk": shown in the list of devices.',
    maxlength: 50,
  });
  return {
    mac,
    model: {
      id: 'f-profileId',
      error: form.errors.profileId ?? null,
      groups: modelGroups(devices, form.values.profileId ?? ''),
      none: !form.values.profileId,
    },
    label,
    extensions,
    buddies,
    summary: form.summary(),
  };
}
