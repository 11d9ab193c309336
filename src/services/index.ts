// The service layer handed to the portal, API, CLI, phone apps and jobs: one object, built once from the ORM.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from '../log';
import { ActivityService } from './activity/activity-service';
import type { AgentStatusService } from './agent-status';
import { ApiTokenService } from './api-tokens';
import { AudioUploads } from './audio-uploads';
import { AuditService } from './audit';
import type { KindDeps } from './kinds';
import { ObjectBrowser } from './object-browser';
import { ObjectPages } from './object-pages';
import { ObjectService } from './object-service';
import { PbxService } from './pbx-service';
import { SessionService } from './sessions';
import { loadSnapshot } from './snapshot-loader';
import { UserService } from './user-service';
import type { VoicemailService } from './voicemail';

export interface Services {
  orm: MikroORM;
  pbx: PbxService;
  objects: ObjectService;
  /** Paged and single-object reads for screens (no whole-PBX snapshot). */
  browse: ObjectBrowser;
  users: UserService;
  /** Greeting, announcement and hold-music uploads (DATA_DIR/audio/<context>/). */
  audio: AudioUploads;
  /** Activity, Activity Graph, Path Usage and the CSV export (services/activity/). */
  activity: ActivityService;
  sessions: SessionService;
  audit: AuditService;
  /** Paged and by-id reads for long lists as plain rows (the API's lists). */
  pages: ObjectPages;
  apiTokens: ApiTokenService;
  /**
   * Every object of a PBX with every secret in it (SIP passwords, PINs, the phone admin password), and no actor check:
   * for the operator's CLI, the generator and the provisioning server. Never hand it (or a part of it) to a portal
   * page or an API answer: those read through `pbx`, `objects` and `users`, which return views without secrets.
   */
  snapshot(pbxId: number): ReturnType<typeof loadSnapshot>;
  /** FreeSWITCH's voicemail (portal Voicemail page, API, phone apps); absent where no event socket is configured. */
  voicemail?: VoicemailService;
  /** mod_callcenter agent status; absent where no event socket is configured. */
  agents?: AgentStatusService;
}

export interface ServiceOptions {
  /** DATA_DIR: uploaded audio goes to <dataDir>/audio/<context>/, incoming files to <dataDir>/tmp/uploads/. */
  dataDir?: string;
  log?: Logger;
  /** Services that talk to FreeSWITCH, built by main.ts around its one event-socket connection. */
  voicemail?: VoicemailService;
  agents?: AgentStatusService;
}

export function createServices(
  orm: MikroORM,
  deps: KindDeps = { profileIds: new Set() },
  opts: ServiceOptions = {},
): Services {
  const objects = new ObjectService(orm, deps);
  return {
    voicemail: opts.voicemail,
    agents: opts.agents,
    orm,
    pbx: new PbxService(orm),
    objects,
    users: new UserService(orm),
    audio: new AudioUploads({ orm, objects, dataDir: opts.dataDir ?? './data', log: opts.log }),
    activity: new ActivityService(orm),
    browse: new ObjectBrowser(orm),
    sessions: new SessionService(orm),
    audit: new AuditService(orm),
    pages: new ObjectPages(orm, objects),
    apiTokens: new ApiTokenService(orm),
    snapshot: (pbxId) => loadSnapshot(orm.em.fork(), pbxId),
  };
}
