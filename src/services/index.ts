// The service layer handed to the portal, API, CLI, phone apps and jobs: one object, built once from the ORM.
import type { MikroORM } from '@mikro-orm/core';
import type { AgentStatusService } from './agent-status';
import type { KindDeps } from './kinds';
import { ObjectService } from './object-service';
import { PbxService } from './pbx-service';
import { loadSnapshot } from './snapshot-loader';
import { UserService } from './user-service';
import type { VoicemailService } from './voicemail';

export interface Services {
  orm: MikroORM;
  pbx: PbxService;
  objects: ObjectService;
  users: UserService;
  snapshot(pbxId: number): ReturnType<typeof loadSnapshot>;
  /** FreeSWITCH's voicemail (portal Voicemail page, API, phone apps); absent where no event socket is configured. */
  voicemail?: VoicemailService;
  /** mod_callcenter agent status; absent where no event socket is configured. */
  agents?: AgentStatusService;
}

/** Services that talk to FreeSWITCH, built by main.ts around its one event-socket connection. */
export interface FreeswitchServices {
  voicemail?: VoicemailService;
  agents?: AgentStatusService;
}

export function createServices(
  orm: MikroORM,
  deps: KindDeps = { profileIds: new Set() },
  freeswitch: FreeswitchServices = {},
): Services {
  return {
    ...freeswitch,
    orm,
    pbx: new PbxService(orm),
    objects: new ObjectService(orm, deps),
    users: new UserService(orm),
    snapshot: (pbxId) => loadSnapshot(orm.em.fork(), pbxId),
  };
}
