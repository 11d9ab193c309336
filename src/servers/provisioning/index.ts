// Builds the provisioning server from its parts: the HTTP listener (in front of the portal app) and the file source
// TFTP reuses.

import type { RequestListener, Server } from 'node:http';
import { join } from 'node:path';
import type { PhoneConfigSettings } from '../../provisioning/build-phone-config';
import { CachedProvisioningFiles, type SharedMemoEntry } from '../../provisioning/cached-provisioning-files';
import { NonceIssuer } from '../../provisioning/digest';
import { MissLimiter, type MissLimiterOptions, type MissLimiting } from '../../provisioning/miss-limiter';
import type { ProvisioningRenderer } from '../../provisioning/render';
import type { ProvisioningLog, ProvisioningStore } from '../../provisioning/store';
import type { ProfileCatalog } from '../../vendors/profile-catalog';
import { ProvisioningHttp } from './answer';
import { type FastPath, type FastPathOptions, installFastPath } from './fast-path';
import { provisioningListener } from './listener';

export { type ProvisioningAnswer, ProvisioningHttp, type ProvisioningHttpRequest } from './answer';
export type { FastPath } from './fast-path';
export { type ProvisioningListenerOptions, provisioningListener } from './listener';

export interface ProvisioningServerDeps {
  store: ProvisioningStore;
  catalog: ProfileCatalog;
  renderer: ProvisioningRenderer;
  settings: PhoneConfigSettings;
  /** Key of the phone-app tokens (DATA_DIR/keys/app-token.key via loadOrCreateKeyFile). */
  appTokenKey: Buffer;
  /** DATA_DIR: firmware is read from DATA_DIR/firmware, uploads go to DATA_DIR/phone-logs/<mac>/. */
  dataDir: string;
  /** Miss rate limit and the allow-list of CIDRs (customer NAT gateways). */
  limits?: MissLimiterOptions;
  /** A limiter shared with other processes (the cluster's); by default one of this process built from `limits`. */
  limiter?: MissLimiting;
  /** Key signing digest nonces; processes that serve the same phones must share it (default: random per process). */
  nonceKey?: Buffer;
  /** See CachedProvisioningFiles: told of every file rendered into the memo. */
  onMemo?: (entry: SharedMemoEntry) => void;
  uploadLimitBytes?: number;
  log?: ProvisioningLog;
  now?: () => number;
}

export interface ProvisioningServer {
  /** Answers /provisioning/… (settings.provisioningBaseUrl must end with /provisioning), the rest goes to `next`. */
  listener(next: RequestListener): RequestListener;
  /**
   * Answers plain keep-alive GET/HEAD requests for provisioning files on `server`'s connections before node:http
   * parses them (fast-path.ts); `server` must also have `listener` for everything else.
   */
  fastPath(server: Server, options?: Pick<FastPathOptions, 'observe'>): FastPath;
  /** The file source the TFTP server reuses: open(path, client, userAgent, { secretsAllowed }); warm() pre-renders. */
  files: CachedProvisioningFiles;
  limiter: MissLimiting;
}

export function createProvisioningServer(deps: ProvisioningServerDeps): ProvisioningServer {
  const limiter = deps.limiter ?? new MissLimiter(deps.limits);
  // Rendered files are kept until the phone's config changes: a boot storm renders each phone's files at most once.
  const files = new CachedProvisioningFiles({
    store: deps.store,
    catalog: deps.catalog,
    renderer: deps.renderer,
    settings: deps.settings,
    appTokenKey: deps.appTokenKey,
    firmwareDir: join(deps.dataDir, 'firmware'),
    uploadsDir: join(deps.dataDir, 'phone-logs'),
    log: deps.log,
    limiter,
    now: deps.now,
    onMemo: deps.onMemo,
  });
  const http = new ProvisioningHttp({
    files,
    store: deps.store,
    limiter,
    nonces: new NonceIssuer({ key: deps.nonceKey }),
    log: deps.log,
    now: deps.now,
  });
  return {
    listener: (next) => provisioningListener(http, next, { uploadLimitBytes: deps.uploadLimitBytes, log: deps.log }),
    fastPath: (server, options) => installFastPath(server, http, { ...options, log: deps.log }),
    files,
    limiter,
  };
}
