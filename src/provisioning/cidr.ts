// CIDR allow-lists (IPv4 and IPv6) for source addresses, e.g. a customer's NAT gateway that reboots 200 phones at once.
import { isIPv4, isIPv6 } from 'node:net';

export class CidrError extends Error {
  override name = 'CidrError';
}

interface Range {
  bytes: Buffer;
  prefix: number;
}

/** 4 bytes for IPv4 (also when written IPv4-mapped, "::ffff:10.0.0.1"), 16 for IPv6; null when not an address. */
export function addressBytes(address: string): Buffer | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? (mapped[1] as string) : address;
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip) || ip.includes('%')) return null;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  // An embedded IPv4 tail ("64:ff9b::1.2.3.4") becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1];
  const groupsOf = (s: string | undefined) => {
    if (!s) return [] as number[];
    return s.split(':').flatMap((g) => {
      if (g.includes('.')) {
        const b = (v4 as string).split('.').map(Number);
        return [((b[0] as number) << 8) | (b[1] as number), ((b[2] as number) << 8) | (b[3] as number)];
      }
      return [Number.parseInt(g, 16)];
    });
  };
  const h = groupsOf(head);
  const t = tail === undefined ? [] : groupsOf(tail);
  const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  if (groups.length !== 8) return null;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(g, i * 2);
  });
  return out;
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address (a /32 or /128). Throws CidrError. */
export function parseCidr(text: string): Range {
  const [addr, bits, extra] = text.trim().split('/');
  const bytes = addr === undefined || extra !== undefined ? null : addressBytes(addr);
  if (!bytes) throw new CidrError(`"${text}" is not an address or CIDR range`);
  const max = bytes.length * 8;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
    throw new CidrError(`"${text}": prefix length must be 0–${max}`);
  return { bytes, prefix };
}

/** A set of ranges; `has(address)` tells whether an address falls in any of them. */
export class CidrList {
  private readonly ranges: Range[];

  constructor(cidrs: readonly string[]) {
    this.ranges = cidrs.map(parseCidr);
  }

  /** The last address asked and its answer: a storm asks about the same few addresses request after request. */
  private lastAddress: string | null = null;
  private lastAnswer = false;

  has(address: string): boolean {
    if (this.ranges.length === 0) return false;
    if (address === this.lastAddress) return this.lastAnswer;
    const bytes = addressBytes(address);
    const answer =
      bytes !== null &&
      this.ranges.some((r) => r.bytes.length === bytes.length && samePrefix(r.bytes, bytes, r.prefix));
    this.lastAddress = address;
    this.lastAnswer = answer;
    return answer;
  }
}

function samePrefix(a: Buffer, b: Buffer, prefix: number): boolean {
  const whole = Math.floor(prefix / 8);
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[whole] as number) & mask) === ((b[whole] as number) & mask);
}
