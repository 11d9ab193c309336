// MAC address helpers: one canonical form (12 lowercase hex) for every MAC that reaches a lookup, a file or a log.

const SEPARATED = /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;
const BARE = /^[0-9a-f]{12}$/i;

/**
 * Canonical MAC ("805ec0123456") from "80:5e:c0:12:34:56", "80-5E-C0-12-34-56" or "805EC0123456"; null for anything
 * else and for MACs no phone can have: all zeros, broadcast, and group (multicast) addresses.
 */
export function normalizeMac(input: string): string | null {
  let hex: string;
  if (BARE.test(input)) hex = input;
  else {
    const m = SEPARATED.exec(input);
    if (!m) return null;
    hex = m[1] + m[3] + m[4] + m[5] + m[6] + m[7];
  }
  hex = hex.toLowerCase();
  return isDeviceMac(hex) ? hex : null;
}

/** True for a canonical 12-hex MAC a real device could own (not zero, not broadcast/multicast). */
export function isDeviceMac(mac: string): boolean {
  if (!/^[0-9a-f]{12}$/.test(mac) || mac === '000000000000') return false;
  // The I/G bit (lowest bit of the first octet) marks group addresses, broadcast included: never a phone.
  return (Number.parseInt(mac.slice(0, 2), 16) & 1) === 0;
}

/** "805ec0123456" -> "80:5e:c0:12:34:56" (or another separator). Expects a canonical MAC. */
export function formatMac(mac: string, separator = ':'): string {
  return mac.match(/../g)?.join(separator) ?? mac;
}

/** The vendor prefix (OUI) of a canonical MAC: its first 6 hex digits. */
export function macOui(mac: string): string {
  return mac.slice(0, 6);
}
