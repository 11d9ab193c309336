// Portal error pages (404, 403, 409, 422, 500) inside the frame: plain words, a way back, never a stack trace.
import type { Request, Response } from 'express';
import { ConflictError, ValidationError } from '../domain/errors';
import type { Portal } from './context';
import { objectPath } from './links';
import { renderPage } from './render';

const TEXT: Record<number, { title: string; lead: string }> = {
  400: { title: 'Bad request', lead: 'The form could not be read. Go back, reload the page and try again.' },
  403: { title: 'Not allowed', lead: 'You do not have permission to open this page or make this change.' },
  404: { title: 'Page not found', lead: 'This page does not exist, or you do not have access to it.' },
  408: { title: 'Upload stopped', lead: 'The upload stopped before it finished. Check your connection and try again.' },
  409: { title: 'This cannot be done yet', lead: 'The change would break something that is still in use.' },
  413: { title: 'Too large', lead: 'What you sent is larger than the portal accepts.' },
  422: { title: 'Please correct the form', lead: 'Some values were not accepted.' },
  503: {
    title: 'Not available right now',
    lead: 'The phone system did not answer. Nothing was changed; please try again in a moment.',
  },
  500: {
    title: 'Something went wrong',
    lead: 'The portal could not finish this request. Nothing was changed by it; please try again.',
  },
};

export function htmlErrorPage(portal: Portal) {
  return (status: number, err: unknown, req: Request, res: Response): boolean => {
    if (req.path.startsWith('/api/') || req.path === '/healthz') return false;
    const text = TEXT[status] ?? TEXT[500];
    const csrf = (err as { name?: string })?.name === 'CsrfRefused';
    const model = {
      title: csrf ? 'This form has expired' : text.title,
      lead: csrf
        ? 'The page you sent it from is too old, or was not opened from this portal. Go back, reload the page and try again.'
        : text.lead,
      // Forbidden/conflict messages come from the services and are written for people; others stay generic.
      detail:
        (status === 403 && !csrf) || status === 503
          ? (err as Error).message
          : status === 409
            ? (err as Error).message.split(':')[0]
            : null,
      fields:
        err instanceof ValidationError ? Object.entries(err.fields).map(([name, message]) => ({ name, message })) : [],
      referrers:
        err instanceof ConflictError
          ? err.links.map((r) => ({ label: r.label, field: r.field, href: objectPath(r.kind, r.id) }))
          : [],
      loggedIn: !!res.locals.viewer,
    };
    renderPage(portal, req, res, 'errors/error', model, { title: model.title, status });
    return true;
  };
}
