// The service layer handed to the portal, API, CLI, phone apps and jobs: one object, built once from the ORM.
import type { MikroORM } from '@mikro-orm/core';
import { ApiTokenService } from './api-tokens';
import type { KindDeps } from './kinds';
import { ObjectPages } from './object-pages';
import { ObjectService } from './object-service';
import { PbxService } from './pbx-service';
import { loadSnapshot } from './snapshot-loader';
import { UserService } from './user-service';

export interface Services {
  orm: MikroORM;
  pbx: PbxService;
  objects: ObjectService;
  users: UserService;
  /** Paged and by-id reads for long lists (API, portal list pages). */
  pages: ObjectPages;
  apiTokens: ApiTokenService;
  snapshot(pbxId: number): ReturnType<typeof loadSnapshot>;
}

export function createServices(orm: MikroORM, deps: KindDeps = { profileIds: new Set() }): Services {
  const objects = new ObjectService(orm, deps);
  return {
    orm,
    pbx: new PbxService(orm),
    objects,
    users: new UserService(orm),
    pages: new ObjectPages(orm, objects),
    apiTokens: new ApiTokenService(orm),
    snapshot: (pbxId) => loadSnapshot(orm.em.fork(), pbxId),
  };
}
