// Yealink T3x/T4x/T5x: User-Agent format and the names of the files a phone asks for.

import type { YealinkBootRequest } from './boot-request';
import { normalizeMac } from './mac';
import type { SafePath } from './safe-path';
import type { ParsedUserAgent, Vendor } from './vendor';

// "Yealink SIP-T54W 96.86.0.100 80:5e:c0:12:34:56" (MAC optional: static.auto_provision.user_agent_mac.enable;
// older firmware prints it without colons), "Yealink SIP VP-T49G 51.80.0.100", "Yealink W60B 77.83.0.85",
// "Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0" (the third token is then a hardware version, not a MAC).
const USER_AGENT = /^yealink[\s-]+(?:SIP(?:\s+VP)?-)?([A-Za-z0-9_]{2,20})\s+(\d+(?:\.\d+){2,5})(?:\s+(\S{1,40}))?$/i;

const COMMON = /^y(\d{12})\.cfg$/;
const MAC_FILE = /^([0-9a-fA-F]{12})(\.cfg|\.boot|-local\.cfg)$/;
const FIRMWARE = /^[A-Za-z0-9][A-Za-z0-9_(),.-]{0,199}\.rom$/;

export const yealink: Vendor = {
  name: 'yealink',
  ouis: Object.freeze([
    '001565',
    'e434d7',
    '805ec0',
    '805e0c',
    '249ad8',
    '3497d7',
    '44dbd2',
    '644f56',
    'b061a9',
    'c4fc22',
    'ec1da9',
    'f01653',
  ]),

  parseUserAgent(userAgent: string): ParsedUserAgent | null {
    const m = USER_AGENT.exec(userAgent.trim());
    if (!m) return null;
    const [, model, version, extra] = m;
    const parsed: ParsedUserAgent = { vendor: 'yealink', model: model.toUpperCase(), firmwareVersion: version };
    // A token that is not a valid MAC (a hardware version, a redacted "80:5e:XX:..") is ignored, never guessed at.
    const mac = extra ? normalizeMac(extra) : null;
    if (mac) parsed.mac = mac;
    return parsed;
  },

  classifyFile(path: SafePath): YealinkBootRequest | null {
    const file = path.startsWith('firmware/') ? path.slice('firmware/'.length) : path;
    if (FIRMWARE.test(file) && !file.includes('..')) {
      return { vendor: 'yealink', path, kind: 'firmware', fileName: file };
    }
    if (file !== path) return null;
    if (path === 'y000000000000.boot') return { vendor: 'yealink', path, kind: 'boot', mac: null };
    const common = COMMON.exec(path);
    if (common) return { vendor: 'yealink', path, kind: 'common', modelCode: yealinkModelCode(common[1]) };

    const m = MAC_FILE.exec(path);
    if (!m) return null;
    const mac = normalizeMac(m[1]);
    if (mac === null) return null;
    if (m[2] === '.cfg') return { vendor: 'yealink', path, kind: 'device-config', mac };
    if (m[2] === '.boot') return { vendor: 'yealink', path, kind: 'boot', mac };
    return { vendor: 'yealink', path, kind: 'local-config', mac };
  },
};

/** "000000000096" -> "96", "000000000108" -> "108", "000000000000" -> "00": the form stored in profiles. */
export function yealinkModelCode(digits: string): string {
  return String(Number(digits)).padStart(2, '0');
}

/** The per-model common file of a model code: "96" -> "y000000000096.cfg". */
export function yealinkCommonFileName(modelCode: string): string {
  return `y${modelCode.padStart(12, '0')}.cfg`;
}
