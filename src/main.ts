// The only file with side effects: config -> database -> services -> HTTP (portal, provisioning, xml_curl) and TFTP.
import type { Server } from 'node:http';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db';
import { createLogger } from './log';
import { createApp } from './portal/app';
import { startProvisioning } from './servers/provisioning/start';
import { createServices } from './services';
import { SYSTEM } from './services/actor';
import { seedDemo } from './services/demo';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const orm = await openDatabase({ url: config.databaseUrl, sqlitePath: join(config.dataDir, 'dialtone.sqlite') });
  // Provisioning: a broken firmware profile or template stops start-up here (ConfigError naming the file and field).
  const provisioning = startProvisioning(orm, config, log);
  const services = createServices(orm, { profileIds: provisioning.profileIds });

  if (config.seedDemo && (await services.pbx.list(SYSTEM)).length === 0) {
    const demo = await seedDemo(services, 'demo');
    if (demo.admin) {
      // Printed once: the password is stored only as a hash.
      process.stdout.write(
        `\n  Demo PBX "${demo.pbx.name}" created.\n  Admin login: ${demo.admin.username}\n  Password:    ${demo.admin.password}\n\n`,
      );
    }
  }

  const app = createApp(services, {
    log: (msg, err) => log('error', msg, { err }),
    mounts: [{ path: '/provisioning', router: provisioning.router }],
  });
  const server: Server = app.listen(config.port, config.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    log('info', 'dialtone listening', {
      url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
      database: config.databaseUrl ? 'postgresql' : 'sqlite',
    });
  });

  const stop = async (signal: string) => {
    log('info', 'shutting down', { signal });
    server.close();
    await orm.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  const message = err instanceof ConfigError ? `configuration error: ${err.message}` : (err?.stack ?? String(err));
  process.stderr.write(`dialtone: ${message}\n`);
  process.exit(1);
});
