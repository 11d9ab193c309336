// The one way a node:http listener claims a URL prefix in front of the portal app.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Requests for `<mount>/…` go to `handle` with the path below the mount (no query); all others to `next`. */
export function mountAt(
  mount: string,
  next: RequestListener,
  handle: (req: IncomingMessage, res: ServerResponse, path: string) => void,
): RequestListener {
  const prefix = `${mount}/`;
  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith(prefix)) {
      next(req, res);
      return;
    }
    const q = url.indexOf('?');
    handle(req, res, q === -1 ? url.slice(mount.length) : url.slice(mount.length, q));
  };
}
