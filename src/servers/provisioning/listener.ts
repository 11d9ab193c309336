// node:http adapter of the HTTP provisioning server: request headers in, ProvisioningAnswer out, bodies streamed.
//
// It sits in front of the Express app instead of inside it: in a boot storm Express 5's routing alone cost ~200 µs of
// CPU per response here (a no-op Express route tops out near 5,000 responses/s on this 2-core machine), twice what
// answering from the render cache costs. Every other URL is handed to `next` (the portal app) untouched.
import { open } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { UPLOAD_LIMIT_BYTES } from '../../provisioning/policy';
import type { ProvisioningLog } from '../../provisioning/store';
import { writeFileAtomically } from '../../services/atomic-file';
import { mountAt } from '../mount';
import type { ProvisioningAnswer, ProvisioningHttp } from './answer';
import { readLimitedBody } from './uploads';

export interface ProvisioningListenerOptions {
  /** URL prefix served here (default /provisioning; settings.provisioningBaseUrl must end with it). */
  mount?: string;
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

function plain(
  req: IncomingMessage,
  res: ServerResponse,
  status: keyof typeof BODIES,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(BODIES[status]);
  res.writeHead(status, {
    ...headers,
    'Content-Type': TEXT,
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

/** Answers `<mount>/…` and hands every other request to `next`. */
export function provisioningListener(
  http: ProvisioningHttp,
  next: RequestListener,
  options: ProvisioningListenerOptions = {},
): RequestListener {
  const mount = options.mount ?? '/provisioning';
  const limit = options.uploadLimitBytes ?? UPLOAD_LIMIT_BYTES;
  const log = options.log ?? (() => {});
  return mountAt(mount, next, (req, res, path) => {
    void (async () => {
      let answer: ProvisioningAnswer;
      try {
        answer = await http.answer({
          method: req.method ?? '',
          target: req.url ?? '',
          path,
          userAgent: header(req, 'user-agent'),
          authorization: header(req, 'authorization'),
          ifNoneMatch: header(req, 'if-none-match'),
          clientIp: req.socket.remoteAddress ?? '',
        });
      } catch (err) {
        log('error', 'provisioning: request failed', { path: path.slice(0, 120), err });
        plain(req, res, 500);
        return;
      }
      await send(req, res, answer, limit, log);
    })().catch((err) => {
      log('error', 'provisioning: response failed', { err });
      if (!res.headersSent) plain(req, res, 500);
      else res.destroy();
    });
  });
}

async function send(
  req: IncomingMessage,
  res: ServerResponse,
  answer: ProvisioningAnswer,
  limit: number,
  log: ProvisioningLog,
): Promise<void> {
  switch (answer.status) {
    case 401:
      // No Date header: the answers for "unknown MAC" and "wrong password" are then the very same bytes.
      res.sendDate = false;
      plain(req, res, 401, { 'WWW-Authenticate': answer.challenge });
      return;
    case 404:
      plain(req, res, 404);
      return;
    case 405:
      plain(req, res, 405, { Allow: answer.allow });
      return;
    case 429:
      plain(req, res, 429, { 'Retry-After': String(answer.retryAfterSeconds) });
      return;
    case 304:
      res.writeHead(304, { ETag: answer.etag, 'Cache-Control': answer.secret ? 'no-store' : 'no-cache' });
      res.end();
      return;
    case 'upload': {
      const body = await readLimitedBody(req, limit);
      if (body === 'too-large') {
        plain(req, res, 413, { Connection: 'close' });
        return;
      }
      await writeFileAtomically(answer.path, body);
      log('info', 'provisioning: upload stored', { mac: answer.mac, file: answer.file, bytes: body.length });
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    case 200: {
      const file = answer.file;
      const cache = answer.secret ? 'no-store' : 'no-cache';
      if (file.type === 'disk') {
        // Opened before the head is sent, so a file that vanished is a clean 404, not a cut-off 200.
        const handle = await open(file.path, 'r').catch(() => null);
        if (!handle) {
          plain(req, res, 404);
          return;
        }
        try {
          const { size } = await handle.stat();
          res.writeHead(200, {
            'Content-Type': file.contentType,
            'Content-Length': String(size),
            'Cache-Control': cache,
          });
          if (req.method === 'HEAD') res.end();
          else await pipeline(handle.createReadStream({ autoClose: false }), res);
        } finally {
          await handle.close();
        }
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
