// The one place domain errors become HTTP answers: JSON for the API (and anything that is not a portal page),
// an HTML page inside the portal's frame otherwise.
import type { NextFunction, Request, Response } from 'express';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  UploadStalledError,
  UploadTooLargeError,
  ValidationError,
} from '../domain/errors';

/** Renders an error page for a portal request; returns false when the request is not a portal page. */
export type HtmlErrorPage = (status: number, err: unknown, req: Request, res: Response) => boolean;

function statusOf(err: unknown): number {
  // Upload errors are ValidationErrors with their own status: checked first.
  if (err instanceof UploadStalledError) return 408;
  if (err instanceof UploadTooLargeError) return 413;
  if (err instanceof ValidationError) return 422;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof ConflictError) return 409;
  // FreeSWITCH (voicemail, agent status) did not answer: try again later.
  if (err instanceof UnavailableError) return 503;
  if ((err as { name?: string })?.name === 'CsrfRefused') return 403;
  const t = (err as { type?: string })?.type;
  if (t === 'entity.too.large') return 413;
  if (t === 'entity.parse.failed' || t === 'parameters.too.many') return 400;
  return 500;
}

export function errorMiddleware(log: (msg: string, err: unknown) => void, html?: HtmlErrorPage) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const status = statusOf(err);
    if (status === 500) log('unhandled error', err);
    if (html && !req.path.startsWith('/api/') && html(status, err, req, res)) return;
    if (err instanceof UploadStalledError) {
      res.status(408).json({ error: 'timeout', message: err.message });
    } else if (err instanceof UploadTooLargeError) {
      res.status(413).json({ error: 'too_large', message: err.message, fields: err.fields });
    } else if (err instanceof ValidationError) {
      res.status(422).json({ error: 'validation', message: err.message, fields: err.fields });
    } else if (err instanceof NotFoundError) {
      res.status(404).json({ error: 'not_found', message: err.message });
    } else if (err instanceof ForbiddenError) {
      res.status(403).json({ error: 'forbidden', message: err.message });
    } else if (err instanceof ConflictError) {
      res.status(409).json({ error: 'conflict', message: err.message, referrers: err.referrers });
    } else if (err instanceof UnavailableError) {
      res.status(503).json({ error: 'unavailable', message: err.message });
    } else if (status === 413) {
      res.status(413).json({ error: 'too_large', message: 'request body too large' });
    } else if (status === 400) {
      res.status(400).json({ error: 'bad_request', message: 'the request body could not be read' });
    } else if (status === 403) {
      res.status(403).json({ error: 'forbidden', message: 'the request was refused' });
    } else {
      res.status(500).json({ error: 'internal', message: 'internal error' });
    }
  };
}
