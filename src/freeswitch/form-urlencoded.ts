// Lenient application/x-www-form-urlencoded decoding for bodies FreeSWITCH posts (mod_xml_curl, mod_xml_cdr).

// FreeSWITCH leaves some characters unencoded (commas: `Event-Date-GMT=Wed,%2025%20Nov...`) and a malformed
// escape must not make the whole lookup fail, so decoding never throws: a `%` not followed by two hex digits
// stays literal, and byte sequences that are not UTF-8 become U+FFFD.

const utf8 = new TextDecoder('utf-8', { fatal: false });

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Decodes one form component: `+` is a space, `%XX` a byte, bytes are read as UTF-8. Every xml_curl lookup carries
 * ~150 fields, so this works on char codes (no per-character allocation).
 */
export function decodeFormComponent(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x2b) {
      bytes.push(0x20);
      continue;
    }
    if (code === 0x25) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    // A literal non-ASCII character: its UTF-8 bytes (a lone surrogate becomes U+FFFD, as Buffer.from does).
    const cp = raw.codePointAt(i)!;
    for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
    if (cp > 0xffff) i++;
  }
  return utf8.decode(Uint8Array.from(bytes));
}

/** Decodes `%XX` escapes only (for values URL-encoded by FreeSWITCH outside a form, where `+` is literal). */
export function decodePercent(raw: string): string {
  if (!raw.includes('%')) return raw;
  return decodeFormComponent(raw.replace(/\+/g, '%2B'));
}

/**
 * Form body as a read-only map; when a name repeats, the first value wins (as URLSearchParams.get does). Values
 * are decoded when read: an xml_curl lookup carries ~150 fields and the answer needs a dozen of them.
 */
export function parseForm(body: string): ReadonlyMap<string, string> {
  return new LazyForm(body);
}

class LazyForm implements ReadonlyMap<string, string> {
  /** name -> raw (still encoded) value, first occurrence; names are decoded up front (they rarely need it). */
  private readonly raw = new Map<string, string>();
  private readonly decoded = new Map<string, string>();

  constructor(body: string) {
    let start = 0;
    while (start <= body.length) {
      let end = body.indexOf('&', start);
      if (end < 0) end = body.length;
      if (end > start) {
        const eq = body.indexOf('=', start);
        const hasValue = eq >= 0 && eq < end;
        const name = decodeFormComponent(body.slice(start, hasValue ? eq : end));
        if (!this.raw.has(name)) this.raw.set(name, hasValue ? body.slice(eq + 1, end) : '');
      }
      start = end + 1;
    }
  }

  get size(): number {
    return this.raw.size;
  }
  has(name: string): boolean {
    return this.raw.has(name);
  }
  get(name: string): string | undefined {
    const done = this.decoded.get(name);
    if (done !== undefined) return done;
    const raw = this.raw.get(name);
    if (raw === undefined) return undefined;
    const value = decodeFormComponent(raw);
    this.decoded.set(name, value);
    return value;
  }
  *entries(): MapIterator<[string, string]> {
    for (const name of this.raw.keys()) yield [name, this.get(name)!];
  }
  keys(): MapIterator<string> {
    return this.raw.keys();
  }
  *values(): MapIterator<string> {
    for (const name of this.raw.keys()) yield this.get(name)!;
  }
  forEach(fn: (value: string, name: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [name, value] of this.entries()) fn(value, name, this);
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}
