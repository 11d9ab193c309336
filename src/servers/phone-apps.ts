// node:http adapter of the phone apps, in front of the portal app like provisioning: a phone paging through its
// voicemail or the directory pays for a token lookup and a render, not for Express's routing (bench/phone-apps.ts).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import type { PhoneApps } from '../phone-apps';
import { mountAt } from './mount';

export interface PhoneAppsListenerOptions {
  /** URL prefix served here (default /phone-apps; settings.phoneAppsBaseUrl must end with it). */
  mount?: string;
  log?: Logger;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

function fail(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from('Internal error\n');
  res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Answers `<mount>/…` and hands every other request to `next`. */
export function phoneAppsListener(
  apps: PhoneApps,
  next: RequestListener,
  options: PhoneAppsListenerOptions = {},
): RequestListener {
  const mount = options.mount ?? '/phone-apps';
  const log = options.log ?? (() => {});
  return mountAt(mount, next, (req, res, path) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    apps
      .answer({
        method: req.method ?? '',
        path,
        query: q === -1 ? '' : url.slice(q + 1),
        userAgent: header(req, 'user-agent'),
        clientIp: req.socket.remoteAddress ?? '',
      })
      .then((answer) => {
        const body = Buffer.from(answer.body, 'utf8');
        res.writeHead(answer.status, {
          ...answer.headers,
          'Content-Type': answer.contentType,
          'Content-Length': String(body.length),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      .catch((err) => {
        // PhoneApps answers every failure with a screen; only a bug in it gets here.
        log('error', 'phone-apps: response failed', { err });
        fail(req, res);
      });
  });
}
