// ProvisioningFiles with rendered files kept in memory: per-phone files across PBX revisions, shared files for the
// process.
//
// A per-phone file is a pure function of the phone's PhoneConfig, its profile and the templates (fixed for the
// process). Each rendered file is kept with the device fields it came from, the PBX revision it was last confirmed
// against and a hash of its PhoneConfig:
// - same revision and same device fields: served as is (a boot storm's hot path: no build, no render);
// - the PBX changed since: the PhoneConfig is built again (~50 µs) and the file is kept if its hash did not change,
//   so a change to one extension re-renders (~1 ms each) only the phones it shows on, not the whole PBX;
// - a rotated phone-app token or an edited device changes the fields, and the file is rendered again.
// warm() renders a PBX's files ahead of the phones (at start-up), so a boot storm finds them ready, as nginx would
// find pre-rendered files on disk. Files that teach the phone credentials (window fetches) and stored uploads are
// never cached. Shared files depend on templates and settings only.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { BootRequest } from '../vendors/boot-request';
import { identifyDevice } from '../vendors/identify-device';
import { appTokenFor, appTokenHash } from './app-token';
import {
  type ProvisioningFile,
  ProvisioningFiles,
  type ProvisioningFilesDeps,
  type RenderPlan,
} from './provisioning-files';
import { polycomFileNames } from './render/polycom';

export interface CachedProvisioningFilesDeps extends ProvisioningFilesDeps {
  /** Upper bound of the per-phone memo, in body bytes (default 256 MB); the least recently rendered go first. */
  memoBytes?: number;
  /**
   * Told of every file rendered into the memo and of every file re-confirmed for a newer revision (its config hash
   * unchanged): the cluster's renderer passes them on to the serving processes, which adopt() them.
   */
  onMemo?: (entry: SharedMemoEntry) => void;
}

/**
 * A memo entry as it travels between processes: the rendered file with what it was rendered from, or (file null) a
 * confirmation that the entry with this config hash holds for `revision` too.
 */
export interface SharedMemoEntry {
  key: string;
  revision: number;
  configHash: string;
  file: ProvisioningFile | null;
  inputs: RenderInputs | null;
  tokenHash: string | null;
}

interface Entry {
  file: ProvisioningFile;
  /** The device fields the file was rendered from. */
  inputs: RenderInputs;
  /** The PBX revision the file was last confirmed for. */
  revision: number;
  /** sha256 of the template kind, profile and PhoneConfig it was rendered from. */
  configHash: string;
  /** The hash of the phone-app token written into the file (null when it holds none). */
  tokenHash: string | null;
  /**
   * A frozen device object found equal to `inputs`: the provisioning store hands the same frozen object to every
   * request until the row changes, so the next request of the phone skips the field-by-field comparison.
   */
  same?: Device;
}

/** The device fields a rendered file depends on (besides the PBX and settings). */
export type RenderInputs = Pick<
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

/**
 * Equality of the device's JSON column values (numbers, strings, arrays, plain objects): Node's own deep equality,
 * which also tells an array from an object with index keys and a missing key from one set to undefined.
 */
export const sameJson: (a: unknown, b: unknown) => boolean = isDeepStrictEqual;

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

const SHARED_KINDS: ReadonlySet<string> = new Set(['master', 'common', 'bootstrap']);

function size(file: ProvisioningFile): number {
  return file.type === 'body' ? file.body.length + 256 : 256;
}

function configHash(plan: RenderPlan): string {
  return createHash('sha256')
    .update(JSON.stringify([plan.file, plan.profile.id, plan.config]))
    .digest('base64');
}

/** How long warm() works before letting requests in (it yields to the event loop between slices). */
const WARM_SLICE_MS = 10;

export class CachedProvisioningFiles extends ProvisioningFiles {
  private readonly files = new Map<string, Entry>();
  private bytes = 0;
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
    const profile = this.catalog.byId(device.profileId);
    const kind = profile && credentials === null ? this.renderedKind(request, profile) : null;
    if (!kind) return super.deviceFile(request, device, credentials);
    return this.memoized(request, device, kind, await this.cacheDeps.store.snapshot(device.pbxId, device));
  }

  private async memoized(
    request: BootRequest,
    device: Device,
    kind: string,
    snapshot: PbxSnapshot,
  ): Promise<ProvisioningFile | null> {
    // Id and kind hold no spaces, so the path (which may) cannot make two keys collide.
    const key = `${device.id} ${kind} ${request.path}`;
    const hit = this.files.get(key);
    const fields = hit !== undefined && (hit.same === device || sameInputs(hit.inputs, device));
    if (fields && hit.same !== device && Object.isFrozen(device)) hit.same = device;
    if (hit && fields && hit.revision === snapshot.pbx.revision) {
      // The render that filled the memo stored the token hash; a row that lost it since (restored backup) gets it back.
      if (hit.tokenHash !== null && device.appTokenHash !== hit.tokenHash)
        await this.cacheDeps.store.storeAppTokenHash(device.id, device.appTokenSalt, hit.tokenHash);
      return hit.file;
    }
    const plan = await this.renderPlan(request, device, null, snapshot);
    if (!plan) return null;
    const hash = configHash(plan);
    if (hit && fields && hit.configHash === hash) {
      hit.revision = snapshot.pbx.revision;
      this.cacheDeps.onMemo?.({
        key,
        revision: hit.revision,
        configHash: hash,
        file: null,
        inputs: null,
        tokenHash: null,
      });
      return hit.file;
    }
    const file = this.renderPlanned(plan);
    this.keep(key, {
      file,
      inputs: inputsOf(device),
      revision: snapshot.pbx.revision,
      configHash: hash,
      tokenHash: plan.config.phoneApps
        ? appTokenHash(appTokenFor(this.cacheDeps.appTokenKey, device.appTokenSalt))
        : null,
    });
    return file;
  }

  /**
   * Files rendered by another process (the cluster's renderer): kept as if rendered here, unless the memo already
   * holds a newer one. Each is checked at use like any other (revision, device fields), so an entry that is stale
   * by the time it arrives is simply rendered again.
   */
  adopt(entries: readonly SharedMemoEntry[]): void {
    for (const e of entries) {
      const have = this.files.get(e.key);
      if (e.file === null || e.inputs === null) {
        if (have && have.configHash === e.configHash && have.revision < e.revision) have.revision = e.revision;
        continue;
      }
      if (have && have.revision > e.revision) continue;
      // Buffers may arrive as plain Uint8Arrays, depending on how they were serialized.
      const file: ProvisioningFile =
        e.file.type === 'body' && !Buffer.isBuffer(e.file.body)
          ? { ...e.file, body: Buffer.from(e.file.body as Uint8Array) }
          : e.file;
      this.keep(
        e.key,
        { file, inputs: e.inputs, revision: e.revision, configHash: e.configHash, tokenHash: e.tokenHash },
        false,
      );
    }
  }

  /** Every entry of the memo, oldest first (to bring a newly started serving process up to date). */
  *entries(): IterableIterator<SharedMemoEntry> {
    for (const [key, e] of this.files)
      yield {
        key,
        revision: e.revision,
        configHash: e.configHash,
        file: e.file,
        inputs: e.inputs,
        tokenHash: e.tokenHash,
      };
  }

  /** Files in the memo (tests and metrics). */
  get size(): number {
    return this.files.size;
  }

  private keep(key: string, entry: Entry, announce = true): void {
    if (announce)
      this.cacheDeps.onMemo?.({
        key,
        revision: entry.revision,
        configHash: entry.configHash,
        file: entry.file,
        inputs: entry.inputs,
        tokenHash: entry.tokenHash,
      });
    const replaced = this.files.get(key);
    if (replaced) {
      this.files.delete(key);
      this.bytes -= size(replaced.file);
    }
    this.files.set(key, entry);
    this.bytes += size(entry.file);
    for (const [k, old] of this.files) {
      if (this.bytes <= this.memoBytes) break;
      this.files.delete(k);
      this.bytes -= size(old.file);
    }
  }

  /**
   * Renders every per-phone file of this PBX's phones that the memo does not hold for the current revision, in slices
   * of ~10 ms with the event loop free in between (requests go first). Returns how many files it looked at. A phone
   * whose file cannot be built is skipped (its own request reports why).
   */
  async warm(pbxId: number, options: { signal?: AbortSignal } = {}): Promise<number> {
    const snapshot = await this.cacheDeps.store.snapshot(pbxId);
    let done = 0;
    let slice = performance.now();
    for (const device of snapshot.devices) {
      for (const name of this.perPhoneNames(device)) {
        if (options.signal?.aborted) return done;
        if (performance.now() - slice > WARM_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
        const request = identifyDevice(null, name, this.catalog).request;
        const profile = this.catalog.byId(device.profileId);
        const kind = profile ? this.renderedKind(request, profile) : null;
        if (kind) await this.memoized(request, device, kind, snapshot).catch(() => null);
        done++;
      }
    }
    return done;
  }

  /** The per-phone files a phone of this device's model fetches on boot (shared and uploaded files aside). */
  private perPhoneNames(device: Device): string[] {
    const profile = this.catalog.byId(device.profileId);
    if (!profile) return [];
    if (profile.vendor === 'polycom') {
      const names = polycomFileNames(device.mac, profile);
      return [names.master, names.phone, names.directory];
    }
    return [`${device.mac}.cfg`];
  }
}
