// Call flow, at a glance: where a call to a phone number or an extension goes — drawn as nested boxes (server-side
// HTML, no script) with the branch active at the chosen moment marked — and, step by step, the way a call would take
// on a date and time in the PBX time zone. Both come from one pure function (src/domain/call-flow.ts) that reads the
// objects the way the generator compiles them.
import type { Request, Response } from 'express';
import { callFlow, type FlowNode, type FlowStart, routeAt } from '../../domain/call-flow';
import { type LocalMoment, localMoment, WEEKDAYS } from '../../domain/time-rules';
import { routingView } from '../../services/routing-view';
import { idParam, type Portal, viewer } from '../context';
import { objectPath } from '../links';
import { renderPage } from '../render';

/** The moment asked about (?date=YYYY-MM-DD&time=HH:MM, local to the PBX), or now; with an error for bad input. */
export function askedMoment(query: Request['query'], timezone: string, now: number = Date.now()) {
  const current = localMoment(timezone, now);
  const date = typeof query.date === 'string' ? query.date.trim() : '';
  const time = typeof query.time === 'string' ? query.time.trim() : '';
  if (!date && !time) return { moment: current, asked: false, error: null as string | null };
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || current.date);
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time || '12:00');
  const check = d ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))) : null;
  const real = !!check && check.toISOString().slice(0, 10) === (date || current.date);
  if (!d || !real) return { moment: current, asked: false, error: 'Enter the date as YYYY-MM-DD, e.g. 2026-12-24.' };
  if (!t) return { moment: current, asked: false, error: 'Enter the time as HH:MM on a 24-hour clock, e.g. 18:30.' };
  const m: LocalMoment = { date: date || current.date, time: `${t[1]}:${t[2]}`, weekday: (check as Date).getUTCDay() };
  return { moment: m, asked: true, error: null };
}

interface NodeView {
  title: string;
  href: string | null;
  kind: string;
  lines: string[];
  repeat: boolean;
  branches: Array<{ label: string; state: 'active' | 'inactive' | 'depends'; stateText: string; node: NodeView }>;
}

function nodeView(n: FlowNode): NodeView {
  return {
    title: n.title,
    href: n.ref ? objectPath(n.ref.kind, n.ref.id) : null,
    kind: n.kind.replace(/_/g, '-'),
    lines: n.lines,
    repeat: !!n.repeat,
    branches: n.branches.map((b) => ({
      label: b.label,
      state: b.active === true ? 'active' : b.active === false ? 'inactive' : 'depends',
      stateText: b.active === true ? 'taken' : b.active === false ? 'not taken' : '',
      node: nodeView(b.node),
    })),
  };
}

async function page(portal: Portal, req: Request, res: Response, start: FlowStart): Promise<void> {
  const v = viewer(res);
  const kindName = start.kind === 'phone_number' ? 'numbers' : 'extensions';
  const row = await portal.services.browse.get(v.actor, v.pbx.id, kindName, start.id); // 404 for another tenant's
  const snap = await routingView(portal.services, v.actor, v.pbx.id);
  const zone = snap.pbx.timezone;
  const asked = askedMoment(req.query, zone);
  const m = asked.moment;
  const tree = callFlow(snap, start, m);
  const route = routeAt(snap, start, m);
  const last = route[route.length - 1]?.node;
  const what = start.kind === 'phone_number' ? `phone number ${String(row.number)}` : `extension ${String(row.number)}`;
  const title = `Call flow of ${what}`;
  renderPage(
    portal,
    req,
    res,
    'call-flow/flow',
    {
      what,
      zone,
      when: `${WEEKDAYS[m.weekday]} ${m.date} at ${m.time}`,
      asked: asked.asked,
      error: asked.error,
      date: typeof req.query.date === 'string' ? req.query.date.slice(0, 10) : m.date,
      time: typeof req.query.time === 'string' ? req.query.time.slice(0, 5) : m.time,
      action: req.originalUrl.split('?')[0],
      route: route.map((s, i) => ({
        n: i + 1,
        via: s.via,
        title: s.node.title,
        href: s.node.ref ? objectPath(s.node.ref.kind, s.node.ref.id) : null,
      })),
      // The path ends at a step whose branches depend on the phone (busy, not answered) or a caller's key.
      ending: last?.branches.length
        ? `Then it depends on the caller or the phone: ${last.branches.map((b) => b.label.toLowerCase()).join(', ')} — see the drawing below.`
        : null,
      tree: nodeView(tree),
      editPath: objectPath(start.kind, start.id),
    },
    {
      title,
      crumbs: [
        {
          label: start.kind === 'phone_number' ? 'Phone Numbers' : 'Extensions',
          path: start.kind === 'phone_number' ? '/services/phone-numbers' : '/services/extensions',
        },
      ],
    },
  );
}

/** /services/call-flow?number=…: a phone number or extension as people dial it, sent to its call-flow page. */
export async function find(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const typed = typeof req.query.number === 'string' ? req.query.number.slice(0, 30) : '';
  const digits = typed.replace(/[^\d]/g, '');
  let error: string | null = null;
  if (typed) {
    const b = portal.services.browse;
    // Phone numbers are stored as 10 digits in North America; people often type the leading 1.
    const asNumber = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    const n =
      (await b.idByNumber(v.actor, v.pbx.id, 'phone_number', asNumber)) ??
      (await b.idByNumber(v.actor, v.pbx.id, 'phone_number', digits));
    if (n !== null) return res.redirect(303, `/services/call-flow/phone-numbers/${n}`);
    const e = await b.idByNumber(v.actor, v.pbx.id, 'extension', digits);
    if (e !== null) return res.redirect(303, `/services/call-flow/extensions/${e}`);
    error = `There is no phone number or extension ${typed} in this PBX.`;
  }
  renderPage(
    portal,
    req,
    res,
    'call-flow/find',
    { number: typed, error },
    { title: 'Call Flow', status: error ? 404 : 200 },
  );
}

export const phoneNumber = (portal: Portal, req: Request, res: Response) =>
  page(portal, req, res, { kind: 'phone_number', id: idParam(req) });
export const extension = (portal: Portal, req: Request, res: Response) =>
  page(portal, req, res, { kind: 'extension', id: idParam(req) });
