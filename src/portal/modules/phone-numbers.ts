// Services → Phone Numbers (manual: Phone Numbers): the numbers the operator assigned to this PBX, with what an
// administrator may change — State, Caller ID (CNAM), Internal Presentation, Call Routing (route to, if holiday, via
// the destination picker), hold music group and privacy screening. The number itself and Toll Free are the operator's
// (kinds.ts `operator`): shown read-only, never posted.
import type { Request, Response } from 'express';
import type { Destination } from '../../domain/destination';
import { ValidationError } from '../../domain/errors';
import type { PhoneNumber } from '../../domain/model';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedValues, truthy, type Values } from '../forms';
import { flash } from '../http';
import { listQuery, pager } from '../paging';
import { DESTINATION_LABEL, destinationValues, loadTargets, objectRefs, pickerView, readDestination } from '../picker';
import { renderPage } from '../render';

const BASE = '/services/phone-numbers';
const crumbs = [{ label: 'Phone Numbers', path: BASE }];

/** 3125550100 → (312) 555-0100; E.164 digits → +44…; as stored otherwise. */
export function formatNumber(n: string): string {
  if (/^\d{10}$/.test(n)) return `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`;
  if (/^1\d{10}$/.test(n)) return `(${n.slice(1, 4)}) ${n.slice(4, 7)}-${n.slice(7)}`;
  return /^\d{11,15}$/.test(n) ? `+${n}` : n;
}

function describe(d: Destination | null, labels: Map<string, { label: string }>): string {
  if (!d) return '';
  const kind = DESTINATION_LABEL.get(d.kind) ?? d.kind;
  if ('id' in d) return `${kind} ${labels.get(`${d.kind}:${d.id}`)?.label ?? ''}`.trim();
  if (d.kind === 'outside_number') return `${kind} ${d.number}`;
  if (d.kind === 'custom') return `${kind} ${d.value}`;
  return kind;
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'numbers', { q, page, perPage: 50 });
  const rows = result.rows as unknown as PhoneNumber[];
  const labels = await portal.services.browse.labels(
    v.actor,
    v.pbx.id,
    objectRefs(rows.flatMap((n) => [n.routeTo, n.ifHoliday])),
  );
  renderPage(
    portal,
    req,
    res,
    'phone-numbers/list',
    {
      q,
      rows: rows.map((n) => ({
        number: formatNumber(n.number),
        tollFree: n.tollFree,
        callerIdName: n.callerIdName ?? 'PBX default',
        routeTo: describe(n.routeTo, labels),
        ifHoliday: n.ifHoliday ? describe(n.ifHoliday, labels) : 'Same as other days',
        path: `${BASE}/${n.id}`,
      })),
      pager: pager(BASE, q, result),
      empty: result.total === 0,
    },
    { title: 'Phone Numbers' },
  );
}

function values(n: PhoneNumber, numbers: Map<string, { number: string | null }>): Values {
  return {
    state: n.state ?? '',
    callerIdName: n.callerIdName ?? '',
    showCallerId: String(n.showCallerId),
    holdMusicGroupId: n.holdMusicGroupId == null ? '' : String(n.holdMusicGroupId),
    privacyScreening: String(n.privacyScreening),
    ...destinationValues('routeTo', n.routeTo, numbers),
    ...destinationValues('ifHoliday', n.ifHoliday, numbers),
  };
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  v: Viewer,
  n: PhoneNumber,
  vals: Values,
  errors: Record<string, string> = {},
  status = 200,
): Promise<void> {
  const form = new FormView(vals, errors);
  const catalog = await loadTargets(portal, v);
  const groups = await portal.services.browse.targets(v.actor, v.pbx.id, 'hold_music_group');
  const title = `Phone Number ${formatNumber(n.number)}`;
  const view = {
    number: formatNumber(n.number),
    // Phone Numbers is an administrator's page, as is the call flow it links to.
    callFlowPath: `/services/call-flow/phone-numbers/${n.id}`,
    tollFree: n.tollFree ? 'Yes' : 'No',
    state: form.text('state', 'State', {
      hint: 'The two-letter code of the state where this PBX is located, e.g. IL.',
      maxlength: 2,
    }),
    callerIdName: form.text('callerIdName', 'Caller ID (CNAM)', {
      hint: 'The text the called party’s caller ID shows for outgoing calls from this number (at most 15 characters; it may take up to 7 days to take effect). Leave empty to use the default of the PBX Info screen.',
      maxlength: 15,
    }),
    showCallerId: form.checkbox('showCallerId', 'Show Caller ID', {
      hint: 'Internal Presentation: the phones show the caller’s ID for calls to this number.',
    }),
    routeTo: pickerView(form, 'routeTo', 'Route To', 'general', catalog, {
      hint: 'Where incoming calls to this number go.',
    }),
    ifHoliday: pickerView(form, 'ifHoliday', 'If Holiday', 'general', catalog, {
      hint: 'How incoming calls to this number are routed on days marked as a Holiday.',
      emptyLabel: 'Same as other days (Route To)',
    }),
    holdMusic: form.select(
      'holdMusicGroupId',
      'Hold Music Group',
      [
        { value: '', label: 'PBX default' },
        ...(groups.items ?? []).map((g) => ({ value: String(g.id), label: g.label })),
      ],
      { hint: 'What callers to this number hear while they are on hold.' },
    ),
    privacy: form.checkbox('privacyScreening', 'Privacy Screening', {
      hint: 'Callers who hide their caller ID are asked to say their name before the call goes through.',
    }),
    summary: form.summary(),
  };
  renderPage(
    portal,
    req,
    res,
    'phone-numbers/form',
    { ...view, title, action: `${BASE}/${n.id}`, cancel: BASE },
    { title, status, crumbs },
  );
}

async function load(portal: Portal, v: Viewer, id: number): Promise<PhoneNumber> {
  return (await portal.services.browse.get(v.actor, v.pbx.id, 'numbers', id)) as unknown as PhoneNumber;
}

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const n = await load(portal, v, idParam(req));
  const numbers = await portal.services.browse.labels(v.actor, v.pbx.id, objectRefs([n.routeTo, n.ifHoliday]));
  await showForm(portal, req, res, v, n, values(n, numbers));
}

export async function update(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const n = await load(portal, v, id); // 404 before anything is read
  const posted = postedValues(req.body);
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = {
    state: posted.state ?? '',
    callerIdName: posted.callerIdName ?? '',
    showCallerId: truthy(posted.showCallerId),
    holdMusicGroupId: posted.holdMusicGroupId ?? '',
    privacyScreening: truthy(posted.privacyScreening),
  };
  const routeTo = await readDestination(portal, v, posted, 'routeTo');
  if ('error' in routeTo) errors.routeTo = routeTo.error;
  else if (routeTo.value === undefined) errors.routeTo = 'choose where calls to this number go';
  else input.routeTo = routeTo.value;
  const holiday = await readDestination(portal, v, posted, 'ifHoliday');
  if ('error' in holiday) errors.ifHoliday = holiday.error;
  else input.ifHoliday = holiday.value ?? null; // empty: holidays route like any other day
  const o = portal.services.objects;
  if (Object.keys(errors).length) {
    const rest = { ...input };
    for (const k of Object.keys(errors)) delete rest[k];
    const others = await o.validate(v.actor, v.pbx.id, 'numbers', id, rest);
    return showForm(portal, req, res, v, n, posted, { ...others, ...errors }, 422);
  }
  try {
    await o.update(v.actor, v.pbx.id, 'numbers', id, input);
  } catch (err) {
    if (err instanceof ValidationError) return showForm(portal, req, res, v, n, posted, err.fields, 422);
    throw err;
  }
  flash(res, portal.secure, `Phone number ${formatNumber(n.number)} saved.`);
  res.redirect(303, `${BASE}/${id}`);
}
