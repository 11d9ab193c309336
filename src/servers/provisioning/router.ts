// Express adapter of the HTTP provisioning server: request headers in, ProvisioningAnswer out, bodies streamed.
import express, { type Request, type Response, type Router } from 'express';
import { UPLOAD_LIMIT_BYTES } from '../../provisioning/policy';
import type { ProvisioningLog } from '../../provisioning/store';
import type { ProvisioningAnswer, ProvisioningHttp } from './answer';
import { readLimitedBody, storeUploadAtomically } from './uploads';

export interface ProvisioningRouterOptions {
  uploadLimitBytes?: number;
  log?: ProvisioningLog;
}

const TEXT = 'text/plain; charset=utf-8';

/** Fixed short bodies: every refusal of a kind is the same bytes. */
const BODIES = {
  401: 'Authentication required\n',
  404: 'Not found\n',
  405: 'Method not allowed\n',
  413: 'Upload too large\n',
  429: 'Too many requests\n',
  500: 'Internal error\n',
} as const;

function plain(res: Response, status: keyof typeof BODIES, headers: Record<string, string> = {}): void {
  const body = Buffer.from(BODIES[status]);
  res.writeHead(status, {
    ...headers,
    'Content-Type': TEXT,
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function header(req: Request, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

/** The provisioning router; mount it at /provisioning. */
export function createProvisioningRouter(http: ProvisioningHttp, options: ProvisioningRouterOptions = {}): Router {
  const limit = options.uploadLimitBytes ?? UPLOAD_LIMIT_BYTES;
  const log = options.log ?? (() => {});
  const router = express.Router();

  router.use(async (req: Request, res: Response) => {
    let answer: ProvisioningAnswer;
    try {
      answer = await http.answer({
        method: req.method,
        target: req.originalUrl,
        path: req.path,
        userAgent: header(req, 'user-agent'),
        authorization: header(req, 'authorization'),
        ifNoneMatch: header(req, 'if-none-match'),
        clientIp: req.socket.remoteAddress ?? '',
      });
    } catch (err) {
      log('error', 'provisioning: request failed', { path: req.path.slice(0, 120), err });
      plain(res, 500);
      return;
    }
    await send(req, res, answer, limit, log);
  });
  return router;
}

async function send(
  req: Request,
  res: Response,
  answer: ProvisioningAnswer,
  limit: number,
  log: ProvisioningLog,
): Promise<void> {
  switch (answer.status) {
    case 401:
      // No Date header: the answers for "unknown MAC" and "wrong password" are then the very same bytes.
      res.sendDate = false;
      plain(res, 401, { 'WWW-Authenticate': answer.challenge });
      return;
    case 404:
      plain(res, 404);
      return;
    case 405:
      plain(res, 405, { Allow: answer.allow });
      return;
    case 429:
      plain(res, 429, { 'Retry-After': String(answer.retryAfterSeconds) });
      return;
    case 304:
      res.writeHead(304, { ETag: answer.etag, 'Cache-Control': answer.secret ? 'no-store' : 'no-cache' });
      res.end();
      return;
    case 'upload': {
      const body = await readLimitedBody(req, limit);
      if (body === 'too-large') {
        plain(res, 413, { Connection: 'close' });
        return;
      }
      await storeUploadAtomically(answer.path, body);
      log('info', 'provisioning: upload stored', { mac: answer.mac, file: answer.file, bytes: body.length });
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    case 200: {
      const file = answer.file;
      const cache = answer.secret ? 'no-store' : 'no-cache';
      if (file.type === 'disk') {
        await new Promise<void>((resolve) => {
          res.sendFile(file.path, { headers: { 'Content-Type': file.contentType, 'Cache-Control': cache } }, (err) => {
            if (err && !res.headersSent) plain(res, 404);
            resolve();
          });
        });
        return;
      }
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': String(file.body.length),
        ETag: file.etag,
        'Cache-Control': cache,
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
      return;
    }
  }
}
