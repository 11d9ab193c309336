// The API's own error answers (JSON always, whatever the HTML portal does): domain errors, body-parser errors, 401, 404.
import type { NextFunction, Request, Response } from 'express';
import { ConflictError, ForbiddenError, NotFoundError, UnavailableError, ValidationError } from '../../domain/errors';
import { apiReferrer } from './present';

export function sendError(res: Response, status: number, error: string, message: string, extra: object = {}): void {
  res.status(status).json({ error, message, ...extra });
}

/** RFC 6750: a request without a token gets the scheme; one with a bad token also gets error="invalid_token". */
export function sendUnauthorized(res: Response, tokenGiven: boolean): void {
  res.set('WWW-Authenticate', `Bearer realm="dialtone"${tokenGiven ? ', error="invalid_token"' : ''}`);
  sendError(
    res,
    401,
    'unauthorized',
    tokenGiven
      ? 'the token is not valid (unknown, revoked, or its user is gone)'
      : 'send Authorization: Bearer <token>',
  );
}

/** body-parser's error types, answered as what they are instead of a 500. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'too_large', 'request body too large'],
  'entity.parse.failed': [400, 'bad_json', 'the body is not valid JSON (an object of field values is expected)'],
  'encoding.unsupported': [415, 'unsupported_media_type', 'send the body as UTF-8 JSON'],
  'charset.unsupported': [415, 'unsupported_media_type', 'send the body as UTF-8 JSON'],
  'request.aborted': [400, 'bad_request', 'the request body was cut short'],
  'request.size.invalid': [400, 'bad_request', 'the request body does not match its Content-Length'],
};

export function apiErrorHandler(log: (msg: string, err?: unknown) => void) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof ValidationError) sendError(res, 422, 'validation', err.message, { fields: err.fields });
    else if (err instanceof NotFoundError) sendError(res, 404, 'not_found', err.message);
    else if (err instanceof ForbiddenError) sendError(res, 403, 'forbidden', err.message);
    else if (err instanceof UnavailableError) sendError(res, 503, 'unavailable', err.message);
    else if (err instanceof ConflictError)
      sendError(res, 409, 'conflict', err.message, { referrers: err.links.map(apiReferrer) });
    else {
      const type = (err as { type?: unknown })?.type;
      const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
      if (known) sendError(res, known[0], known[1], known[2]);
      else {
        log('api: unhandled error', err);
        sendError(res, 500, 'internal', 'internal error');
      }
    }
  };
}
