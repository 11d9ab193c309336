// Bearer-token authentication for the API: `Authorization: Bearer dt_…` only. No cookie is read here, so no request a
// browser sends on its own can act through the API (nothing for CSRF to ride on).
import type { NextFunction, Request, Response } from 'express';
import type { ApiCaller, ApiTokenService } from '../../services/api-tokens';
import { sendUnauthorized } from './errors';

const BEARER = /^Bearer +(\S+) *$/i;

export function bearerAuth(tokens: ApiTokenService) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    const m = header ? BEARER.exec(header) : null;
    if (!m) {
      // No header, or another scheme (Basic, a cookie-minded client): the client did not try a bearer token.
      sendUnauthorized(res, false);
      return;
    }
    const caller = await tokens.authenticate(m[1]);
    if (!caller) {
      sendUnauthorized(res, true);
      return;
    }
    res.locals.caller = caller;
    next();
  };
}

/** The authenticated caller (set by bearerAuth, which runs before every handler that calls this). */
export function callerOf(res: Response): ApiCaller {
  return res.locals.caller as ApiCaller;
}
