// Services → Time Frames: the hours of a time frame (weekdays, from–to or all day, optionally only between two dates)
// in the PBX time zone, where calls go during and after them, and whether it is inside the frame right now (the same
// evaluator the call-flow page and the generator's agreement test use: src/domain/time-rules.ts).
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import type { TimeFrame, TimeRule } from '../../domain/model';
import { describeRule, timeFrameState, WEEKDAYS } from '../../domain/time-rules';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, truthy, type Values } from '../forms';
import { flash } from '../http';
import { listQuery, pager } from '../paging';
import { destinationValues, loadTargets, objectRefs, pickerView, readDestination } from '../picker';
import { renderPage } from '../render';
import { formPaths } from './crud-helpers';
import { deletePages } from './service-pages';

const BASE = '/services/time-frames';
const crumbs = [{ label: 'Time Frames', path: BASE }];
/** Rule rows on the form: the saved ones and an empty one (the service takes at most 14). */
const MAX_RULES = 14;

async function pbxZone(portal: Portal, res: Response): Promise<string> {
  const v = viewer(res);
  return (await portal.services.pbx.get(v.actor, v.pbx.id)).timezone;
}

/** "Inside: it is Thursday 14:05 in America/Chicago (Mon–Fri 09:00–17:00)". */
export function nowText(rules: readonly TimeRule[], timezone: string, at: number = Date.now()) {
  const s = timeFrameState(rules, timezone, at);
  const when = `${WEEKDAYS[s.local.weekday]} ${s.local.date} ${s.local.time} in ${timezone}`;
  return {
    inside: s.inside,
    text: s.inside
      ? `Now inside the time frame: it is ${when} (${describeRule(rules[s.rule as number] as TimeRule)}), calls go to During hours.`
      : `Now outside the time frame: it is ${when}, calls go to After hours.`,
  };
}

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'time-frames', { q, page, perPage: 50 });
  const zone = await pbxZone(portal, res);
  const rows = (result.rows as unknown as TimeFrame[]).map((t) => {
    const now = timeFrameState(t.rules, zone, Date.now());
    return {
      name: t.name,
      hours: t.rules.length ? t.rules.map(describeRule).join('; ') : 'No hours set',
      now: now.inside ? 'Inside (during hours)' : 'Outside (after hours)',
      inside: now.inside,
      path: `${BASE}/${t.id}`,
      deletePath: v.isAdmin ? `${BASE}/${t.id}/delete` : null,
    };
  });
  renderPage(
    portal,
    req,
    res,
    'time-frames/list',
    {
      q,
      isAdmin: v.isAdmin,
      zone,
      rows,
      total: result.total,
      empty: result.total === 0,
      pager: pager(BASE, q, result),
    },
    { title: 'Time Frames' },
  );
}

function ruleValues(rules: readonly TimeRule[]): Values {
  const out: Values = {};
  rules.forEach((r, i) => {
    const p = `rules.${i + 1}`;
    for (const d of r.days) out[`${p}.day.${d}`] = 'true';
    out[`${p}.allDay`] = r.allDay ? 'true' : 'false';
    if (!r.allDay) Object.assign(out, { [`${p}.from`]: r.from, [`${p}.to`]: r.to });
    if (r.dateFrom && r.dateTo) Object.assign(out, { [`${p}.dateFrom`]: r.dateFrom, [`${p}.dateTo`]: r.dateTo });
  });
  return out;
}

/** Rows on the form: every row that holds something, then one empty row (at least two rows). */
function rowCount(values: Values): number {
  let last = 0;
  for (const k of Object.keys(values)) {
    const m = /^rules\.(\d+)\./.exec(k);
    if (m && values[k] !== '' && values[k] !== 'false') last = Math.max(last, Number(m[1]));
  }
  return Math.min(MAX_RULES, Math.max(last + 1, 2));
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  opts: {
    id: number | null;
    values: Values;
    errors?: Record<string, string>;
    title: string;
    status?: number;
    rules?: TimeRule[];
  },
): Promise<void> {
  const v = viewer(res);
  const form = new FormView(opts.values, opts.errors ?? {});
  const catalog = await loadTargets(portal, v);
  const name = form.text('name', 'Time Frame Name', {
    hint: 'A unique name for this time frame, used to choose it wherever calls are routed.',
    maxlength: 50,
  });
  const during = pickerView(form, 'during', 'During hours forward call', 'general', catalog, {
    hint: 'How calls are routed during the hours below.',
    exclude: opts.id === null ? undefined : { kind: 'time_frame', id: opts.id },
  });
  const after = pickerView(form, 'after', 'After hours forward call', 'general', catalog, {
    hint: 'How calls are routed at all other times.',
    exclude: opts.id === null ? undefined : { kind: 'time_frame', id: opts.id },
  });
  const rows = Array.from({ length: rowCount(form.values) }, (_, i) => {
    const p = `rules.${i + 1}`;
    form.label(p, `Hours ${i + 1}`);
    // Times and dates show their errors under their own fields; the days (a row of boxes) and the row here.
    const rowErrors = Object.entries(form.errors)
      .filter(([k]) => k === p || k === `${p}.days`)
      .map(([k, m]) => (k === p ? m : `Days: ${m}`));
    return {
      n: i + 1,
      id: `f-rules-${i + 1}`,
      errors: rowErrors,
      days: WEEKDAYS.map((d, day) => form.checkbox(`${p}.day.${day}`, d.slice(0, 3))),
      allDay: form.checkbox(`${p}.allDay`, 'All day'),
      from: form.text(`${p}.from`, 'From', { type: 'time' }),
      to: form.text(`${p}.to`, 'Before', { type: 'time' }),
      dateFrom: form.text(`${p}.dateFrom`, 'Only from', { type: 'date' }),
      dateTo: form.text(`${p}.dateTo`, 'Until', { type: 'date' }),
    };
  });
  const zone = await pbxZone(portal, res);
  renderPage(
    portal,
    req,
    res,
    'time-frames/form',
    {
      title: opts.title,
      summary: form.summary(),
      name,
      during,
      after,
      rows,
      zone,
      now: opts.rules ? nowText(opts.rules, zone) : null,
      ...formPaths(BASE, opts.id, v.isAdmin),
    },
    { title: opts.title, status: opts.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, {
    id: null,
    title: 'New Time Frame',
    values: {
      ...ruleValues([{ days: [1, 2, 3, 4, 5], allDay: false, from: '09:00', to: '17:00' }]),
      'during.kind': '',
      'after.kind': '',
    },
  });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const t = (await portal.services.browse.get(v.actor, v.pbx.id, 'time-frames', id)) as unknown as TimeFrame;
  const numbers = await portal.services.browse.labels(v.actor, v.pbx.id, objectRefs([t.during, t.after]));
  const values = {
    name: t.name,
    ...destinationValues('during', t.during, numbers),
    ...destinationValues('after', t.after, numbers),
    ...ruleValues(t.rules),
  };
  await showForm(portal, req, res, { id, values, title: `Time Frame ${t.name}`, rules: t.rules });
}

/** The posted rule rows as the service's input: empty rows are dropped, row numbers kept for the errors. */
function postedRules(values: Values): { rules: Array<Record<string, unknown>>; rowOf: number[] } {
  const rules: Array<Record<string, unknown>> = [];
  const rowOf: number[] = [];
  for (let i = 1; i <= MAX_RULES; i++) {
    const p = `rules.${i}`;
    const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => truthy(values[`${p}.day.${d}`]));
    const allDay = truthy(values[`${p}.allDay`]);
    const text = (k: string) => (values[`${p}.${k}`] ?? '').trim();
    if (!days.length && !allDay && !text('from') && !text('to') && !text('dateFrom') && !text('dateTo')) continue;
    const rule: Record<string, unknown> = { days, allDay };
    if (!allDay) Object.assign(rule, { from: text('from'), to: text('to') });
    if (text('dateFrom') || text('dateTo')) Object.assign(rule, { dateFrom: text('dateFrom'), dateTo: text('dateTo') });
    rules.push(rule);
    rowOf.push(i);
  }
  return { rules, rowOf };
}

/** Service errors name rules by their place in the list ("rules.2.to"); the form names them by row. */
function rowErrors(errors: Record<string, string>, rowOf: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(errors)) {
    const r = /^rules\.(\d+)\.(.+)$/.exec(k);
    out[r ? `rules.${rowOf[Number(r[1]) - 1] ?? r[1]}.${r[2]}` : k] = m;
  }
  return out;
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  const title = id === null ? 'New Time Frame' : `Time Frame ${values.name ?? ''}`.trim();
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'time-frames', id); // 404 first
  const { rules, rowOf } = postedRules(values);
  const input: Record<string, unknown> = { name: values.name ?? '', rules };
  const errors: Record<string, string> = {};
  for (const field of ['during', 'after']) {
    const d = await readDestination(portal, v, values, field);
    if ('error' in d) errors[field] = d.error;
    else input[field] = d.value ?? null;
  }
  const o = portal.services.objects;
  if (Object.keys(errors).length) {
    // A typed number not in the PBX: still show every other problem at once.
    const rest = await o.validate(v.actor, v.pbx.id, 'time-frames', id, {
      during: 'hangup',
      after: 'hangup',
      ...input,
    });
    const all = { ...rowErrors(rest, rowOf), ...errors };
    await showForm(portal, req, res, { id, values, errors: all, title, status: 422 });
    return;
  }
  try {
    const saved =
      id === null
        ? await o.create(v.actor, v.pbx.id, 'time-frames', input)
        : await o.update(v.actor, v.pbx.id, 'time-frames', id, input);
    flash(res, portal.secure, `Time frame ${saved.name} saved.`);
    res.redirect(303, `${BASE}/${saved.id}`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const all = { ...rowErrors(err.fields, rowOf), ...errors };
    await showForm(portal, req, res, { id, values, errors: all, title, status: 422 });
  }
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

export const { deleteForm, remove } = deletePages({
  kind: 'time-frames',
  base: BASE,
  crumb: 'Time Frames',
  noun: (r) => `time frame “${String(r.name)}”`,
});
