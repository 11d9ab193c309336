// The service layer handed to the portal, API, CLI, phone apps and jobs: one object, built once from the ORM.
import type { MikroORM } from '@mikro-orm/core';
import type { KindDeps } from './kinds';
import { ObjectService } from './object-service';
import { PbxService } from './pbx-service';
import { loadSnapshot } from './snapshot-loader';
import { UserService } from './user-service';

export interface Services {
  orm: MikroORM;
  pbx: PbxService;
  objects: ObjectService;
  users: UserService;
  /**
   * Every object of a PBX with every secret in it (SIP passwords, PINs, the phone admin password), and no actor check:
   * for the operator's CLI, the generator and the provisioning server. Never hand it (or a part of it) to a portal
   * page or an API answer: those read through `pbx`, `objects` and `users`, which return views without secrets.
   */
  snapshot(pbxId: number): ReturnType<typeof loadSnapshot>;
}

export function createServices(orm: MikroORM, deps: KindDeps = { profileIds: new Set() }): Services {
  return {
    orm,
    pbx: new PbxService(orm),
    objects: new ObjectService(orm, deps),
    users: new UserService(orm),
    snapshot: (pbxId) => loadSnapshot(orm.em.fork(), pbxId),
  };
}
