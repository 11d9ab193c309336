// Settings → Audit Log: every change made in this PBX (portal, API, CLI), newest first, filterable and paginated.
import type { Request, Response } from 'express';
import { AUDIT_ACTIONS } from '../../domain/model';
import { KINDS } from '../../services/kinds';
import { type Portal, viewer } from '../context';
import { FormView } from '../forms';
import { objectPath } from '../links';
import { renderPage } from '../render';

const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  disable: 'Disabled',
  enable: 'Enabled',
  reset_password: 'Password reset',
  permissions: 'Permissions changed',
};

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

const str = (q: unknown) => (typeof q === 'string' ? q.slice(0, 60) : '');

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const filter = {
    kind: str(req.query.kind),
    action: str(req.query.action),
    who: str(req.query.who),
    object: str(req.query.object),
    from: str(req.query.from),
    to: str(req.query.to),
  };
  const page = Math.max(1, Number.parseInt(str(req.query.page), 10) || 1);
  const result = await portal.services.audit.list(v.actor, v.pbx.id, filter, page, 50);
  const form = new FormView(filter);
  const kinds = [...KINDS.map((k) => k.name), 'users', 'pbx', 'listen-live'];
  const link = (n: number) =>
    `/settings/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([, x]) => x)), page: String(n) })}`;
  const pages = Math.max(1, Math.ceil(result.total / result.perPage));
  renderPage(
    portal,
    req,
    res,
    'audit/list',
    {
      fields: {
        kind: form.select('kind', 'What', [
          { value: '', label: 'Everything' },
          ...kinds.map((k) => ({ value: k, label: k })),
        ]),
        action: form.select('action', 'Change', [
          { value: '', label: 'Any' },
          ...AUDIT_ACTIONS.map((a) => ({ value: a, label: ACTION_LABELS[a] })),
        ]),
        who: form.text('who', 'Who (username)'),
        object: form.text('object', 'Object (e.g. extension 101)'),
        from: form.text('from', 'From', { type: 'date' }),
        to: form.text('to', 'To', { type: 'date' }),
      },
      rows: result.entries.map((e) => ({
        at: (e.at instanceof Date ? e.at : new Date(e.at)).toISOString().replace('T', ' ').slice(0, 19),
        who: e.actorLabel,
        action: ACTION_LABELS[e.action] ?? e.action,
        what: e.objectLabel,
        href: e.action === 'delete' ? null : objectPath(e.kind, e.objectId ?? null),
        changes: Object.entries(e.changes ?? {}).map(([field, c]) => ({
          field,
          before: show(c.before),
          after: show(c.after),
        })),
      })),
      empty: result.total === 0,
      pager: result.total
        ? {
            summary: `Page ${result.page} of ${pages} (${result.total.toLocaleString('en-US')} changes)`,
            prev: result.page > 1 ? link(result.page - 1) : null,
            next: result.page < pages ? link(result.page + 1) : null,
          }
        : null,
    },
    { title: 'Audit Log' },
  );
}
