// Voicemail → Voicemail Configuration: the voice mailbox associated with an extension. An employee goes straight to
// their own mailbox; an administrator picks an extension's mailbox from a list (search, pages). The page itself is
// the mailbox edit page (mailboxes.ts) under this URL base.
import type { Request, Response } from 'express';
import { NotFoundError } from '../../domain/errors';
import type { Extension } from '../../domain/model';
import type { RefKind } from '../../services/kinds';
import { type Portal, viewer } from '../context';
import { listQuery, pager } from '../paging';
import { renderPage } from '../render';
import { editPages } from './mailboxes';

export const VOICEMAIL_CONFIGURATION = '/voicemail/configuration';

export const { edit, update, errorPage } = editPages(VOICEMAIL_CONFIGURATION);

export async function index(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const b = portal.services.browse;
  let own: Extension | null = null;
  if (v.user.extensionId)
    own = (await b.get(v.actor, v.pbx.id, 'extensions', v.user.extensionId).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null; // the extension was deleted since
      throw err;
    })) as Extension | null;
  if (!v.isAdmin) {
    if (own?.mailboxId != null) {
      res.redirect(303, `${VOICEMAIL_CONFIGURATION}/${own.mailboxId}`);
      return;
    }
    renderPage(
      portal,
      req,
      res,
      'voicemail-configuration/none',
      { hasExtension: !!own },
      { title: 'Voicemail Configuration' },
    );
    return;
  }
  const { q, page } = listQuery(req);
  const result = await b.page(v.actor, v.pbx.id, 'extensions', { q, page, perPage: 50 });
  const rows = result.rows as unknown as Extension[];
  const refs: Array<{ kind: RefKind; id: number }> = rows
    .filter((e) => e.mailboxId != null)
    .map((e) => ({ kind: 'mailbox', id: e.mailboxId as number }));
  if (own?.mailboxId != null) refs.push({ kind: 'mailbox', id: own.mailboxId });
  const labels = await b.labels(v.actor, v.pbx.id, refs);
  const link = (id: number) => `${VOICEMAIL_CONFIGURATION}/${id}`;
  renderPage(
    portal,
    req,
    res,
    'voicemail-configuration/list',
    {
      q,
      own:
        own?.mailboxId != null
          ? { label: labels.get(`mailbox:${own.mailboxId}`)?.label ?? '', path: link(own.mailboxId) }
          : null,
      rows: rows.map((e) => ({
        extension: e.number,
        name: e.name,
        mailbox: e.mailboxId == null ? null : (labels.get(`mailbox:${e.mailboxId}`)?.label ?? ''),
        path: e.mailboxId == null ? null : link(e.mailboxId),
        extensionPath: `/services/extensions/${e.id}`,
      })),
      pager: pager(VOICEMAIL_CONFIGURATION, q, result),
      empty: result.total === 0,
    },
    { title: 'Voicemail Configuration' },
  );
}
