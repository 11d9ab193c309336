// ProvisioningFiles with rendered files kept in memory: per-phone files per PBX snapshot, shared files for the process.
//
// A per-phone file depends only on the PBX snapshot, the device's own rendering fields and the settings; so it is kept
// under the snapshot object (the store must hand out the same object until the PBX's revision moves, as
// LiveProvisioningStore does) and a key of the device fields. A changed PBX gets a new snapshot object and thus an empty
// memo; a rotated phone-app token changes the key. Files that teach the phone credentials (window fetches) and stored
// uploads are never cached. Shared files depend on templates and settings only (fixed for the process).
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { BootRequest } from '../vendors/boot-request';
import { appTokenFor, appTokenHash } from './app-token';
import { type ProvisioningFile, ProvisioningFiles, type ProvisioningFilesDeps } from './provisioning-files';

export interface CachedProvisioningFilesDeps extends ProvisioningFilesDeps {
  /** Upper bound of the per-phone memo of one snapshot, in body bytes (default 256 MB); the oldest entries go first. */
  memoBytes?: number;
}

interface Memo {
  /** Rendered file and the hash of the phone-app token written into it (null when it holds none). */
  files: Map<string, { file: ProvisioningFile; tokenHash: string | null }>;
  bytes: number;
}

const RENDERED_KINDS: ReadonlySet<string> = new Set(['master', 'mac-config', 'device-config', 'directory']);
const SHARED_KINDS: ReadonlySet<string> = new Set(['master', 'common', 'bootstrap']);

function size(file: ProvisioningFile): number {
  return file.type === 'body' ? file.body.length + 256 : 256;
}

export class CachedProvisioningFiles extends ProvisioningFiles {
  private readonly memos = new WeakMap<PbxSnapshot, Memo>();
  private readonly shared = new Map<string, ProvisioningFile>();
  private readonly memoBytes: number;

  constructor(private readonly cacheDeps: CachedProvisioningFilesDeps) {
    super(cacheDeps);
    this.memoBytes = cacheDeps.memoBytes ?? 256 * 1024 * 1024;
  }

  override async sharedFile(request: BootRequest, transport: 'http' | 'tftp'): Promise<ProvisioningFile | null> {
    if (request.vendor === null || !SHARED_KINDS.has(request.kind)) return super.sharedFile(request, transport);
    const key = `${transport} ${request.vendor} ${request.kind} ${request.path}`;
    const hit = this.shared.get(key);
    if (hit) return hit;
    const file = await super.sharedFile(request, transport);
    // Bounded by the catalog: only names of known models render (a miss returns null and is not kept).
    if (file && this.shared.size < 1000) this.shared.set(key, file);
    return file;
  }

  override async deviceFile(
    request: BootRequest,
    device: Device,
    credentials: { user: string; password: string } | null = null,
  ): Promise<ProvisioningFile | null> {
    if (credentials !== null || !RENDERED_KINDS.has(request.kind))
      return super.deviceFile(request, device, credentials);
    const snapshot = await this.cacheDeps.store.snapshot(device.pbxId, device);
    let memo = this.memos.get(snapshot);
    if (!memo) {
      memo = { files: new Map(), bytes: 0 };
      this.memos.set(snapshot, memo);
    }
    const key = JSON.stringify([
      request.vendor,
      request.kind,
      request.path,
      device.id,
      device.pbxId,
      device.mac,
      device.profileId,
      device.label,
      device.extensionIds,
      device.lineKeys,
      device.appTokenSalt,
    ]);
    const hit = memo.files.get(key);
    if (hit) {
      // The render that filled the memo stored the token hash; a row that lost it since (restored backup) gets it back.
      if (hit.tokenHash !== null && device.appTokenHash !== hit.tokenHash)
        await this.cacheDeps.store.storeAppTokenHash(device.id, device.appTokenSalt, hit.tokenHash);
      return hit.file;
    }
    const file = await super.deviceFile(request, device, null);
    if (!file) return null;
    const tokenHash =
      file.type === 'body' && file.containsSecrets && this.cacheDeps.settings.phoneAppsBaseUrl !== null
        ? appTokenHash(appTokenFor(this.cacheDeps.appTokenKey, device.appTokenSalt))
        : null;
    memo.files.set(key, { file, tokenHash });
    memo.bytes += size(file);
    for (const [k, entry] of memo.files) {
      if (memo.bytes <= this.memoBytes) break;
      memo.files.delete(k);
      memo.bytes -= size(entry.file);
    }
    return file;
  }
}
