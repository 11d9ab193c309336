// What the primary serves and keeps besides its children: the database (migrated, and seeded on a first start), the
// miss limiter's TFTP side and TFTP itself. Loaded after the first HTTP worker is forked, so that worker loads its code
// while this runs; see primary.ts.
import type { Config } from '../config';
import type { Logger } from '../log';
import type { MissLimiting } from '../provisioning/miss-limiter';
import type { Metrics } from '../servers/metrics';
import { createTftpServer, type TftpServer } from '../servers/tftp';
import { provisioningTftpSource } from '../servers/tftp-provisioning';
import { createServices } from '../services';
import { SYSTEM } from '../services/actor';
import { seedDemo } from '../services/demo';
import { LiveSnapshots } from '../services/live-snapshots';
import { configuredProvisioning, openConfiguredDatabase } from './wiring';

export interface PrimaryServices {
  /** After the children exited: TFTP stops, last-seen times are written, the database is closed. */
  close(): Promise<void>;
}

/** Migrates (and on an empty database seeds), then starts TFTP when configured. Throws on a broken profile. */
export async function startPrimaryServices(
  config: Config,
  log: Logger,
  deps: { limiter: MissLimiting; metrics: Metrics; databaseReady: () => void },
): Promise<PrimaryServices> {
  const orm = await openConfiguredDatabase(config, true);
  const live = new LiveSnapshots(orm);
  // Provisioning here serves TFTP only; a broken firmware profile or template stops start-up.
  const provisioning = configuredProvisioning(orm, config, log, live, { limiter: deps.limiter });
  const services = createServices(orm, { profileIds: provisioning.profileIds }, { dataDir: config.dataDir, log });
  // Uploads a crash cut off mid-way leave temporary files behind: gone at the next start (before any worker uploads).
  services.audio.sweepTemp().catch((err) => log('warn', 'could not sweep temporary uploads', { err }));
  if (config.seedDemo && (await services.pbx.list(SYSTEM)).length === 0) {
    const demo = await seedDemo(services, 'demo');
    if (demo.admin) {
      // Printed once: the password is stored only as a hash.
      process.stdout.write(
        `\n  Demo PBX "${demo.pbx.name}" created.\n  Admin login: ${demo.admin.username}\n  Password:    ${demo.admin.password}\n\n`,
      );
    }
  }
  deps.databaseReady();

  let tftp: TftpServer | null = null;
  if (config.tftpPort > 0) {
    try {
      tftp = await createTftpServer({
        address: config.host,
        port: config.tftpPort,
        source: provisioningTftpSource(provisioning.files),
        logger: (entry) => {
          if (entry.event === 'transfer-end') {
            deps.metrics.add(entry.ok ? 'dialtone_tftp_transfers_ok_total' : 'dialtone_tftp_transfers_failed_total');
            deps.metrics.add('dialtone_tftp_bytes_total', entry.bytes);
          }
          log('debug', 'tftp', { ...entry });
        },
      });
      log('info', 'tftp listening', { port: tftp.address().port });
    } catch (err) {
      // Port 69 needs privileges: provisioning over HTTP still works, so say so and go on.
      log('warn', 'tftp not started', { port: config.tftpPort, err });
    }
  }
  return {
    close: async () => {
      await tftp?.close();
      await provisioning.store.close();
      await orm.close();
    },
  };
}
