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
  /**
   * Rendered file, the device fields it was rendered from, and the hash of the phone-app token written into it (null
   * when it holds none). Keyed by device id and file; the fields are compared on a hit (cheaper than a key of them all).
   */
  files: Map<string, { file: ProvisioningFile; inputs: RenderInputs; tokenHash: string | null }>;
  bytes: number;
}

/** The device fields a rendered file depends on (besides the snapshot and settings). */
type RenderInputs = Pick<
  Device,
  'pbxId' | 'mac' | 'profileId' | 'label' | 'extensionIds' | 'lineKeys' | 'appTokenSalt'
>;

function inputsOf(d: Device): RenderInputs {
  return {
    pbxId: d.pbxId,
    mac: d.mac,
    profileId: d.profileId,
    label: d.label,
    extensionIds: d.extensionIds,
    lineKeys: d.lineKeys,
    appTokenSalt: d.appTokenSalt,
  };
}

/** Equality of JSON values (the device's JSON columns hold numbers, strings, arrays and plain objects). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka)
    if (!Object.hasOwn(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  return true;
}

function sameInputs(a: RenderInputs, d: Device): boolean {
  return (
    a.pbxId === d.pbxId &&
    a.mac === d.mac &&
    a.profileId === d.profileId &&
    a.label === d.label &&
    a.appTokenSalt === d.appTokenSalt &&
    sameJson(a.extensionIds, d.extensionIds) &&
    sameJson(a.lineKeys, d.lineKeys)
  );
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
    // Id, vendor and kind hold no spaces, so the path (which may) cannot make two keys collide.
    const key = `${device.id} ${request.vendor} ${request.kind} ${request.path}`;
    const hit = memo.files.get(key);
    if (hit && sameInputs(hit.inputs, device)) {
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
    const replaced = memo.files.get(key);
    if (replaced) {
      memo.files.delete(key);
      memo.bytes -= size(replaced.file);
    }
    memo.files.set(key, { file, inputs: inputsOf(device), tokenHash });
    memo.bytes += size(file);
    for (const [k, entry] of memo.files) {
      if (memo.bytes <= this.memoBytes) break;
      memo.files.delete(k);
      memo.bytes -= size(entry.file);
    }
    return file;
  }
}
