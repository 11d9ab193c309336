// Activity (the manual's "Checking Account Activity"): search calls by start and end date, call type, extension or
// phone number, newest first in keyset pages, times in the PBX time zone; the same search as a streamed CSV export.
// An employee sees only their own extension's calls (services.activity narrows the search; the page says so).
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import type { ActivityPage } from '../../services/activity/activity-service';
import { describeRoute } from '../../services/activity/routes';
import type { Portal, Viewer } from '../context';
import { viewer } from '../context';
import { FormView } from '../forms';
import { renderPage } from '../render';
import { callRow, DIRECTION_OPTIONS, queryValues, SEARCH_PARAMS, withQuery } from './activity-view';

const BASE = '/activity';

function searchForm(v: Viewer, values: Record<string, string>, errors: Record<string, string>, tz: string) {
  const form = new FormView({ direction: 'both', ...values }, errors);
  const fields = {
    from: form.text('from', 'Start date', {
      hint: 'A date (2026-03-01) or a date and time (2026-03-01 14:30).',
      maxlength: 25,
    }),
    to: form.text('to', 'End date', { hint: `Only a date: the whole day. Times in ${tz}.`, maxlength: 25 }),
    direction: form.select('direction', 'Call type', DIRECTION_OPTIONS),
    extension: v.isAdmin
      ? form.text('extension', 'Extension', {
          hint: 'Calls made or answered by this extension.',
          inputmode: 'numeric',
          maxlength: 6,
        })
      : null,
    number: form.text('number', 'Phone number', {
      hint: 'One of your phone numbers or an outside number; +1, spaces and dashes are ignored.',
      inputmode: 'tel',
      maxlength: 30,
    }),
  };
  return { form, fields };
}

/** The service's date message names a format (for API clients); the form says it with examples. */
function friendly(fields: Record<string, string>): Record<string, string> {
  const out = { ...fields };
  for (const k of ['from', 'to'])
    if (out[k]?.startsWith('must be a date'))
      out[k] = 'enter a date such as 2026-03-01, or a date and time such as 2026-03-01 14:30';
  return out;
}

/** Phone numbers behind the route tokens of this page (did_<id>), read in one query. */
async function routeTexts(portal: Portal, v: Viewer, page: ActivityPage): Promise<Map<string, string | null>> {
  const ids = new Set<number>();
  for (const c of page.calls) {
    const m = c.route ? /^did_(\d+)/.exec(c.route) : null;
    if (m) ids.add(Number(m[1]));
  }
  const labels = ids.size
    ? await portal.services.browse.labels(
        v.actor,
        v.pbx.id,
        [...ids].map((id) => ({ kind: 'phone_number' as const, id })),
      )
    : new Map();
  const phoneNumbers = [...ids].flatMap((id) => {
    const l = labels.get(`phone_number:${id}`);
    return l ? [{ id, number: l.number ?? l.label }] : [];
  });
  const out = new Map<string, string | null>();
  for (const c of page.calls)
    if (c.route && !out.has(c.route))
      out.set(c.route, describeRoute(c.route, { phoneNumbers } as Parameters<typeof describeRoute>[1]));
  return out;
}

export async function search(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = queryValues(req, [...SEARCH_PARAMS, 'cursor', 'page', 'limit']);
  let page: ActivityPage | null = null;
  let errors: Record<string, string> = {};
  try {
    page = await portal.services.activity.search(v.actor, v.pbx.id, req.query as Record<string, unknown>);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    errors = friendly(err.fields);
  }
  const timezone = page?.timezone ?? (await portal.services.activity.timezone(v.actor, v.pbx.id));
  const { form, fields } = searchForm(v, values, errors, timezone);
  const filters = Object.fromEntries(SEARCH_PARAMS.map((k) => [k, values[k]]));
  const pageNo = Math.min(Math.max(Number.parseInt(values.page ?? '1', 10) || 1, 1), 1_000_000);
  const routes = page ? await routeTexts(portal, v, page) : new Map();
  const rows = page?.calls.map((c) => callRow(c, c.route ? (routes.get(c.route) ?? null) : null)) ?? [];
  const first = (pageNo - 1) * (page?.query.limit ?? 50) + 1;
  renderPage(
    portal,
    req,
    res,
    'activity/search',
    {
      fields,
      summary: form.summary(),
      timezone,
      employeeExtension: v.isAdmin ? null : (page?.query.extension ?? null),
      employeeWithout: !v.isAdmin && page !== null && !page.query.extension,
      rows,
      showRoute: rows.some((r) => r.route),
      searched: page !== null,
      empty: page !== null && rows.length === 0,
      exportPath: withQuery(`${BASE}/export.csv`, filters),
      pager:
        page && rows.length
          ? {
              summary: `Calls ${first.toLocaleString('en-US')}–${(first + rows.length - 1).toLocaleString('en-US')}, newest first`,
              prev: values.cursor ? withQuery(BASE, { ...filters, limit: values.limit }) : null,
              prevLabel: 'Newest calls',
              next: page.nextCursor
                ? withQuery(BASE, {
                    ...filters,
                    limit: values.limit,
                    cursor: page.nextCursor,
                    page: String(pageNo + 1),
                  })
                : null,
              nextLabel: 'Older calls',
            }
          : null,
    },
    { title: 'Activity', status: page ? 200 : 422 },
  );
}

/** Content-Disposition file name: the PBX context and today's date, nothing a user typed. */
function fileName(v: Viewer): string {
  const ctx = v.pbx.context.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  return `activity-${ctx}-${new Date().toISOString().slice(0, 10)}.csv`;
}

/**
 * The same search as CSV, every matching call, streamed batch by batch (memory stays flat). The query is checked
 * before the first byte, so a bad one gets the search page with its errors instead of a broken download.
 */
export async function exportCsv(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const raw = req.query as Record<string, unknown>;
  try {
    await portal.services.activity.parse(v.actor, v.pbx.id, raw);
  } catch (err) {
    if (err instanceof ValidationError) return search(portal, req, res);
    throw err;
  }
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName(v)}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await portal.services.activity.exportCsv(v.actor, v.pbx.id, raw, res);
    res.end();
  } catch (err) {
    // Headers are gone: the only honest signal left is a cut connection (the browser reports a failed download).
    if (!res.destroyed) res.destroy(err instanceof Error ? err : undefined);
  }
}
