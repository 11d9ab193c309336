// Settings → API Tokens: a user creates tokens for scripts (each acts as that user, with the same permissions) and
// revokes them; the token is shown once, on the answer that created it (only its hash is stored). An administrator
// also sees and may revoke the tokens of every user of the PBX. Service: services/api-tokens.ts.
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/errors';
import { SYSTEM } from '../../services/actor';
import { idParam, type Portal, viewer } from '../context';
import { FormView, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { renderPage } from '../render';

const BASE = '/settings/api-tokens';

async function show(
  portal: Portal,
  req: Request,
  res: Response,
  opts: { values?: Values; errors?: Record<string, string>; status?: number; secret?: string } = {},
): Promise<void> {
  const v = viewer(res);
  const pbx = await portal.services.pbx.get(SYSTEM, v.pbx.id);
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: pbx.timezone, dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });
  }
  const when = (d: Date | string | null) => (d ? fmt.format(new Date(d)) : '');
  const tokens = await portal.services.apiTokens.list(v.actor, v.pbx.id);
  const row = (t: (typeof tokens)[number]) => ({
    name: t.name,
    hint: `${t.hint}…`,
    username: t.username,
    created: when(t.createdAt),
    lastUsed: t.lastUsedAt ? when(t.lastUsedAt) : 'Never',
    revoked: t.revokedAt ? when(t.revokedAt) : null,
    revokeAction: t.revokedAt ? null : `${BASE}/${t.id}/revoke`,
  });
  const form = new FormView(opts.values ?? {}, opts.errors ?? {});
  const title = 'API Tokens';
  renderPage(
    portal,
    req,
    res,
    'api-tokens/list',
    {
      name: form.text('name', 'Token name', {
        hint: 'What the token is for, e.g. "Nightly export script". At most 50 characters.',
        maxlength: 50,
        autocomplete: 'off',
      }),
      summary: form.summary(),
      action: BASE,
      secret: opts.secret ?? null,
      mine: tokens.filter((t) => t.userId === v.user.id).map(row),
      others: v.isAdmin ? tokens.filter((t) => t.userId !== v.user.id).map(row) : null,
      apiBase: `${portal.publicUrl.replace(/\/+$/, '')}/api/v1/pbxs/${v.pbx.context}`,
    },
    { title, status: opts.status },
  );
}

export const list = (portal: Portal, req: Request, res: Response) => show(portal, req, res);

export async function create(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const values = postedValues(req.body);
  try {
    const created = await portal.services.apiTokens.create(v.actor, v.pbx.id, v.user.id, {
      name: values.name ?? '',
    });
    // The token itself only on this answer: never in a cookie, never again.
    await show(portal, req, res, { secret: created.secret });
  } catch (err) {
    if (err instanceof ValidationError) return show(portal, req, res, { values, errors: err.fields, status: 422 });
    throw err;
  }
}

export async function revoke(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const t = await portal.services.apiTokens.revoke(v.actor, v.pbx.id, idParam(req)); // another's: 404
  flash(res, portal.secure, `API token "${t.name}" revoked: it no longer works.`);
  res.redirect(303, BASE);
}
