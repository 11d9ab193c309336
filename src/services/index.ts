// The service layer handed to the portal, API, CLI, phone apps and jobs: one object, built once from the ORM.
import type { MikroORM } from '@mikro-orm/core';
import { AuditService } from './audit';
import type { KindDeps } from './kinds';
import { ObjectBrowser } from './object-browser';
import { ObjectService } from './object-service';
import { PbxService } from './pbx-service';
import { SessionService } from './sessions';
import { loadSnapshot } from './snapshot-loader';
import { UserService } from './user-service';

export interface Services {
  orm: MikroORM;
  pbx: PbxService;
  objects: ObjectService;
  /** Paged and single-object reads for screens (no whole-PBX snapshot). */
  browse: ObjectBrowser;
  users: UserService;
  sessions: SessionService;
  audit: AuditService;
  snapshot(pbxId: number): ReturnType<typeof loadSnapshot>;
}

export function createServices(orm: MikroORM, deps: KindDeps = { profileIds: new Set() }): Services {
  return {
    orm,
    pbx: new PbxService(orm),
    objects: new ObjectService(orm, deps),
    browse: new ObjectBrowser(orm),
    users: new UserService(orm),
    sessions: new SessionService(orm),
    audit: new AuditService(orm),
    snapshot: (pbxId) => loadSnapshot(orm.em.fork(), pbxId),
  };
}
