// The only entry with side effects: config -> the process's role in the cluster (src/cluster/): the primary (database
// migrations, demo seed, TFTP, starting the others), WORKERS HTTP workers (portal, API, provisioning, xml_curl), and
// one background process (pre-rendering phone files, re-sync). Each role's code is loaded only in its process.
import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  if (cluster.isPrimary) return (await import('./cluster/primary')).runPrimary(config);
  if (process.env.DIALTONE_ROLE === 'background') return (await import('./cluster/background')).runBackground(config);
  return (await import('./cluster/http-worker')).runHttpWorker(config);
}

main().catch((err) => {
  const message = err instanceof ConfigError ? `configuration error: ${err.message}` : (err?.stack ?? String(err));
  process.stderr.write(`dialtone: ${message}\n`);
  process.exit(1);
});
