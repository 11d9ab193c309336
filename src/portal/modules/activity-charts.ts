// Activity Graph (incoming and outgoing calls per day or hour) and Path Usage (concurrent calls against the PBX's
// call paths, peak marked). Each page is a form, a chart drawn by static/js/activity-charts.js with Chart.js from our
// own bundle, and the same numbers in a table, so the page is complete without JavaScript.
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import { addDays } from '../../domain/zoned-time';
import type { ActivityGraph } from '../../services/activity/graph';
import type { PathUsage } from '../../services/activity/path-usage';
import { type Portal, viewer } from '../context';
import { FormView } from '../forms';
import { renderPage } from '../render';
import { DIRECTION_OPTIONS, GRAPH_PARAMS, localTime, PATH_PARAMS, queryValues, withQuery } from './activity-view';

const crumbs = [{ label: 'Activity', path: '/activity' }];

export async function graph(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = queryValues(req, GRAPH_PARAMS);
  let g: ActivityGraph | null = null;
  let errors: Record<string, string> = {};
  try {
    g = await portal.services.activity.graph(v.actor, v.pbx.id, req.query as Record<string, unknown>);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    errors = err.fields;
  }
  const timezone = g?.timezone ?? (await portal.services.activity.timezone(v.actor, v.pbx.id));
  const form = new FormView(
    g
      ? { from: g.fromDate, to: g.toDate, by: g.by, direction: g.direction }
      : { by: 'day', direction: 'both', ...values },
    errors,
  );
  const fields = {
    from: form.text('from', 'Start date', { type: 'date' }),
    to: form.text('to', 'End date', { type: 'date', hint: 'Both days are included.' }),
    by: form.select('by', 'Graph type', [
      { value: 'day', label: 'Calls per day' },
      { value: 'hour', label: 'Calls per hour (up to 92 days)' },
    ]),
    direction: form.select('direction', 'Call type', DIRECTION_OPTIONS),
  };
  const show = { incoming: true, outgoing: true, internal: false };
  if (g && g.direction !== 'both') {
    show.incoming = g.direction === 'incoming';
    show.outgoing = g.direction === 'outgoing';
    show.internal = g.direction === 'internal';
  }
  const chart = g
    ? {
        kind: 'calls',
        labels: g.series.labels,
        datasets: [
          ...(show.incoming ? [{ key: 'incoming', label: 'Incoming', data: g.series.incoming }] : []),
          ...(show.outgoing ? [{ key: 'outgoing', label: 'Outgoing', data: g.series.outgoing }] : []),
          ...(show.internal ? [{ key: 'internal', label: 'Internal', data: g.series.internal }] : []),
        ],
      }
    : null;
  renderPage(
    portal,
    req,
    res,
    'activity/graph',
    {
      fields,
      summary: form.summary(),
      timezone,
      employee: !v.isAdmin,
      graph: g && {
        title: `${g.by === 'day' ? 'Calls per day' : 'Calls per hour'}, ${g.fromDate} to ${g.toDate}`,
        chartJson: JSON.stringify(chart),
        show,
        rows: g.buckets,
        totals: g.totals,
        empty: g.totals.incoming + g.totals.outgoing + g.totals.internal === 0,
        jsonPath: withQuery(`/api/v1/pbxs/${encodeURIComponent(v.pbx.context)}/calls/graph`, {
          from: g.fromDate,
          to: g.toDate,
          by: g.by,
          direction: g.direction,
        }),
      },
    },
    { title: 'Activity Graph', crumbs, status: g ? 200 : 422 },
  );
}

const ZOOMS = [
  { value: 'day', label: 'Day (by minute)' },
  { value: 'week', label: 'Week (by hour)' },
  { value: 'month', label: 'Month (by day)' },
];

function pathVerdict(u: PathUsage): string {
  const { prepaid, total } = u.paths;
  if (u.peak.value === 0) return 'No outside call was up in this period.';
  const at = u.peak.at ? ` at ${localTime(u.peak.at)}` : '';
  const peak = `Peak: ${u.peak.value} concurrent call${u.peak.value === 1 ? '' : 's'}${at}`;
  if (u.peak.value <= prepaid) return `${peak}, within your ${prepaid} prepaid call paths.`;
  if (u.peak.value <= total)
    return `${peak}: ${u.peak.value - prepaid} more than your ${prepaid} prepaid call paths, carried by on-demand paths.`;
  return `${peak}: more than all ${total} call paths (prepaid and on-demand); callers beyond that heard busy.`;
}

export async function pathUsage(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = queryValues(req, PATH_PARAMS);
  let u: PathUsage | null = null;
  let errors: Record<string, string> = {};
  try {
    u = await portal.services.activity.pathUsage(v.actor, v.pbx.id, req.query as Record<string, unknown>);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    errors = err.fields;
  }
  const timezone = u?.timezone ?? (await portal.services.activity.timezone(v.actor, v.pbx.id));
  const form = new FormView(u ? { zoom: u.zoom, start: u.startDate } : { zoom: 'day', ...values }, errors);
  const fields = {
    zoom: form.select('zoom', 'Zoom level', ZOOMS),
    start: form.text('start', 'Start date', { type: 'date', hint: 'The first day shown.' }),
  };
  let view = null;
  if (u) {
    const peakValue = u.peak.value;
    const peakIndex = peakValue > 0 ? u.buckets.findIndex((b) => b.max === peakValue) : -1;
    const stepBack =
      u.zoom === 'day' ? addDays(u.startDate, -1) : u.zoom === 'week' ? addDays(u.startDate, -7) : monthBefore(u);
    // Idle minutes (1,440 a day) and hours (168 a week) would bury the busy ones: those tables list only the busy.
    const sparse = u.zoom !== 'month';
    const rows = u.buckets.map((b, i) => ({ ...b, peak: i === peakIndex })).filter((b) => !sparse || b.max > 0);
    view = {
      title: `${ZOOMS.find((z) => z.value === u.zoom)?.label}: ${u.startDate}${u.zoom === 'day' ? '' : ` to ${addDays(u.endDate, -1)}`}`,
      verdict: pathVerdict(u),
      over: u.peak.value > u.paths.prepaid,
      paths: u.paths,
      rows,
      sparse: sparse ? (u.zoom === 'day' ? { col: 'Minute', what: 'minutes' } : { col: 'Hour', what: 'hours' }) : null,
      chartJson: JSON.stringify({
        kind: 'paths',
        zoom: u.zoom,
        labels: u.series.labels,
        max: u.series.max,
        prepaid: u.paths.prepaid,
        total: u.paths.total,
        peakIndex,
      }),
      earlier: withQuery('/activity/path-usage', { zoom: u.zoom, start: stepBack }),
      later: withQuery('/activity/path-usage', { zoom: u.zoom, start: u.endDate }),
      jsonPath: withQuery(`/api/v1/pbxs/${encodeURIComponent(v.pbx.context)}/calls/path-usage`, {
        zoom: u.zoom,
        start: u.startDate,
      }),
    };
  }
  renderPage(
    portal,
    req,
    res,
    'activity/path-usage',
    { fields, summary: form.summary(), timezone, usage: view },
    { title: 'Path Usage', crumbs, status: u ? 200 : 422 },
  );
}

/** The start of the month-long window before this one (the same day of the previous month). */
function monthBefore(u: PathUsage): string {
  const [y, m, d] = u.startDate.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 2, d));
  if (t.getUTCDate() !== d) t.setUTCDate(0); // 31 March → last day of February
  return t.toISOString().slice(0, 10);
}
