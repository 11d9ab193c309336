// Provisioning security policy as pure decisions: which files need a device's credentials, and who may have them.
//
// - Shared files (Polycom 000000000000.cfg, common*.cfg, bootstrap.cfg; Yealink y0000000000XX.cfg; firmware) hold no
//   secrets and no tenant data: served to anyone.
// - Every file named after one phone (<mac>.cfg, <mac>-user.cfg, <mac>-directory.xml, overrides, uploads) needs that
//   phone's HTTP digest credentials OR an installer-armed provisioning window for its MAC. An unknown MAC, a wrong
//   password, no credentials, or a User-Agent MAC that differs from the path all get the SAME answer (a 401 challenge).
// - The window closes at its expiry or on the first fetch of a file with secrets, whichever comes first; that fetch
//   also teaches the phone a fresh provisioning password (rotated in the same database write), so from then on the phone
//   authenticates with digest. A window is therefore good for exactly one phone boot.
// - Files we never serve (license files, Yealink .boot files, localisation, shared directory) are a plain 404 for
//   everyone, without a lookup: the answer cannot tell anything about a MAC.
import type { BootRequest } from '../vendors/boot-request';
import { acceptsUpload } from '../vendors/boot-request';

export const DEFAULT_WINDOW_MINUTES = 15;
export const MAX_WINDOW_MINUTES = 24 * 60;
/** Largest body a phone may PUT (logs, overrides). */
export const UPLOAD_LIMIT_BYTES = 256 * 1024;

export type FileClass =
  /** No secrets, no tenant data: anyone may fetch it. */
  | 'shared'
  /** Named after one phone: needs digest credentials or an open window for that MAC. */
  | 'device'
  /** Never served (404 for everyone, no lookup). */
  | 'absent'
  /** Recognised, but not with this method (PUT of a config, GET of a log). */
  | 'wrong-method';

export type Method = 'GET' | 'HEAD' | 'PUT';

export function fileClass(request: BootRequest, method: Method): FileClass {
  if (request.kind === 'unknown') return 'absent';
  if (method === 'PUT') return acceptsUpload(request) ? 'device' : 'wrong-method';
  if (request.kind === 'mac-config') return 'device';
  if (request.vendor === 'polycom') {
    switch (request.kind) {
      case 'master':
        return request.mac === null ? 'shared' : 'device';
      case 'common':
      case 'bootstrap':
      case 'firmware':
        return 'shared';
      case 'device-config':
      case 'override':
      case 'call-list':
        return 'device';
      case 'directory':
        return request.mac === null ? 'absent' : 'device';
      case 'log':
        return 'wrong-method';
      case 'license':
      case 'localization':
        return 'absent';
    }
  }
  switch (request.kind) {
    case 'common':
    case 'firmware':
      return 'shared';
    case 'device-config':
    case 'local-config':
      return 'device';
    case 'boot':
      return 'absent';
  }
}

/** A MAC-shaped name no phone can have (all zeros in a per-phone name, multicast, broadcast): what scanners send. */
export function isMacShapedMiss(request: BootRequest): boolean {
  return request.kind === 'unknown' && request.reason === 'not-a-device-mac';
}

/** The outcome of checking the request's digest credentials against the device (see digest.ts). */
export type DigestOutcome =
  | 'none' // no Authorization header
  | 'valid'
  | 'stale' // right password, expired nonce: challenge again with stale=true
  | 'invalid'; // anything else: wrong user, password, realm, URI, nonce, or malformed

export interface AccessFacts {
  /** The MAC names a device (of the vendor the request is for). */
  deviceKnown: boolean;
  /** The User-Agent carries a different MAC than the path. */
  macMismatch: boolean;
  digest: DigestOutcome;
  /** The device's provisioning window is open now. */
  windowOpen: boolean;
}

export type Access = { allow: true; via: 'digest' | 'window' } | { allow: false; stale: boolean };

/** Who gets a per-phone file. Every refusal is the same challenge, except that a right password on an old nonce is told so. */
export function decideAccess(f: AccessFacts): Access {
  if (f.macMismatch || !f.deviceKnown) return { allow: false, stale: false };
  if (f.digest === 'valid') return { allow: true, via: 'digest' };
  if (f.windowOpen) return { allow: true, via: 'window' };
  return { allow: false, stale: f.digest === 'stale' };
}

/** The window is open when armedUntil lies in the future. */
export function windowOpen(armedUntil: Date | null | undefined, now: Date): boolean {
  return armedUntil instanceof Date && armedUntil.getTime() > now.getTime();
}

/** armedUntil for a window of `minutes` from now; throws RangeError outside 1..MAX_WINDOW_MINUTES. */
export function windowEnd(now: Date, minutes: number = DEFAULT_WINDOW_MINUTES): Date {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_WINDOW_MINUTES)
    throw new RangeError(`the provisioning window must be 1 to ${MAX_WINDOW_MINUTES} minutes`);
  return new Date(now.getTime() + minutes * 60_000);
}
