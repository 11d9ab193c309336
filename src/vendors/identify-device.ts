// Who is asking, and for what: the User-Agent and the requested path combined into one identity.

import { type BootRequest, classifyBootPath, VENDORS } from './boot-request';
import type { FirmwareProfile } from './firmware-profile';
import type { ProfileCatalog } from './profile-catalog';
import type { ParsedUserAgent } from './vendor';

// Phones send short User-Agents; anything longer is not parsed at all.
const MAX_USER_AGENT = 512;

export interface DeviceIdentity {
  /** The parsed User-Agent; null when absent (TFTP) or not a phone format we know. */
  userAgent: ParsedUserAgent | null;
  /** The requested file, classified with the User-Agent's vendor (if any) as the only candidate. */
  request: BootRequest;
  /** The firmware profile whose User-Agent pattern matches; null when there is no catalog or no single match. */
  profile: FirmwareProfile | null;
  /** The device's MAC: from the path when it names one, otherwise from the User-Agent. */
  mac: string | null;
  /** Both the path and the User-Agent carry a MAC and they differ: the server must refuse the request. */
  macMismatch: { pathMac: string; userAgentMac: string } | null;
}

/** Parses a User-Agent with every vendor's format; null when none recognises it. */
export function parseUserAgent(userAgent: string | null | undefined): ParsedUserAgent | null {
  if (!userAgent || userAgent.length > MAX_USER_AGENT) return null;
  for (const vendor of VENDORS) {
    const parsed = vendor.parseUserAgent(userAgent);
    if (parsed) return parsed;
  }
  return null;
}

export function identifyDevice(
  userAgent: string | null | undefined,
  path: string,
  catalog?: ProfileCatalog,
): DeviceIdentity {
  const parsed = parseUserAgent(userAgent);
  const request = classifyBootPath(path, parsed ? { vendor: parsed.vendor } : {});
  const found = parsed && catalog && userAgent ? catalog.identify(userAgent) : undefined;
  const profile = found && found.vendor === parsed?.vendor ? found : null;

  const pathMac = 'mac' in request ? request.mac : null;
  const userAgentMac = parsed?.mac ?? null;
  const macMismatch = pathMac && userAgentMac && pathMac !== userAgentMac ? { pathMac, userAgentMac } : null;
  return { userAgent: parsed, request, profile, mac: pathMac ?? userAgentMac, macMismatch };
}
