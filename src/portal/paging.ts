// List pages: the search and page number from the query string, and the pager's view model.
import type { Request } from 'express';

export function listQuery(req: Request): { q: string; page: number } {
  const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 50) : '';
  const raw = typeof req.query.page === 'string' ? Number.parseInt(req.query.page, 10) : 1;
  return { q, page: Number.isFinite(raw) && raw > 0 ? Math.min(raw, 1_000_000) : 1 };
}

export function pager(base: string, q: string, p: { total: number; page: number; perPage: number }) {
  if (!p.total) return null;
  const pages = Math.ceil(p.total / p.perPage);
  const link = (n: number) => `${base}?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`;
  const from = (p.page - 1) * p.perPage + 1;
  const to = Math.min(p.total, p.page * p.perPage);
  return {
    summary: `Showing ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}`,
    prev: p.page > 1 ? link(p.page - 1) : null,
    next: p.page < pages ? link(p.page + 1) : null,
  };
}
