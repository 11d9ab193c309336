// What a provisioning request gets, for both transports: shared files, per-phone files, firmware on disk, stored uploads.
//
// HTTP (src/servers/provisioning/) decides WHO may have a per-phone file (policy.ts) and then asks deviceFile();
// TFTP calls open(), which has no authentication at all and so serves only secret-free bootstrap files that move the
// phone to HTTP(S) — unless the device's PBX opted in to credentials over TFTP (closed LANs) and the caller allows it.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { BootRequest } from '../vendors/boot-request';
import type { FirmwareProfile } from '../vendors/firmware-profile';
import { identifyDevice } from '../vendors/identify-device';
import type { ProfileCatalog } from '../vendors/profile-catalog';
import { appTokenFor, appTokenHash } from './app-token';
import { buildPhoneConfig, type PhoneConfigSettings } from './build-phone-config';
import type { MissLimiting } from './miss-limiter';
import type { PhoneConfig } from './phone-config';
import { fileClass } from './policy';
import type { ProvisioningRenderer, RenderedFile, RenderRequest } from './render';
import type { ProvisioningLog, ProvisioningStore } from './store';

/** One file to send: rendered bytes, or a file on disk to stream (firmware). */
export type ProvisioningFile =
  | {
      type: 'body';
      /** The name the phone asked for (log and Content-Disposition material, never a path). */
      name: string;
      body: Buffer;
      contentType: string;
      /** Holds SIP/admin/provisioning secrets: serve only to the authenticated device and log it. */
      containsSecrets: boolean;
      /** Strong ETag: quoted MD5 of the body (Yealink compares MD5s too). */
      etag: string;
    }
  | { type: 'disk'; name: string; path: string; contentType: string };

export interface ProvisioningFilesDeps {
  store: ProvisioningStore;
  catalog: ProfileCatalog;
  renderer: ProvisioningRenderer;
  settings: PhoneConfigSettings;
  /** Key of the phone-app tokens (app-token.ts). */
  appTokenKey: Buffer;
  /** DATA_DIR/firmware: firmware files as the vendors ship them. */
  firmwareDir: string;
  /** DATA_DIR/phone-logs: what phones PUT, one folder per MAC. */
  uploadsDir: string;
  log?: ProvisioningLog;
  /** Misses of TFTP per-phone lookups (only made when credentials over TFTP are allowed). */
  limiter?: MissLimiting;
  now?: () => number;
}

/** TFTP: whether per-phone files with secrets may ever be served (then only for PBXs with tftpCredentials on). */
export interface TftpOpenOptions {
  secretsAllowed?: boolean;
}

const XML = 'application/xml; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

function bodyFile(
  name: string,
  rendered: Pick<RenderedFile, 'body' | 'contentType' | 'containsSecrets'>,
): ProvisioningFile {
  const body = Buffer.from(rendered.body, 'utf8');
  return {
    type: 'body',
    name,
    body,
    contentType: rendered.contentType,
    containsSecrets: rendered.containsSecrets,
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
  };
}

/** Polycom may prefix its part number to the application name twice ("<part>.<part>.sip.ld"): it is the same file. */
export function firmwareFileName(requested: string): string {
  const m = /^(\d{4}-\d{5}-\d{3})\.\1\.sip\.ld$/.exec(requested);
  return m ? `${m[1]}.sip.ld` : requested;
}

/** File name under DATA_DIR/phone-logs/<mac>/ of an uploaded (or served-back) per-phone file. */
export function uploadFileName(request: BootRequest): string | null {
  if (request.kind === 'unknown' || !('mac' in request) || request.mac === null) return null;
  const name = request.path;
  return /^[0-9a-f]{12}[A-Za-z0-9.-]*$/.test(name) && !name.includes('..') ? name : null;
}

/** A random provisioning password a phone learns (24 URL-safe characters, 144 bits; no characters configs escape). */
export function newProvisioningPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** The templates that render a per-phone file. */
export type PhoneFileKind = 'polycom-master' | 'polycom-phone' | 'polycom-directory' | 'yealink-phone';

/** Everything a rendered per-phone file is made from. */
export interface RenderPlan {
  /** The name the phone asked for. */
  name: string;
  file: PhoneFileKind;
  profile: FirmwareProfile;
  config: PhoneConfig;
  /** What the builder left out (logged for files with secrets). */
  notes: string[];
  withSecrets: boolean;
  mac: string;
}

export class ProvisioningFiles {
  private readonly log: ProvisioningLog;
  private readonly now: () => number;

  constructor(private readonly deps: ProvisioningFilesDeps) {
    this.log = deps.log ?? (() => {});
    this.now = deps.now ?? Date.now;
  }

  get catalog(): ProfileCatalog {
    return this.deps.catalog;
  }

  private render(request: RenderRequest): RenderedFile {
    return this.deps.renderer.renderFile(request);
  }

  /** A shared (secret-free) file; null when it does not exist. Over TFTP the master files become bootstrap files. */
  async sharedFile(request: BootRequest, transport: 'http' | 'tftp'): Promise<ProvisioningFile | null> {
    const bootstrap = { provisioningBaseUrl: this.deps.settings.provisioningBaseUrl };
    if (request.vendor === 'polycom') {
      switch (request.kind) {
        case 'master':
          if (request.mac !== null) return null;
          return bodyFile(
            request.path,
            this.render({ file: transport === 'tftp' ? 'polycom-bootstrap-master' : 'polycom-generic-master' }),
          );
        case 'common': {
          const profile = request.profileId === null ? null : this.deps.catalog.byId(request.profileId);
          if (profile === undefined || (profile !== null && profile.vendor !== 'polycom')) return null;
          return bodyFile(request.path, this.render({ file: 'polycom-common', profile }));
        }
        case 'bootstrap':
          return bodyFile(request.path, this.render({ file: 'polycom-bootstrap', bootstrap }));
        case 'firmware':
          return this.firmware(request.fileName);
        default:
          return null;
      }
    }
    if (request.vendor === 'yealink') {
      if (request.kind === 'firmware') return this.firmware(request.fileName);
      if (request.kind !== 'common') return null;
      const profile = this.deps.catalog.byModelCode(request.modelCode) ?? null;
      if (transport === 'tftp')
        return bodyFile(request.path, this.render({ file: 'yealink-bootstrap', bootstrap, profile }));
      return profile ? bodyFile(request.path, this.render({ file: 'yealink-common', profile })) : null;
    }
    return null;
  }

  private async firmware(requested: string): Promise<ProvisioningFile | null> {
    const name = firmwareFileName(requested);
    if (name.includes('/') || name.startsWith('.')) return null;
    const path = join(this.deps.firmwareDir, name);
    try {
      if (!(await stat(path)).isFile()) return null;
    } catch {
      return null;
    }
    return { type: 'disk', name: requested, path, contentType: 'application/octet-stream' };
  }

  /**
   * A per-phone file for an already authorised device; null when this device has no such file (another vendor's name,
   * nothing uploaded yet). `credentials`: provisioning credentials the phone must learn (window fetch), else null.
   */
  async deviceFile(
    request: BootRequest,
    device: Device,
    credentials: { user: string; password: string } | null = null,
  ): Promise<ProvisioningFile | null> {
    const profile = this.deps.catalog.byId(device.profileId);
    if (!profile) {
      this.log('error', 'provisioning: device uses an unknown firmware profile', {
        mac: device.mac,
        profileId: device.profileId,
      });
      return null;
    }
    if (request.kind === 'unknown' || (request.vendor !== null && request.vendor !== profile.vendor)) return null;
    const plan = await this.renderPlan(request, device, credentials);
    if (plan) return this.renderPlanned(plan);
    if (profile.vendor === 'polycom')
      return request.kind === 'override' || request.kind === 'call-list' ? this.stored(request, XML) : null;
    return request.kind === 'local-config' ? this.stored(request, TEXT) : null;
  }

  /** Which template renders this device's file for `request`; null when it is not a rendered per-phone file. */
  protected renderedKind(request: BootRequest, profile: FirmwareProfile): PhoneFileKind | null {
    if (request.kind === 'unknown' || (request.vendor !== null && request.vendor !== profile.vendor)) return null;
    const kind = request.kind;
    if (profile.vendor === 'polycom') {
      if (kind === 'master' || kind === 'mac-config') return 'polycom-master';
      if (kind === 'device-config') return 'polycom-phone';
      if (kind === 'directory') return 'polycom-directory';
      return null;
    }
    return kind === 'device-config' || kind === 'mac-config' ? 'yealink-phone' : null;
  }

  /**
   * The PhoneConfig a rendered per-phone file is made from (the render is a pure function of it, the profile and the
   * templates); null when `request` is not a rendered file of this device. Stores the phone-app token hash if needed.
   */
  protected async renderPlan(
    request: BootRequest,
    device: Device,
    credentials: { user: string; password: string } | null,
    /** The device's PBX when the caller has just read it. */
    pbx?: PbxSnapshot,
  ): Promise<RenderPlan | null> {
    const profile = this.deps.catalog.byId(device.profileId);
    const file = profile ? this.renderedKind(request, profile) : null;
    if (!profile || !file) return null;
    const snapshot = pbx ?? (await this.deps.store.snapshot(device.pbxId, device));
    const withSecrets = file === 'polycom-phone' || file === 'yealink-phone';
    const appToken = withSecrets ? await this.appToken(device) : null;
    const { config, notes } = buildPhoneConfig({
      snapshot,
      device,
      profile,
      settings: this.deps.settings,
      appToken,
      provisioningCredentials: withSecrets ? credentials : null,
    });
    return { name: request.path ?? '', file, profile, config, notes, withSecrets, mac: device.mac };
  }

  protected renderPlanned(plan: RenderPlan): ProvisioningFile {
    const rendered = this.render({ file: plan.file, config: plan.config, profile: plan.profile });
    const omitted = [...plan.notes, ...rendered.omitted];
    if (omitted.length && plan.withSecrets)
      this.log('debug', 'provisioning: not configured', { mac: plan.mac, omitted });
    return bodyFile(plan.name, rendered);
  }

  /** Whether this device's file for `request` holds secrets (decides whether a window fetch consumes the window). */
  holdsSecrets(request: BootRequest, device: Device): boolean {
    const vendor = this.deps.catalog.byId(device.profileId)?.vendor;
    if (request.kind === 'device-config') return true;
    return request.kind === 'mac-config' && vendor === 'yealink';
  }

  /** The device's phone-app token; its hash is stored the first time it is rendered (see app-token.ts). */
  private async appToken(device: Device): Promise<string | null> {
    if (this.deps.settings.phoneAppsBaseUrl === null) return null;
    const token = appTokenFor(this.deps.appTokenKey, device.appTokenSalt);
    const hash = appTokenHash(token);
    if (device.appTokenHash !== hash) await this.deps.store.storeAppTokenHash(device.id, device.appTokenSalt, hash);
    return token;
  }

  /** Path where an upload for this request is (or would be) stored; null when the name cannot be one. */
  uploadPath(request: BootRequest): string | null {
    const name = uploadFileName(request);
    if (!name || !('mac' in request) || !request.mac) return null;
    return join(this.deps.uploadsDir, request.mac, name);
  }

  private async stored(request: BootRequest, contentType: string): Promise<ProvisioningFile | null> {
    const path = this.uploadPath(request);
    if (!path) return null;
    try {
      return bodyFile(request.path ?? '', { body: await readFile(path, 'utf8'), contentType, containsSecrets: false });
    } catch {
      return null;
    }
  }

  /**
   * TFTP entry point (shape of the TFTP server's file source). No authentication exists over TFTP, so per-phone names get
   * the secret-free bootstrap that sends the phone to HTTP(S) — the same bytes for known and unknown MACs. With
   * `secretsAllowed`, a known device of a PBX with `tftpCredentials` on gets its real files instead (logged, and misses
   * counted by the limiter, since the answer then depends on the MAC).
   */
  async open(
    path: string,
    client: { address: string },
    userAgent: string | null = null,
    options: TftpOpenOptions = {},
  ): Promise<ProvisioningFile | null> {
    const identity = identifyDevice(userAgent, path, this.deps.catalog);
    const request = identity.request;
    if (request.kind === 'unknown' || identity.macMismatch) return null;
    const cls = fileClass(request, 'GET');
    if (cls === 'shared') return this.sharedFile(request, 'tftp');
    if (cls !== 'device' || !('mac' in request) || request.mac === null) return null;
    const mac = request.mac;

    let device: Device | null = null;
    const lookup = options.secretsAllowed === true || request.kind === 'mac-config';
    if (lookup) {
      const now = this.now();
      if (this.deps.limiter?.isLimited(client.address, now)) return null;
      device = await this.deps.store.deviceByMac(mac);
      if (!device) {
        await this.deps.limiter?.recordMiss(client.address, now);
        this.log('warn', 'provisioning: TFTP miss', { ip: client.address, file: request.path });
      }
    }
    if (device && options.secretsAllowed) {
      const snapshot = await this.deps.store.snapshot(device.pbxId);
      if (snapshot.pbx.tftpCredentials) {
        const file = await this.deviceFile(request, device);
        if (file) {
          await this.deps.store.recordSeen(device.id, { at: new Date(this.now()), ip: client.address, userAgent });
          if (file.type === 'body' && file.containsSecrets)
            this.log('info', 'provisioning: file with credentials served', {
              mac,
              ip: client.address,
              file: request.path,
              via: 'tftp-opt-in',
            });
        }
        return file;
      }
    }
    const bootstrap = { provisioningBaseUrl: this.deps.settings.provisioningBaseUrl };
    const vendor = request.vendor ?? (device ? this.deps.catalog.byId(device.profileId)?.vendor : undefined);
    if (vendor === 'polycom' && (request.kind === 'master' || request.kind === 'mac-config'))
      return bodyFile(request.path, this.render({ file: 'polycom-bootstrap-master' }));
    if (vendor === 'yealink' && (request.kind === 'device-config' || request.kind === 'mac-config'))
      return bodyFile(request.path, this.render({ file: 'yealink-bootstrap', bootstrap, profile: null }));
    return null;
  }
}
