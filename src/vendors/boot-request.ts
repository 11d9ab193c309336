// One routing decision for every requested provisioning file, shared by the HTTP and TFTP servers.

import type { VendorName } from './firmware-profile';
import { isDeviceMac, macOui } from './mac';
import { polycom } from './polycom';
import { type PathRejection, sanitizeBootPath } from './safe-path';
import type { Vendor } from './vendor';
import { yealink } from './yealink';

/** Polycom UC Software files (all MACs canonical; `mac: null` is the shared 000000000000 variant). */
export type PolycomBootRequest = { vendor: 'polycom'; path: string } & (
  | { kind: 'master'; mac: string | null } // <mac>.cfg / 000000000000.cfg: APPLICATION, CONFIG_FILES
  | { kind: 'device-config'; mac: string } // <mac>-user.cfg: our per-phone config, named in CONFIG_FILES
  | { kind: 'common'; profileId: string | null } // common.cfg / common-<profile id>.cfg: our shared, secret-free defaults
  | { kind: 'bootstrap' } // bootstrap.cfg: our secret-free file that moves a TFTP-booted phone to HTTP(S)
  | { kind: 'directory'; mac: string | null } // <mac>-directory.xml (GET, PUT back on edits) / 000000000000-directory.xml
  | { kind: 'license'; mac: string | null } // <mac>-license.cfg / 000000000000-license.cfg
  | { kind: 'override'; mac: string; scope: 'phone' | 'web' } // <mac>-phone.cfg, <mac>-web.cfg (GET, PUT)
  | { kind: 'log'; mac: string; log: 'boot' | 'app' } // <mac>-boot.log, <mac>-app.log (PUT)
  | { kind: 'call-list'; mac: string } // <mac>-calls.xml (GET, PUT)
  | { kind: 'firmware'; fileName: string } // sip.ld, <part>.sip.ld
  | { kind: 'localization'; language: string; fileName: string } // SoundPointIPLocalization/<Language>/<file>.xml
);

/** Yealink T3x/T4x/T5x files. */
export type YealinkBootRequest = { vendor: 'yealink'; path: string } & (
  | { kind: 'common'; modelCode: string } // y0000000000XX.cfg, code without padding beyond 2 digits ("96", "108")
  | { kind: 'boot'; mac: string | null } // <mac>.boot / y000000000000.boot
  | { kind: 'device-config'; mac: string } // <mac>.cfg
  | { kind: 'local-config'; mac: string } // <mac>-local.cfg (PUT of the phone's own changes)
  | { kind: 'firmware'; fileName: string } // *.rom
);

export type VendorBootRequest = PolycomBootRequest | YealinkBootRequest;

export type UnknownReason = PathRejection | 'not-a-device-mac' | 'unrecognised' | 'ambiguous';

export type BootRequest =
  | VendorBootRequest
  /** "<mac>.cfg" is Polycom's master file and Yealink's device file: the device record (or its vendor) decides. */
  | { vendor: null; kind: 'mac-config'; mac: string; path: string }
  | { vendor: null; kind: 'unknown'; reason: UnknownReason; path: string | null };

export const VENDORS: readonly Vendor[] = Object.freeze([polycom, yealink]);

export interface ClassifyOptions {
  /** The vendor already known from the User-Agent or the device record: only its files are accepted. */
  vendor?: VendorName;
}

/** Classifies a requested path (URL path relative to the provisioning root, or a TFTP file name). Never throws. */
export function classifyBootPath(rawPath: string, options: ClassifyOptions = {}): BootRequest {
  const safe = sanitizeBootPath(rawPath);
  if (!safe.ok) return { vendor: null, kind: 'unknown', reason: safe.reason, path: null };
  const path = safe.path;
  const candidates = VENDORS.filter((v) => options.vendor === undefined || v.name === options.vendor);
  const claims = candidates.map((v) => v.classifyFile(path)).filter((r): r is VendorBootRequest => r !== null);

  if (claims.length === 1) return claims[0];
  if (claims.length === 0) {
    // A MAC-shaped name we refused (zero, broadcast, multicast) is worth its own reason: it is what scanners send.
    const macShaped = /(?:^|\/)([0-9a-fA-F]{12})(?=[.-])/.exec(path);
    const reason = macShaped && !isDeviceMac(macShaped[1].toLowerCase()) ? 'not-a-device-mac' : 'unrecognised';
    return { vendor: null, kind: 'unknown', reason, path };
  }
  const macs = new Set(claims.map((c) => ('mac' in c ? c.mac : null)));
  const mac = [...macs][0];
  const sameMacConfig =
    macs.size === 1 &&
    typeof mac === 'string' &&
    claims.every((c) => c.kind === 'master' || c.kind === 'device-config');
  if (!sameMacConfig) return { vendor: null, kind: 'unknown', reason: 'ambiguous', path };
  const byOui = claims.filter((c) => VENDORS.find((v) => v.name === c.vendor)?.ouis.includes(macOui(mac)));
  if (byOui.length === 1) return byOui[0];
  return { vendor: null, kind: 'mac-config', mac, path };
}

/** Requests a phone sends with PUT to store something on the server (size-limited by the caller). */
export function acceptsUpload(request: BootRequest): boolean {
  if (request.vendor === 'polycom') {
    return (
      request.kind === 'log' ||
      request.kind === 'override' ||
      request.kind === 'call-list' ||
      (request.kind === 'directory' && request.mac !== null)
    );
  }
  return request.vendor === 'yealink' && request.kind === 'local-config';
}
