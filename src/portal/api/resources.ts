// The API's handlers: one set for every kind of the kinds table, plus the PBX itself. Each resolves the PBX from the
// URL as the token's user may see it, calls the same services the portal and CLI use, and shows no secret field.
import type { Request, Response } from 'express';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { printable } from '../../domain/printable';
import type { Services } from '../../services';
import { assertAdmin, assertCanUse } from '../../services/actor';
import type { DeviceService } from '../../services/device-service';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../services/object-pages';
import { callerOf } from './auth';
import { bodyObject } from './body';
import { checkBodyFields, type KindApi, kindApi, pbxApi, type ResourceApi, SERVER_GENERATED } from './kind-api';
import { pick } from './present';

const CONTEXT_RE = /^[a-z0-9_]{1,32}$/;
const ID_RE = /^\d{1,15}$/;

/** The same answer for another tenant's PBX and for one that does not exist. */
const NO_PBX = 'no such PBX';

export interface ResourceDeps {
  services: Services;
  /** Devices are added through DeviceService (it makes the provisioning credentials); built on first use. */
  devices: () => DeviceService;
}

function param(req: Request, name: string): string {
  const v = req.params[name];
  return typeof v === 'string' ? v : '';
}

/** The PBX of the URL when it is the caller's own (known from the token, no query); otherwise "no such PBX". */
export function pbxOf(req: Request, res: Response): { id: number; context: string } {
  const context = param(req, 'context');
  const caller = callerOf(res);
  if (!CONTEXT_RE.test(context) || context !== caller.pbxContext) throw new NotFoundError(NO_PBX);
  return { id: caller.actor.pbxId, context };
}

function kindOf(req: Request): KindApi {
  const api = kindApi(param(req, 'kind'));
  if (!api) throw new NotFoundError(`no kind "${printable(param(req, 'kind'))}"; see /api/v1/openapi.json`);
  return api;
}

function idOf(req: Request, api: KindApi): number {
  const id = param(req, 'id');
  if (!ID_RE.test(id) || !Number.isSafeInteger(Number(id)))
    throw new NotFoundError(`${api.kind.name} #${printable(id, 20)} does not exist`);
  return Number(id);
}

function pageOf(req: Request): { limit: number; after: number | null } {
  const errors: Record<string, string> = {};
  const { limit, cursor } = req.query;
  let size = DEFAULT_PAGE_SIZE;
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE_SIZE)
      errors.limit = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;
    else size = Number(limit);
  }
  let after: number | null = null;
  if (cursor !== undefined) {
    if (typeof cursor !== 'string' || !ID_RE.test(cursor)) errors.cursor = 'must be the nextCursor of a previous page';
    else after = Number(cursor);
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { limit: size, after };
}

const view = (api: ResourceApi, row: object) => pick(row, api.output);

export function resourceHandlers({ services: s, devices }: ResourceDeps) {
  return {
    async listPbxs(_req: Request, res: Response) {
      const pbxs = await s.pbx.list(callerOf(res).actor);
      res.json({ items: pbxs.map((p) => view(pbxApi(), p)), nextCursor: null });
    },

    async getPbx(req: Request, res: Response) {
      const pbx = pbxOf(req, res);
      res.json(view(pbxApi(), await s.pbx.get(callerOf(res).actor, pbx.id)));
    },

    async patchPbx(req: Request, res: Response) {
      const pbx = pbxOf(req, res);
      const body = bodyObject(req);
      assertCanUse(callerOf(res).actor, pbx.id, 'pbx_info');
      assertAdmin(callerOf(res).actor, 'change PBX settings');
      checkBodyFields(body, pbxApi(), 'the PBX');
      res.json(view(pbxApi(), await s.pbx.update(callerOf(res).actor, pbx.id, body)));
    },

    async list(req: Request, res: Response) {
      const pbx = pbxOf(req, res);
      const api = kindOf(req);
      const page = await s.pages.list(callerOf(res).actor, pbx.id, api.kind.name, pageOf(req));
      res.json({ items: page.items.map((r) => view(api, r)), nextCursor: page.nextCursor });
    },

    async create(req: Request, res: Response) {
      const pbx = pbxOf(req, res);
      const api = kindOf(req);
      const actor = callerOf(res).actor;
      const body = bodyObject(req);
      // The services check these too; checked first here so a refused caller hears "forbidden", not about fields.
      assertCanUse(actor, pbx.id, api.kind.module);
      assertAdmin(actor, `create ${api.kind.name}`);
      if (api.creatable) checkBodyFields(body, api, api.kind.name);
      let created: Record<string, unknown>;
      if (api.kind.name === 'devices') {
        // The provisioning password exists only in this answer: DeviceService stores its HA1.
        const added = await devices().add(actor, pbx.id, body);
        created = { ...view(api, added.device), provisioningPassword: added.password };
      } else {
        const extra = Object.fromEntries(
          Object.entries(SERVER_GENERATED[api.kind.name] ?? {}).map(([k, make]) => [k, make()]),
        );
        created = view(api, await s.objects.create(actor, pbx.id, api.kind.name, body, extra));
      }
      res.status(201).location(`${req.baseUrl}/pbxs/${pbx.context}/${api.kind.name}/${created.id}`).json(created);
    },

    async get(req: Request, res: Response) {
      const pbx = pbxOf(req, res);
      const api = kindOf(req);
      res.json(view(api, await s.pages.get(callerOf(res).actor, pbx.id, api.kind.name, idOf(req, api))));
    },

    async update(req: Request, res: Response) {
      const pbx = pbxOf(req, res);
      const api = kindOf(req);
      const id = idOf(req, api);
      const body = bodyObject(req);
      assertCanUse(callerOf(res).actor, pbx.id, api.kind.module);
      if (api.updatable) checkBodyFields(body, api, api.kind.name);
      res.json(view(api, await s.objects.update(callerOf(res).actor, pbx.id, api.kind.name, id, body)));
    },

    async remove(req: Request, res: Response) {
      const pbx = pbxOf(req, res);
      const api = kindOf(req);
      await s.objects.delete(callerOf(res).actor, pbx.id, api.kind.name, idOf(req, api));
      res.status(204).end();
    },

    async me(_req: Request, res: Response) {
      const { actor, user, tokenId } = callerOf(res);
      const [pbx] = await s.pbx.list(actor);
      res.json({
        user: {
          id: user.id,
          username: user.username,
          type: user.type,
          extensionId: user.extensionId ?? null,
          permissions: [...user.permissions],
        },
        pbx: pbx ? { id: pbx.id, context: pbx.context, name: pbx.name } : null,
        tokenId,
      });
    },
  };
}
