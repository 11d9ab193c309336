// Services → Holidays: a calendar of the year with the named holidays (single days and ranges), the phone numbers
// that route differently on them ("If Holiday" of each phone number), and new / edit / delete.
import type { Request, Response } from 'express';
import type { Holiday, PhoneNumber } from '../../domain/model';
import { today } from '../../domain/zoned-time';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { objectPath } from '../links';
import { objectRefs } from '../picker';
import { renderPage } from '../render';
import { deleteHandlers, describeDestination, saveObject } from './crud-helpers';

const BASE = '/services/holidays';
const crumbs = [{ label: 'Holidays', path: BASE }];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const pad = (n: number) => String(n).padStart(2, '0');

async function pbxToday(portal: Portal, v: Viewer): Promise<string> {
  // The PBX time zone needs PBX Info; without it the calendar marks today in UTC (it only highlights a day).
  const tz = await portal.services.pbx.get(v.actor, v.pbx.id).then(
    (p) => p.timezone,
    () => 'UTC',
  );
  return today(tz);
}

/** Every holiday of a PBX (a PBX has tens, not thousands: one page of 500 is all of them). */
async function allHolidays(portal: Portal, v: Viewer): Promise<Holiday[]> {
  const r = await portal.services.browse.page(v.actor, v.pbx.id, 'holidays', { page: 1, perPage: 500 });
  return (r.rows as unknown as Holiday[]).sort((a, b) => a.date.localeCompare(b.date));
}

/** The twelve months of `year`, weeks starting on Sunday, each day with the holiday on it. */
function calendar(year: number, holidays: Holiday[], todayIso: string) {
  const on = (iso: string) => holidays.find((h) => h.date <= iso && (h.endDate ?? h.date) >= iso);
  return MONTHS.map((name, m) => {
    const first = new Date(Date.UTC(year, m, 1)).getUTCDay();
    const days = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    const cells: Array<{
      day: number | null;
      iso: string;
      holiday: string | null;
      today: boolean;
      path: string | null;
    }> = [];
    for (let i = 0; i < first; i++) cells.push({ day: null, iso: '', holiday: null, today: false, path: null });
    for (let d = 1; d <= days; d++) {
      const iso = `${year}-${pad(m + 1)}-${pad(d)}`;
      const h = on(iso);
      cells.push({
        day: d,
        iso,
        holiday: h?.name ?? null,
        today: iso === todayIso,
        path: h ? `${BASE}/${h.id}` : null,
      });
    }
    const weeks: (typeof cells)[] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    return { name: `${name} ${year}`, weeks };
  });
}

const when = (h: Holiday) => (h.endDate ? `${h.date} to ${h.endDate}` : h.date);

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const todayIso = await pbxToday(portal, v);
  const asked = Number(req.query.year);
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : Number(todayIso.slice(0, 4));
  const holidays = await allHolidays(portal, v);
  const inYear = holidays.filter((h) => h.date.startsWith(String(year)) || (h.endDate ?? '').startsWith(String(year)));
  // Phone numbers with an "If Holiday" route: they route differently on every day of the calendar marked here.
  const numbers = await portal.services.browse.page(v.actor, v.pbx.id, 'numbers', { page: 1, perPage: 500 }).then(
    (r) => r.rows as unknown as PhoneNumber[],
    () => null,
  );
  const labels = numbers
    ? await portal.services.browse.labels(v.actor, v.pbx.id, objectRefs(numbers.map((n) => n.ifHoliday)))
    : new Map();
  renderPage(
    portal,
    req,
    res,
    'holidays/list',
    {
      year,
      prev: `${BASE}?year=${year - 1}`,
      next: `${BASE}?year=${year + 1}`,
      months: calendar(year, holidays, todayIso),
      holidays: inYear.map((h) => ({
        name: h.name,
        when: when(h),
        path: `${BASE}/${h.id}`,
        deletePath: `${BASE}/${h.id}/delete`,
      })),
      isAdmin: v.isAdmin,
      numbersKnown: numbers !== null,
      routing: (numbers ?? []).map((n) => ({
        number: n.number,
        path: objectPath('phone_number', n.id),
        holiday: n.ifHoliday ? describeDestination(n.ifHoliday, labels) : null,
      })),
    },
    { title: 'Holidays' },
  );
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  o: { id: number | null; values: Values; errors?: Record<string, string>; status?: number },
): Promise<void> {
  const form = new FormView(o.values, o.errors ?? {});
  const title = o.id === null ? 'New Holiday' : `Holiday ${o.values.name ?? ''}`;
  const fields = {
    name: form.text('name', 'Name', { hint: 'Enter a name for the holiday, e.g. Thanksgiving.', maxlength: 50 }),
    date: form.text('date', 'Date', {
      type: 'date',
      hint: 'The day of the holiday (in the PBX time zone). All calls into your phone numbers are routed by their “If Holiday” field on this day.',
    }),
    endDate: form.text('endDate', 'Last day (optional)', {
      type: 'date',
      hint: 'For a holiday of several days, such as a closure between Christmas and New Year: its last day (at most 31 days). Leave empty for a single day.',
    }),
  };
  renderPage(
    portal,
    req,
    res,
    'holidays/form',
    {
      ...fields,
      summary: form.summary().concat(o.errors?._form ? [{ href: '#f-name', text: o.errors._form }] : []),
      title,
      action: o.id === null ? `${BASE}/new` : `${BASE}/${o.id}`,
      submit: o.id === null ? 'Add Holiday' : 'Save',
      deletePath: o.id === null ? null : `${BASE}/${o.id}/delete`,
    },
    { title, status: o.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, {
    id: null,
    values: { date: typeof req.query.date === 'string' ? req.query.date.slice(0, 10) : '' },
  });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const h = (await portal.services.browse.get(v.actor, v.pbx.id, 'holidays', id)) as unknown as Holiday;
  await showForm(portal, req, res, { id, values: { name: h.name, date: h.date, endDate: h.endDate ?? '' } });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  if (id !== null) await portal.services.browse.get(v.actor, v.pbx.id, 'holidays', id);
  const values = postedValues(req.body);
  const input = { name: values.name ?? '', date: values.date ?? '', endDate: values.endDate ? values.endDate : null };
  const saved = await saveObject(portal, res, 'holidays', id, input, (errors, status) =>
    showForm(portal, req, res, { id, values, errors, status }),
  );
  if (!saved) return;
  flash(res, portal.secure, `Holiday ${saved.name} saved (${when(saved as unknown as Holiday)}).`);
  res.redirect(303, `${BASE}?year=${String(saved.date).slice(0, 4)}`);
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

export const { deleteForm, remove } = deleteHandlers({
  kind: 'holidays',
  base: BASE,
  crumbs,
  what: (r) => `holiday ${r.name}`,
});
