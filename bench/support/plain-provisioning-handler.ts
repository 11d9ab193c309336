// Prototype measured by the boot-storm bench: the provisioning router's answers written by a plain node:http listener in
// front of the Express app, because Express 5 alone costs ~200 µs of CPU per request here (a no-op route tops out near
// 5,000 responses/s on this machine). Same ProvisioningHttp decisions, same bytes as src/servers/provisioning/router.ts.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { UPLOAD_LIMIT_BYTES } from '../../src/provisioning/policy';
import type { ProvisioningLog } from '../../src/provisioning/store';
import type { ProvisioningAnswer, ProvisioningHttp } from '../../src/servers/provisioning/answer';
import { readLimitedBody, storeUploadAtomically } from '../../src/servers/provisioning/uploads';

const TEXT = 'text/plain; charset=utf-8';
const BODIES = {
  401: 'Authentication required\n',
  404: 'Not found\n',
  405: 'Method not allowed\n',
  413: 'Upload too large\n',
  429: 'Too many requests\n',
  500: 'Internal error\n',
} as const;

function plain(req: IncomingMessage, res: ServerResponse, status: keyof typeof BODIES, headers = {}): void {
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

/** Answers `${mount}/…` itself and hands every other request to `next` (the Express app). */
export function plainProvisioningHandler(
  http: ProvisioningHttp,
  next: RequestListener,
  options: { mount?: string; log?: ProvisioningLog; uploadLimitBytes?: number } = {},
): RequestListener {
  const mount = options.mount ?? '/provisioning';
  const log = options.log ?? (() => {});
  const limit = options.uploadLimitBytes ?? UPLOAD_LIMIT_BYTES;
  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith(`${mount}/`)) return next(req, res);
    const q = url.indexOf('?');
    const path = q === -1 ? url.slice(mount.length) : url.slice(mount.length, q);
    void (async () => {
      let answer: ProvisioningAnswer;
      try {
        answer = await http.answer({
          method: req.method ?? '',
          target: url,
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
      res.destroy();
    });
  };
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
        res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': cache });
        if (req.method === 'HEAD') res.end();
        else await pipeline(createReadStream(file.path), res);
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
