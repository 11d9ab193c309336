// Lenient application/x-www-form-urlencoded decoding for bodies FreeSWITCH posts (mod_xml_curl, mod_xml_cdr).

// FreeSWITCH leaves some characters unencoded (commas: `Event-Date-GMT=Wed,%2025%20Nov...`) and a malformed
// escape must not make the whole lookup fail, so decoding never throws: a `%` not followed by two hex digits
// stays literal, and byte sequences that are not UTF-8 become U+FFFD.

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes one form component: `+` is a space, `%XX` a byte, bytes are read as UTF-8. */
export function decodeFormComponent(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '+') {
      bytes.push(0x20);
    } else if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
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
