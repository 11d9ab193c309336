// Polycom/Poly UC Software (VVX): User-Agent format and the names of the files a phone asks for.

import type { PolycomBootRequest } from './boot-request';
import { normalizeMac } from './mac';
import type { SafePath } from './safe-path';
import type { ParsedUserAgent, Vendor } from './vendor';

// HTTP: "FileTransport PolycomVVX-VVX_450-UA/6.4.3.5059 Type/Application"; SIP: "PolycomVVX-VVX_450-UA/6.4.3.5059",
// sometimes after "Polycom/<version> " and sometimes with "_<mac>" appended to the version.
const USER_AGENT =
  /^(?:FileTransport\s+)?(?:Polycom\/[\d.]+\s+)?Polycom[A-Za-z]+-([A-Za-z]+)_([A-Za-z0-9]+)-UA\/(\d+(?:\.\d+){1,4})(?:_([0-9A-Fa-f]{12}))?(?:\s+Type\/(Application|Updater))?$/i;

const ZERO = '000000000000';
// "<12 hex>" optionally followed by a suffix; the hex part is checked by normalizeMac (or is the shared all-zero name).
const MAC_FILE =
  /^([0-9a-fA-F]{12})(\.cfg|-user\.cfg|-directory\.xml|-license\.cfg|-phone\.cfg|-web\.cfg|-boot\.log|-app\.log|-calls\.xml)$/;
// Split releases name the application "<part number>.sip.ld"; the phone may also prefix its own part number
// to the APP_FILE_PATH it was given (seen as "3111-44500-001.3111-44500-001.sip.ld").
const FIRMWARE = /^(?:\d{4}-\d{5}-\d{3}\.){0,2}sip\.ld$/;
// Names Dialtone itself chooses for the shared files its master files list (see src/provisioning/render/polycom.ts).
const COMMON = /^common(?:-([a-z0-9]+(?:-[a-z0-9]+)*))?\.cfg$/;
const BOOTSTRAP = 'bootstrap.cfg';
const LOCALIZATION = /^(?:SoundPointIPLocalization|VVXLocalization)\/([A-Za-z_]{2,40})\/([A-Za-z0-9_-]{1,60}\.xml)$/;

export const polycom: Vendor = {
  name: 'polycom',
  ouis: Object.freeze(['0004f2', '64167f', '482567']),

  parseUserAgent(userAgent: string): ParsedUserAgent | null {
    const m = USER_AGENT.exec(userAgent.trim());
    if (!m) return null;
    const [, family, number, version, macHex, type] = m;
    const parsed: ParsedUserAgent = {
      vendor: 'polycom',
      model: `${family}${number}`.toUpperCase(),
      firmwareVersion: version,
    };
    const mac = macHex ? normalizeMac(macHex) : null;
    if (mac) parsed.mac = mac;
    if (type) parsed.stage = type.toLowerCase() === 'updater' ? 'updater' : 'application';
    return parsed;
  },

  classifyFile(path: SafePath): PolycomBootRequest | null {
    const loc = LOCALIZATION.exec(path);
    if (loc) return { vendor: 'polycom', path, kind: 'localization', language: loc[1], fileName: loc[2] };
    const file = path.startsWith('firmware/') ? path.slice('firmware/'.length) : path;
    if (FIRMWARE.test(file)) return { vendor: 'polycom', path, kind: 'firmware', fileName: file };
    if (file !== path) return null;
    if (path === BOOTSTRAP) return { vendor: 'polycom', path, kind: 'bootstrap' };
    const common = COMMON.exec(path);
    if (common) return { vendor: 'polycom', path, kind: 'common', profileId: common[1] ?? null };

    const m = MAC_FILE.exec(path);
    if (!m) return null;
    const [, hex, suffix] = m;
    const shared = hex === ZERO;
    const mac = shared ? null : normalizeMac(hex);
    if (!shared && mac === null) return null;
    switch (suffix) {
      case '.cfg':
        return { vendor: 'polycom', path, kind: 'master', mac };
      case '-directory.xml':
        return { vendor: 'polycom', path, kind: 'directory', mac };
      case '-license.cfg':
        return { vendor: 'polycom', path, kind: 'license', mac };
    }
    // Every other file belongs to one phone: the all-zero name is not a device.
    if (mac === null) return null;
    switch (suffix) {
      case '-user.cfg':
        return { vendor: 'polycom', path, kind: 'device-config', mac };
      case '-phone.cfg':
        return { vendor: 'polycom', path, kind: 'override', mac, scope: 'phone' };
      case '-web.cfg':
        return { vendor: 'polycom', path, kind: 'override', mac, scope: 'web' };
      case '-boot.log':
        return { vendor: 'polycom', path, kind: 'log', mac, log: 'boot' };
      case '-app.log':
        return { vendor: 'polycom', path, kind: 'log', mac, log: 'app' };
      default:
        return { vendor: 'polycom', path, kind: 'call-list', mac };
    }
  },
};

/** Name of the per-phone config our master file lists in CONFIG_FILES (Wazo's convention: "<mac>-user.cfg"). */
export function polycomDeviceConfigFileName(mac: string): string {
  return `${mac}-user.cfg`;
}
