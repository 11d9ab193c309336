// The service layer handed to the portal, API, CLI, phone apps and jobs: one object, built once from the ORM.
import type { MikroORM } from '@mikro-orm/core';
import { ActivityService } from './activity/activity-service';
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
  /** Activity, Activity Graph, Path Usage and the CSV export (services/activity/). */
  activity: ActivityService;
  snapshot(pbxId: number): ReturnType<typeof loadSnapshot>;
}

export function createServices(orm: MikroORM, deps: KindDeps = { profileIds: new Set() }): Services {
  return {
    orm,
    pbx: new PbxService(orm),
    objects: new ObjectService(orm, deps),
    users: new UserService(orm),
    activity: new ActivityService(orm),
    snapshot: (pbxId) => loadSnapshot(orm.em.fork(), pbxId),
  };
}
