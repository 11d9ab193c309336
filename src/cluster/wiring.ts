// What every process of the server builds the same way from the config: the database and provisioning.
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from '../config';
import { openDatabase } from '../db';
import type { Logger } from '../log';
import type { SharedMemoEntry } from '../provisioning/cached-provisioning-files';
import type { MissLimiting } from '../provisioning/miss-limiter';
import { type StartedProvisioning, startProvisioning } from '../servers/provisioning/start';
import type { LiveSnapshots } from '../services/live-snapshots';

/** The database of the config; only the primary migrates (it opens the database before starting the others). */
export function openConfiguredDatabase(
  config: Config,
  migrate: boolean,
  beforeConnect?: () => Promise<void>,
): Promise<MikroORM> {
  return openDatabase({
    url: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'dialtone.sqlite'),
    migrate,
    beforeConnect,
  });
}

/** Provisioning as every process builds it: a broken firmware profile or template stops start-up (ConfigError). */
export function configuredProvisioning(
  orm: MikroORM,
  config: Config,
  log: Logger,
  live: LiveSnapshots,
  extra: { limiter?: MissLimiting; onMemo?: (entry: SharedMemoEntry) => void } = {},
): StartedProvisioning {
  return startProvisioning(orm, config, log, {
    live,
    settings: {
      sip: {
        registrarHost: config.sip.registrarHost,
        port: config.sip.port,
        transport: config.sip.transport,
        registerExpiresSeconds: 600,
      },
      ntpServer: config.ntpServer,
    },
    limits: { allow: config.provisioningAllow },
    ...extra,
  });
}
