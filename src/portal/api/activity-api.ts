// The Activity API: GET /api/v1/pbxs/{context}/calls (search, keyset pages), /calls/graph and /calls/path-usage —
// the same query parameters, parser and rules as the portal's pages (services.activity), as JSON. Mounted before the
// kinds' generic routes so "calls" is never read as a kind.
import type { Request, Response, Router } from 'express';
import type { Services } from '../../services';
import { callerOf } from './auth';
import { pbxOf } from './resources';

export function mountActivityApi(router: Router, services: Services): void {
  const query = (req: Request) => req.query as Record<string, unknown>;
  router.get('/pbxs/:context/calls', async (req: Request, res: Response) => {
    const pbx = pbxOf(req, res);
    res.json(await services.activity.search(callerOf(res).actor, pbx.id, query(req)));
  });
  router.get('/pbxs/:context/calls/graph', async (req: Request, res: Response) => {
    const pbx = pbxOf(req, res);
    res.json(await services.activity.graph(callerOf(res).actor, pbx.id, query(req)));
  });
  router.get('/pbxs/:context/calls/path-usage', async (req: Request, res: Response) => {
    const pbx = pbxOf(req, res);
    res.json(await services.activity.pathUsage(callerOf(res).actor, pbx.id, query(req)));
  });
}
