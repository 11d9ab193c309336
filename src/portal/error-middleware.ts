// The one place domain errors become HTTP answers.
import type { NextFunction, Request, Response } from 'express';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UploadStalledError,
  UploadTooLargeError,
  ValidationError,
} from '../domain/errors';

export function errorMiddleware(log: (msg: string, err: unknown) => void) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
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
    } else if ((err as { type?: string })?.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', message: 'request body too large' });
    } else {
      log('unhandled error', err);
      res.status(500).json({ error: 'internal', message: 'internal error' });
    }
  };
}
