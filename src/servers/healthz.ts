// GET /healthz: the process serves and its database answers (200), or it does not (503). Answered by the portal app
// and, in a cluster worker, in front of it: a worker listens before the portal's code has loaded (see http-worker.ts).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { databaseAnswers, type Orm } from '../db';
import { securityHeaders } from '../portal/http';

export async function answerHealthz(orm: Orm, res: ServerResponse): Promise<void> {
  const ok = await databaseAnswers(orm);
  securityHeaders(null, res, () => {});
  res.statusCode = ok ? 200 : 503;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable' }));
}

/** Answers GET/HEAD /healthz; everything else goes to `next`. */
export function healthzListener(orm: Orm, next: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && (req.url === '/healthz' || req.url?.startsWith('/healthz?')))
      return void answerHealthz(orm, res);
    next(req, res);
  };
}
