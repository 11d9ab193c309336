// What every process of the server builds the same way from the config: the database, provisioning, the logger.
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from '../config';
import { openDatabase } from '../db';
import { createLogger, type Logger } from '../log';
import type { SharedMemoEntry } from '../provisioning/cached-provisioning-files';
import type { MissLimiting } from '../provisioning/miss-limiter';
import { type StartedProvisioning, startProvisioning } from '../servers/provisioning/start';
import type { LiveSnapshots } from '../services/live-snapshots';

/** The process's name in logs and metrics: primary, worker-1 …, background. */
export function processName(): string {
  const role = process.env.DIALTONE_ROLE;
  if (!role) return 'primary';
  return role === 'http' ? `worker-${process.env.DIALTONE_WORKER ?? '?'}` : role;
}

/** JSON-line logger; every line of a child process names it (several processes share stdout). */
export function processLogger(config: Config): Logger {
  const name = processName();
  return createLogger(config.logLevel, undefined, name === 'primary' ? undefined : { process: name });
}

/** The database of the config; only the primary migrates (it opens the database before starting the others). */
export function openConfiguredDatabase(config: Config, migrate: boolean): Promise<MikroORM> {
  return openDatabase({ url: config.databaseUrl, sqlitePath: join(config.dataDir, 'dialtone.sqlite'), migrate });
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
