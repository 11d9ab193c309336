// A request listener whose code is loaded later: by load() (an HTTP worker calls it right after it listens) or by the
// first request that needs it, which waits. The portal (Express, its templates and routes) is a fifth of a worker's
// start, and phones and FreeSWITCH need none of it.
import type { RequestListener } from 'node:http';

export interface LazyListener {
  readonly listener: RequestListener;
  load(): Promise<RequestListener>;
}

/** `make` runs once; if it fails, `onFail` decides (a worker logs and exits, as when it failed before listening). */
export function lazyListener(make: () => Promise<RequestListener>, onFail: (err: unknown) => never): LazyListener {
  let loading: Promise<RequestListener> | null = null;
  let ready: RequestListener | null = null;
  const load = () => {
    loading ??= make().then(
      (l) => {
        ready = l;
        return l;
      },
      (err: unknown) => onFail(err),
    );
    return loading;
  };
  return {
    load,
    listener: (req, res) => {
      if (ready) return ready(req, res);
      void load().then((l) => l(req, res));
    },
  };
}
