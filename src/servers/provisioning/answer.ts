// The HTTP provisioning decision for one request, without Express: identify, apply the policy, pick the file.
// The router (router.ts) only copies headers in and writes the answer out.
import type { Device } from '../../domain/model';
import {
  DIGEST_REALM,
  type DigestCredentials,
  digestChallenge,
  digestHa1,
  digestUriMatches,
  type NonceIssuer,
  parseDigestAuthorization,
  verifyDigest,
} from '../../provisioning/digest';
import type { MissLimiting } from '../../provisioning/miss-limiter';
import {
  type DigestOutcome,
  decideAccess,
  fileClass,
  isMacShapedMiss,
  type Method,
  windowOpen,
} from '../../provisioning/policy';
import {
  newProvisioningPassword,
  type ProvisioningFile,
  type ProvisioningFiles,
} from '../../provisioning/provisioning-files';
import type { ProvisioningLog, ProvisioningStore } from '../../provisioning/store';
import type { BootRequest } from '../../vendors/boot-request';
import { type DeviceIdentity, identifyDevice } from '../../vendors/identify-device';

export interface ProvisioningHttpRequest {
  method: string;
  /** Request target exactly as sent (path and query): what the digest `uri` must name. */
  target: string;
  /** Path below the provisioning mount, still percent-encoded, without the query. */
  path: string;
  userAgent: string | null;
  authorization: string | null;
  ifNoneMatch: string | null;
  clientIp: string;
}

export type ProvisioningAnswer =
  | { status: 200; file: ProvisioningFile; secret: boolean }
  | { status: 304; etag: string; secret: boolean }
  | { status: 401; challenge: string }
  | { status: 404 }
  | { status: 405; allow: string }
  | { status: 429; retryAfterSeconds: number }
  /** Authorised PUT: the router reads the body (size-limited) and stores it at `path`. */
  | { status: 'upload'; path: string; mac: string; file: string };

export interface ProvisioningHttpDeps {
  files: ProvisioningFiles;
  store: ProvisioningStore;
  limiter: MissLimiting;
  nonces: NonceIssuer;
  log?: ProvisioningLog;
  now?: () => number;
}

const METHODS: readonly string[] = ['GET', 'HEAD', 'PUT'];
const MAX_IDENTITIES = 4096;
// Compared against when the MAC is unknown, so both refusals cost the same work.
const DUMMY_HA1 = digestHa1('nobody', 'nothing');

export class ProvisioningHttp {
  private readonly log: ProvisioningLog;
  private readonly now: () => number;
  /**
   * Who asks for what, by User-Agent and path, for requests that name no phone (shared files, asked by every phone of
   * a model with the same User-Agent): a pure function of the two and the catalog, fixed for the process. Frozen:
   * shared. A request naming a MAC is identified afresh: kept, each would be asked about once per boot.
   */
  private readonly identities = new Map<string, Readonly<DeviceIdentity>>();

  constructor(private readonly deps: ProvisioningHttpDeps) {
    this.log = deps.log ?? (() => {});
    this.now = deps.now ?? Date.now;
  }

  async answer(req: ProvisioningHttpRequest): Promise<ProvisioningAnswer> {
    if (!METHODS.includes(req.method)) return { status: 405, allow: METHODS.join(', ') };
    const method = req.method as Method;
    const identity = this.identify(req.userAgent, req.path);
    const request = identity.request;
    const cls = fileClass(request, method);

    if (request.kind === 'unknown') {
      if (isMacShapedMiss(request)) await this.miss(req, 'not-a-device-mac', null);
      return { status: 404 };
    }
    if (cls === 'absent') return { status: 404 };
    if (cls === 'wrong-method') return { status: 405, allow: method === 'PUT' ? 'GET, HEAD' : 'PUT' };
    if (cls === 'shared') {
      const file = await this.deps.files.sharedFile(request, 'http');
      return file ? this.ok(file, req, false) : { status: 404 };
    }
    return this.perPhone(req, method, request, identity.macMismatch !== null);
  }

  /** A file named after one phone: digest credentials or an open window, else the one challenge everybody gets. */
  private async perPhone(
    req: ProvisioningHttpRequest,
    method: Method,
    request: BootRequest,
    macMismatch: boolean,
  ): Promise<ProvisioningAnswer> {
    const nowMs = this.now();
    const now = new Date(nowMs);
    const mac = 'mac' in request ? request.mac : null;
    const credentials = parseDigestAuthorization(req.authorization ?? undefined);
    const limiter = this.deps.limiter;
    // A limited address is refused before any lookup, except for the one answer each of its challenges is owed.
    if (
      limiter.isLimited(req.clientIp, nowMs) &&
      !(credentials && mac && limiter.awaitsAnswer(req.clientIp, mac, nowMs))
    ) {
      this.log('debug', 'provisioning: rate-limited', { ip: req.clientIp, file: request.path });
      return { status: 429, retryAfterSeconds: Math.max(1, limiter.retryAfterSeconds(req.clientIp, nowMs)) };
    }
    let device = mac && !macMismatch ? await this.deps.store.deviceByMac(mac) : null;
    const vendor = device ? this.deps.files.catalog.byId(device.profileId)?.vendor : undefined;
    if (device && request.vendor !== null && request.vendor !== vendor) device = null;

    const digest = this.checkDigest(credentials, req, device, nowMs);
    const access = decideAccess({
      deviceKnown: device !== null,
      macMismatch,
      digest,
      windowOpen: device !== null && windowOpen(device.armedUntil, now),
    });
    if (!access.allow || !device || !mac) {
      // Every refusal takes a token, whatever the MAC: the same 401 for an unknown MAC, no or wrong credentials,
      // mismatched MACs, so the limiter cannot tell which MACs exist. A phone's own challenge comes back with its first
      // valid login for that MAC (settle below), so the digest handshake costs a phone nothing. A right password on an
      // expired nonce (stale) is no guess and costs nothing: only the device's password can produce it.
      if (digest !== 'stale' || macMismatch)
        await this.miss(req, refusalReason(device !== null, macMismatch, digest), mac, credentials !== null);
      return this.challenge(nowMs, !access.allow && access.stale);
    }
    if (access.via === 'digest') limiter.settle(req.clientIp, mac, nowMs);

    const seen = { at: now, ip: req.clientIp, userAgent: req.userAgent?.slice(0, 255) ?? null };
    if (method === 'PUT') {
      const path = this.deps.files.uploadPath(request);
      if (!path) return { status: 404 };
      await this.deps.store.recordSeen(device.id, seen);
      return { status: 'upload', path, mac, file: request.path ?? '' };
    }

    let file: ProvisioningFile | null;
    if (access.via === 'window' && method === 'GET' && this.deps.files.holdsSecrets(request, device)) {
      // Teach the phone a fresh password in the file, and store its HA1 in the same write that closes the window.
      const password = newProvisioningPassword();
      file = await this.deps.files.deviceFile(request, device, { user: device.provisioningUsername, password });
      if (!file) return { status: 404 };
      const ha1 = digestHa1(device.provisioningUsername, password, DIGEST_REALM);
      if (!(await this.deps.store.consumeWindow(device.id, now, ha1))) {
        await this.miss(req, 'window-already-used', mac);
        return this.challenge(nowMs, false);
      }
      this.log('info', 'provisioning: window used, provisioning password rotated', { mac, ip: req.clientIp });
    } else {
      file = await this.deps.files.deviceFile(request, device);
    }
    await this.deps.store.recordSeen(device.id, seen);
    if (!file) return { status: 404 };
    if (file.type === 'body' && file.containsSecrets)
      this.log('info', 'provisioning: file with credentials served', {
        mac,
        ip: req.clientIp,
        file: request.path,
        via: access.via,
        method,
      });
    return this.ok(file, req, true);
  }

  private checkDigest(
    c: DigestCredentials | null,
    req: ProvisioningHttpRequest,
    device: Device | null,
    nowMs: number,
  ): DigestOutcome {
    if (!c) return 'none';
    const ha1 = device?.provisioningHa1 ?? DUMMY_HA1;
    const proven = verifyDigest(c, req.method, ha1);
    if (!device || !proven || c.username !== device.provisioningUsername || !digestUriMatches(c.uri, req.target))
      return 'invalid';
    const nonce = this.deps.nonces.check(c.nonce, nowMs);
    return nonce === 'valid' ? 'valid' : nonce === 'stale' ? 'stale' : 'invalid';
  }

  private identify(userAgent: string | null, path: string): Readonly<DeviceIdentity> {
    // A newline cannot be in a header value: the key is unambiguous.
    const key = `${userAgent ?? ''}\n${path}`;
    const kept = this.identities.get(key);
    if (kept) return kept;
    const identity = identifyDevice(userAgent, path, this.deps.files.catalog);
    if (identity.mac !== null) return identity;
    // Bounded by what phones ask without a MAC; a flood of made-up names starts it over.
    if (this.identities.size >= MAX_IDENTITIES) this.identities.clear();
    const frozen = deepFreeze(identity);
    this.identities.set(key, frozen);
    return frozen;
  }

  private challenge(nowMs: number, stale: boolean): ProvisioningAnswer {
    return { status: 401, challenge: digestChallenge(this.deps.nonces.issue(nowMs), stale) };
  }

  /** Counts a refusal; the answer goes out once the count holds everywhere (see MissLimiting). */
  private miss(
    req: ProvisioningHttpRequest,
    reason: string,
    mac: string | null,
    answered = false,
  ): void | Promise<void> {
    const counted = this.deps.limiter.recordMiss(req.clientIp, this.now(), mac === null ? null : { mac, answered });
    // A known phone's first, credential-less try is the normal start of the digest handshake: not worth a warning.
    this.log(reason === 'no-credentials' ? 'debug' : 'warn', 'provisioning: miss', {
      ip: req.clientIp,
      path: req.path.slice(0, 120),
      mac,
      reason,
      allowListed: this.deps.limiter.allowListed(req.clientIp),
    });
    return counted;
  }

  private ok(file: ProvisioningFile, req: ProvisioningHttpRequest, secret: boolean): ProvisioningAnswer {
    if (file.type === 'body' && req.ifNoneMatch !== null && etagMatches(req.ifNoneMatch, file.etag))
      return { status: 304, etag: file.etag, secret };
    return { status: 200, file, secret };
  }
}

/** Why a per-phone request was refused, for the log only (the answer and the count are the same for all). */
function refusalReason(known: boolean, macMismatch: boolean, digest: DigestOutcome): string {
  if (macMismatch) return 'user-agent-mac-mismatch';
  if (!known) return 'unknown-mac';
  return digest === 'none' ? 'no-credentials' : 'bad-credentials';
}

/** If-None-Match: "*" or a list of (possibly weak) tags. */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Freezes the identity's own objects (the catalog's profile it points to is the catalog's, left alone). */
function deepFreeze(identity: DeviceIdentity): Readonly<DeviceIdentity> {
  Object.freeze(identity.request);
  if (identity.userAgent) Object.freeze(identity.userAgent);
  if (identity.macMismatch) Object.freeze(identity.macMismatch);
  return Object.freeze(identity);
}
