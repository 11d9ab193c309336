// apiRouter(services): the JSON API at /api/v1 — one resource router over the kinds table (DESIGN point 11), bearer
// tokens only, JSON errors of its own. Its routes are listed by the OpenAPI document built from the same table.
import express, { type Request, type Response, Router } from 'express';
import { defaultProfileDir } from '../../provisioning/profile-dir';
import type { Services } from '../../services';
import { DeviceService } from '../../services/device-service';
import { loadProfileCatalog } from '../../vendors/profile-catalog';
import { mountActivityApi } from './activity-api';
import { bearerAuth } from './auth';
import { DEFAULT_BODY_LIMIT, jsonBody } from './body';
import { apiErrorHandler, sendError } from './errors';
import { openApiDocument } from './openapi/document';
import { resourceHandlers } from './resources';
import { voicemailApiRouter } from './voicemail-api';

export interface ApiOptions {
  log: (msg: string, err?: unknown) => void;
  /** The running server's device service (its loaded catalog); otherwise one is built from firmware-profiles/ on first use. */
  devices?: DeviceService;
  /** Largest JSON body in bytes (default 64 KiB). */
  bodyLimit?: number;
}

/** Methods each route answers; anything else is 405 with Allow, not a 404 that hides the route. */
const ROUTES: Array<[string, Record<string, keyof ReturnType<typeof resourceHandlers>>]> = [
  ['/me', { get: 'me' }],
  ['/pbxs', { get: 'listPbxs' }],
  ['/pbxs/:context', { get: 'getPbx', patch: 'patchPbx' }],
  ['/pbxs/:context/:kind', { get: 'list', post: 'create' }],
  ['/pbxs/:context/:kind/:id', { get: 'get', patch: 'update', delete: 'remove' }],
];

export function apiRouter(services: Services, opts: ApiOptions): Router {
  const router = Router();
  let devices = opts.devices ?? null;
  const h = resourceHandlers({
    services,
    devices: () => {
      devices ??= new DeviceService(services.orm, loadProfileCatalog(defaultProfileDir()));
      return devices;
    },
  });
  const body = jsonBody(opts.bodyLimit ?? DEFAULT_BODY_LIMIT);

  router.use((_req, res, next) => {
    // Answers hold tenant data: never stored by a shared cache, never sniffed into something else.
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  // The document describes routes and shapes, no tenant data: readable without a token so clients can be generated.
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.use(bearerAuth(services.apiTokens));
  // Before the kinds' generic routes: "/pbxs/:context/calls/graph" must not read as kind "calls", id "graph".
  mountActivityApi(router, services);
  // Voicemail before the generic /pbxs/:context/:kind routes (voicemail is FreeSWITCH's, not a kind of the table).
  router.use(voicemailApiRouter(services, body));
  for (const [path, methods] of ROUTES) {
    const route = router.route(path);
    for (const [method, name] of Object.entries(methods)) {
      const handler = h[name];
      const steps = method === 'post' || method === 'patch' ? [body, handler] : [handler];
      route[method as 'get' | 'post' | 'patch' | 'delete'](...(steps as [express.RequestHandler]));
    }
    route.all((_req: Request, res: Response) => {
      res.set(
        'Allow',
        Object.keys(methods)
          .map((m) => m.toUpperCase())
          .join(', '),
      );
      sendError(res, 405, 'method_not_allowed', 'this route does not answer that method');
    });
  }
  router.use((_req, res) => sendError(res, 404, 'not_found', 'no such API route; see /api/v1/openapi.json'));
  router.use(apiErrorHandler(opts.log));
  return router;
}
