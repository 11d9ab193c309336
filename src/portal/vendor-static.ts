// Third-party browser code served from our own origin (the CSP allows scripts from 'self' only, never a CDN):
// each file is named here, read from the installed npm package, so a package upgrade is one exact pin in package.json.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Request, type Response, Router } from 'express';

const require = createRequire(import.meta.url);

/** URL name under /static/vendor/ → file on disk. */
const FILES: Record<string, string> = {
  // Chart.js's self-contained UMD build (its colour helper bundled in): no eval, no injected <style>.
  'chart.umd.min.js': join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
};

export function vendorStatic(): Router {
  const router = Router();
  router.get('/static/vendor/:file', (req: Request, res: Response, next) => {
    const name = String(req.params.file);
    if (!Object.hasOwn(FILES, name)) return next();
    const file = FILES[name];
    res.sendFile(file, { maxAge: '1h', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });
  return router;
}
