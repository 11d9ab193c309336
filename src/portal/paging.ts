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
    // "Showing 1–50 of 10,000": the template writes the words and the dash (pages stay Latin-1, see views.ts).
    from: from.toLocaleString('en-US'),
    to: to.toLocaleString('en-US'),
    total: p.total.toLocaleString('en-US'),
    prev: p.page > 1 ? link(p.page - 1) : null,
    next: p.page < pages ? link(p.page + 1) : null,
  };
}
