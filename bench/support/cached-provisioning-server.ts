// The provisioning router as createProvisioningServer builds it, with the two caching parts swapped in:
// LiveProvisioningStore (snapshots per PBX revision, folded last-seen writes) and CachedProvisioningFiles (rendered files
// per snapshot). This is the change proposed for src/servers/provisioning/{index,start}.ts, measured by the bench.
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { Router } from 'express';
import { CachedProvisioningFiles } from '../../src/provisioning/cached-provisioning-files';
import { NonceIssuer } from '../../src/provisioning/digest';
import { loadOrCreateKeyFile } from '../../src/provisioning/key-file';
import { MissLimiter } from '../../src/provisioning/miss-limiter';
import { defaultProfileDir } from '../../src/provisioning/profile-dir';
import { createRenderer, loadProvisioningTemplates } from '../../src/provisioning/render';
import type { ProvisioningLog } from '../../src/provisioning/store';
import { ProvisioningHttp } from '../../src/servers/provisioning/answer';
import { createProvisioningRouter } from '../../src/servers/provisioning/router';
import { provisioningSettings } from '../../src/servers/provisioning/start';
import { DeviceService } from '../../src/services/device-service';
import { LiveProvisioningStore } from '../../src/services/live-provisioning-store';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';

export function cachedProvisioning(
  orm: MikroORM,
  config: { publicUrl: string; dataDir: string },
  log: ProvisioningLog,
): { http: ProvisioningHttp; router: Router; store: LiveProvisioningStore } {
  const catalog = loadProfileCatalog(defaultProfileDir());
  const store = new LiveProvisioningStore(orm, new DeviceService(orm, catalog), { log });
  const limiter = new MissLimiter();
  const files = new CachedProvisioningFiles({
    store,
    catalog,
    renderer: createRenderer(loadProvisioningTemplates()),
    settings: provisioningSettings(config.publicUrl, new Date().getUTCFullYear()),
    appTokenKey: loadOrCreateKeyFile(join(config.dataDir, 'keys', 'app-token.key')),
    firmwareDir: join(config.dataDir, 'firmware'),
    uploadsDir: join(config.dataDir, 'phone-logs'),
    log,
    limiter,
  });
  const http = new ProvisioningHttp({ files, store, limiter, nonces: new NonceIssuer(), log });
  return { http, router: createProvisioningRouter(http, { log }), store };
}
