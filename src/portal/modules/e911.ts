// Services → E911 (manual: Emergency 911): locations with their street address as emergency services expect it, the
// callback number (one location per phone number), the extensions located there, and the terms with who agreed when.
// An address that can be written better is shown normalised ("Street" → "ST") for a second look before it is saved.
import type { Request, Response } from 'express';
import { checkAddress, sameAddress } from '../../domain/e911-address';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { E911Location } from '../../domain/model';
import { idParam, type Portal, viewer } from '../context';
import { CHOOSE, FormView, postedList, postedValues, truthy, type Values } from '../forms';
import { flash } from '../http';
import { objectPath } from '../links';
import { listQuery, pager } from '../paging';
import { renderPage } from '../render';

const BASE = '/services/e911';
const crumbs = [{ label: 'E911', path: BASE }];
const ADDRESS = ['street', 'unit', 'city', 'state', 'zip'] as const;

export const E911_TERMS = [
  'Emergency calls (9-1-1) from your phones are routed to the Public Safety Answering Point (PSAP) for the address of ' +
    'the E911 location the calling extension is assigned to, and the PSAP is presented with this location’s callback number.',
  'You are responsible for keeping each location’s address current and for assigning every extension to the location ' +
    'where its phone is used. A phone moved to another address must be assigned to a location with that address before ' +
    'it is used there, or emergency services may be sent to the wrong place.',
  '9-1-1 calls may not work during a power or Internet outage, or if the phone system cannot reach your provider. ' +
    'Tell everyone who uses these phones about these limits.',
];

function line(l: Pick<E911Location, 'street' | 'unit' | 'city' | 'state' | 'zip'>): string {
  return `${l.street}${l.unit ? ` ${l.unit}` : ''}, ${l.city} ${l.state} ${l.zip}`;
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'e911', { q, page, perPage: 50 });
  const rows = result.rows as unknown as E911Location[];
  const labels = await portal.services.browse.labels(
    v.actor,
    v.pbx.id,
    rows.map((l) => ({ kind: 'phone_number' as const, id: l.callbackNumberId })),
  );
  renderPage(
    portal,
    req,
    res,
    'e911/list',
    {
      q,
      total: result.total,
      rows: rows.map((l) => ({
        name: l.name,
        address: line(l),
        callback: labels.get(`phone_number:${l.callbackNumberId}`)?.label ?? '',
        path: `${BASE}/${l.id}`,
        deletePath: `${BASE}/${l.id}/delete`,
      })),
      pager: pager(BASE, q, result),
      empty: result.total === 0,
    },
    { title: 'E911 Locations' },
  );
}

function locationValues(l: E911Location): Values {
  return {
    name: l.name,
    street: l.street,
    unit: l.unit ?? '',
    city: l.city,
    state: l.state,
    zip: l.zip,
    callbackNumberId: String(l.callbackNumberId),
  };
}

interface FormOpts {
  id: number | null;
  values: Values;
  errors?: Record<string, string>;
  status?: number;
  ticked?: string[];
  suggestion?: string | null;
}

async function showForm(portal: Portal, req: Request, res: Response, o: FormOpts): Promise<void> {
  const v = viewer(res);
  const b = portal.services.browse;
  const form = new FormView(o.values, o.errors ?? {});
  const current = o.id === null ? null : ((await b.get(v.actor, v.pbx.id, 'e911', o.id)) as unknown as E911Location);
  const numbers = await b.targets(v.actor, v.pbx.id, 'phone_number');
  const extensions = await b.targets(v.actor, v.pbx.id, 'extension');
  const here = o.id === null ? [] : await portal.services.objects.referrers(v.actor, v.pbx.id, 'e911', o.id);
  const hereIds = new Set(here.filter((r) => r.kind === 'extension').map((r) => r.id));
  const ticked = new Set(o.ticked ?? []);
  const title = o.id === null ? 'New E911 Location' : `E911 Location ${current?.name ?? ''}`.trim();
  const model = {
    title,
    action: o.id === null ? `${BASE}/new` : `${BASE}/${o.id}`,
    isNew: o.id === null,
    deletePath: o.id === null ? null : `${BASE}/${o.id}/delete`,
    suggestion: o.suggestion ?? null,
    name: form.text('name', 'Location Name', {
      maxlength: 50,
      hint: 'A name for this address, shown in the E911 Location menu of each extension (e.g. "Head Office").',
    }),
    street: form.text('street', 'Street Address', {
      maxlength: 100,
      autocomplete: 'address-line1',
      hint: 'The geographical street address with the building number (no PO boxes). It is checked and written as emergency services expect it.',
    }),
    unit: form.text('unit', 'Suite, Floor or Unit', {
      maxlength: 30,
      autocomplete: 'address-line2',
      hint: 'Optional: e.g. Suite 200 or Floor 3.',
    }),
    city: form.text('city', 'City', { maxlength: 50, autocomplete: 'address-level2' }),
    state: form.text('state', 'State', {
      maxlength: 30,
      autocomplete: 'address-level1',
      hint: 'Two-letter code or the state name.',
    }),
    zip: form.text('zip', 'ZIP Code', {
      maxlength: 10,
      inputmode: 'numeric',
      autocomplete: 'postal-code',
      hint: '5 digits, or ZIP+4.',
    }),
    callback: form.select(
      'callbackNumberId',
      'Callback Number',
      [CHOOSE, ...(numbers.items ?? []).map((n) => ({ value: String(n.id), label: n.label }))],
      {
        hint: 'The callback number presented to the emergency personnel when someone dials 9-1-1 from this location. Each phone number can only be used for a single E911 location.',
      },
    ),
    extensions: (extensions.items ?? []).map((e) => ({
      id: `f-ext-${e.id}`,
      value: String(e.id),
      label: e.label,
      here: hereIds.has(e.id),
      checked: hereIds.has(e.id) || ticked.has(String(e.id)),
    })),
    extensionsUnlisted: extensions.items === null,
    extensionNumbers: form.text('extensionNumbers', 'Extension numbers', {
      hint: 'Numbers of the extensions located at this address, separated by commas.',
    }),
    terms: E911_TERMS,
    agree: o.id === null ? form.checkbox('termsAccepted', 'I agree to the Terms and Conditions') : null,
    accepted: current
      ? {
          by: current.termsAcceptedBy ?? 'unknown',
          at: current.termsAcceptedAt
            ? new Date(current.termsAcceptedAt).toISOString().replace('T', ' ').slice(0, 16)
            : '',
        }
      : null,
    summary: [] as Array<{ href: string; text: string }>,
  };
  form.label('extensions', 'Extensions at this location');
  model.summary = form.summary();
  renderPage(portal, req, res, 'e911/form', model, { title, status: o.status, crumbs });
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, { id: null, values: {} });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const l = (await portal.services.browse.get(v.actor, v.pbx.id, 'e911', id)) as unknown as E911Location;
  await showForm(portal, req, res, { id, values: locationValues(l) });
}

/** Ticked extensions (or typed numbers when there are too many to list) as ids; unknown numbers are an error. */
async function extensionIds(portal: Portal, req: Request, values: Values, res: Response) {
  const v = viewer(res);
  const ids: number[] = [];
  const errors: Record<string, string> = {};
  for (const raw of postedList(req.body, 'extensionIds')) if (/^\d{1,15}$/.test(raw)) ids.push(Number(raw));
  for (const n of (values.extensionNumbers ?? '').split(/[\s,]+/).filter(Boolean)) {
    const id = await portal.services.browse.idByNumber(v.actor, v.pbx.id, 'extension', n);
    if (id === null) errors.extensionNumbers = `there is no extension ${n.slice(0, 12)} in this PBX`;
    else ids.push(id);
  }
  return { ids, errors };
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'e911', id); // 404 before anything else
  const values = postedValues(req.body);
  const ticked = postedList(req.body, 'extensionIds');
  const exts = await extensionIds(portal, req, values, res);
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    street: values.street ?? '',
    unit: values.unit ?? '',
    city: values.city ?? '',
    state: values.state ?? '',
    zip: values.zip ?? '',
    callbackNumberId: values.callbackNumberId ?? '',
  };
  if (id === null) input.termsAccepted = truthy(values.termsAccepted);
  const o = portal.services.objects;
  // Recognisably an address but not written as emergency services expect it: show it normalised to be confirmed.
  const check = checkAddress(values);
  const typed = {
    street: values.street ?? '',
    unit: values.unit || null,
    city: values.city ?? '',
    state: values.state ?? '',
    zip: values.zip ?? '',
  };
  if (check.normalised && !sameAddress(check.normalised, typed)) {
    const errors = { ...(await o.validate(v.actor, v.pbx.id, 'e911', id, input)), ...exts.errors };
    for (const k of ADDRESS) delete errors[k];
    const n = check.normalised;
    const fixed = { ...values, street: n.street, unit: n.unit ?? '', city: n.city, state: n.state, zip: n.zip };
    await showForm(portal, req, res, {
      id,
      values: fixed,
      errors,
      ticked,
      status: 422,
      suggestion: line(n),
    });
    return;
  }
  if (Object.keys(exts.errors).length) {
    const errors = { ...(await o.validate(v.actor, v.pbx.id, 'e911', id, input)), ...exts.errors };
    await showForm(portal, req, res, { id, values, errors, ticked, status: 422 });
    return;
  }
  let saved: Record<string, unknown>;
  try {
    saved =
      id === null
        ? await o.create(v.actor, v.pbx.id, 'e911', input)
        : await o.update(v.actor, v.pbx.id, 'e911', id, input);
  } catch (err) {
    if (err instanceof ValidationError)
      return showForm(portal, req, res, { id, values, errors: err.fields, ticked, status: 422 });
    throw err;
  }
  // The extensions located here: each moved to this location (an extension always has exactly one).
  for (const extId of exts.ids) {
    try {
      await o.update(v.actor, v.pbx.id, 'extensions', extId, { e911LocationId: saved.id });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err; // another PBX's id: not found (thrown), never assigned
    }
  }
  flash(res, portal.secure, `E911 location ${saved.name} saved.`);
  res.redirect(303, `${BASE}/${saved.id}`);
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

async function confirmDelete(portal: Portal, req: Request, res: Response, status = 200): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const l = (await portal.services.browse.get(v.actor, v.pbx.id, 'e911', id)) as unknown as E911Location;
  const refs = await portal.services.objects.referrers(v.actor, v.pbx.id, 'e911', id);
  renderPage(
    portal,
    req,
    res,
    'e911/delete',
    {
      name: l.name,
      address: line(l),
      action: `${BASE}/${id}/delete`,
      back: `${BASE}/${id}`,
      referrers: refs.map((r) => ({ label: r.label, field: r.field, href: objectPath(r.kind, r.id) })),
      blocked: refs.length > 0,
    },
    { title: `Delete E911 location ${l.name}`, status, crumbs },
  );
}

export const deleteForm = (portal: Portal, req: Request, res: Response) => confirmDelete(portal, req, res);

export async function remove(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const l = (await portal.services.browse.get(v.actor, v.pbx.id, 'e911', id)) as unknown as E911Location;
  try {
    await portal.services.objects.delete(v.actor, v.pbx.id, 'e911', id);
  } catch (err) {
    if (err instanceof ConflictError) return confirmDelete(portal, req, res, 409);
    throw err;
  }
  flash(res, portal.secure, `E911 location ${l.name} deleted.`);
  res.redirect(303, BASE);
}
