// Start-up of provisioning for main.ts: load firmware profiles, templates and the app-token key, then build the server.
// Anything broken (a profile, a template, an unreadable key) stops start-up with a ConfigError naming the file.
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { type Config, ConfigError } from '../../config';
import type { PhoneConfigSettings } from '../../provisioning/build-phone-config';
import type { SharedMemoEntry } from '../../provisioning/cached-provisioning-files';
import { provisioningSettings } from '../../provisioning/default-settings';
import { deviceExplainer } from '../../provisioning/device-warnings';
import { loadOrCreateKeyFile } from '../../provisioning/key-file';
import type { MissLimiterOptions, MissLimiting } from '../../provisioning/miss-limiter';
import { defaultProfileDir } from '../../provisioning/profile-dir';
import { createRenderer, defaultTemplateRoot, loadProvisioningTemplates } from '../../provisioning/render';
import type { ProvisioningLog } from '../../provisioning/store';
import { DeviceService } from '../../services/device-service';
import { LiveProvisioningStore } from '../../services/live-provisioning-store';
import type { LiveSnapshots } from '../../services/live-snapshots';
import { loadProfileCatalog, type ProfileCatalog } from '../../vendors/profile-catalog';
import { createProvisioningServer, type ProvisioningServer } from './index';

// Moved to provisioning/ (the portal's device pages use it too); re-exported for existing callers.
export { provisioningSettings };

export interface ProvisioningStartOptions {
  profileDir?: string;
  templateRoot?: string;
  settings?: Partial<PhoneConfigSettings>;
  limits?: MissLimiterOptions;
  /** A miss limiter shared with the other processes of the cluster (else one of this process, from `limits`). */
  limiter?: MissLimiting;
  /** Told of every file rendered into the memo (the cluster's renderer passes them on). */
  onMemo?: (entry: SharedMemoEntry) => void;
  /** Defaults to the current UTC year (the only clock read, once, at start-up). */
  referenceYear?: number;
  /** Request-time snapshots shared with xml_curl and re-sync (one copy of a big PBX in memory). */
  live?: LiveSnapshots;
}

export interface StartedProvisioning extends ProvisioningServer {
  catalog: ProfileCatalog;
  /** What phones are told (URLs, registrar, NTP); the re-sync watcher fingerprints configs with the same settings. */
  settings: PhoneConfigSettings;
  devices: DeviceService;
  /** Device lookups and last-seen writes; call store.close() before closing the database. */
  store: LiveProvisioningStore;
  /** Pass to createServices so device edits through the object service know the models. */
  profileIds: ReadonlySet<string>;
  /**
   * Renders every phone's files of every PBX ahead of the phones, yielding to requests between ~10 ms slices (run it
   * in the background after start-up: a boot storm then finds its files ready). Returns how many files it looked at.
   */
  warmAll(signal?: AbortSignal): Promise<number>;
}

export function startProvisioning(
  orm: MikroORM,
  config: Pick<Config, 'publicUrl' | 'dataDir'>,
  log: ProvisioningLog,
  options: ProvisioningStartOptions = {},
): StartedProvisioning {
  let catalog: ProfileCatalog;
  let renderer: ReturnType<typeof createRenderer>;
  let appTokenKey: Buffer;
  let nonceKey: Buffer;
  try {
    catalog = loadProfileCatalog(options.profileDir ?? defaultProfileDir());
    renderer = createRenderer(loadProvisioningTemplates(options.templateRoot ?? defaultTemplateRoot()));
    appTokenKey = loadOrCreateKeyFile(join(config.dataDir, 'keys', 'app-token.key'));
    // Every process serving phones signs and checks nonces with the same key: a phone challenged by one may answer
    // to another (and a restart does not send every phone in the middle of its handshake back to a 401).
    nonceKey = loadOrCreateKeyFile(join(config.dataDir, 'keys', 'digest-nonce.key'));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const settings = provisioningSettings(
    config.publicUrl,
    options.referenceYear ?? new Date().getUTCFullYear(),
    options.settings,
  );
  // The portal's device pages show each phone's warnings as provisioning computes them, from the same snapshots.
  const devices = new DeviceService(orm, catalog, {
    explain: deviceExplainer(renderer, settings),
    snapshot: (pbxId) => store.snapshot(pbxId),
  });
  // Snapshots until the PBX revision moves, batched MAC lookups and last-seen writes: a boot storm barely touches the ORM.
  const store: LiveProvisioningStore = new LiveProvisioningStore(orm, devices, { log, live: options.live });
  const server = createProvisioningServer({
    store,
    catalog,
    renderer,
    settings,
    appTokenKey,
    dataDir: config.dataDir,
    limits: options.limits,
    limiter: options.limiter,
    nonceKey,
    onMemo: options.onMemo,
    log,
  });
  const warmAll = async (signal?: AbortSignal): Promise<number> => {
    const rows = (await orm.em.getConnection().execute('select id from pbx order by id')) as { id: number }[];
    let files = 0;
    for (const row of rows) {
      if (signal?.aborted) break;
      try {
        files += await server.files.warm(Number(row.id), { signal });
      } catch (err) {
        // A PBX deleted meanwhile (or one that cannot be read) costs its own phones the head start, not the others.
        log('warn', 'provisioning: pre-rendering skipped a PBX', { pbxId: Number(row.id), err });
      }
    }
    return files;
  };
  return {
    ...server,
    catalog,
    devices,
    store,
    settings,
    profileIds: new Set(catalog.all.map((p) => p.id)),
    warmAll,
  };
}
