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
 * Splits a form body into ordered [name, value] pairs. Empty segments (`a=1&&b=2`) are skipped; a segment
 * without `=` is a name with an empty value.
 */
export function parseFormPairs(body: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const segment of body.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const name = eq < 0 ? segment : segment.slice(0, eq);
    const value = eq < 0 ? '' : segment.slice(eq + 1);
    pairs.push([decodeFormComponent(name), decodeFormComponent(value)]);
  }
  return pairs;
}

/** Form body as a map; when a name repeats, the first value wins (as URLSearchParams.get does). */
export function parseForm(body: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of parseFormPairs(body)) if (!map.has(name)) map.set(name, value);
  return map;
}
