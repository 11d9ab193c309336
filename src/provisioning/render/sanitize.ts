// Allow-list checks and display-text sanitising for every value that ends up in a phone configuration file.
//
// Two kinds of values:
// - text for humans (labels, display names): sanitised, never rejected — control characters become spaces and
//   characters outside a small allow-list are dropped, so `${system(id)}`, `<x>`, `1001|bridge`, newlines and `%NULL%`
//   tricks come out as plain harmless text while letters of every script survive;
// - values with meaning (numbers, hosts, URLs, secrets): checked against an allow-list and rejected when they do not fit,
//   because silently changing a password or a URL would produce a phone that fails without saying why.

/** Letters, marks and digits of any script, space, and a little punctuation that is harmless in SIP display names and config files. */
const DISPLAY_ALLOWED = /[\p{L}\p{M}\p{N} .,'&()\-_/+@#!?:*]/u;

/** Turns user-typed text into a single safe line of at most `maxLength` characters (code points); `fallback` when nothing is left. */
export function displayText(raw: string, maxLength: number, fallback: string): string {
  const cleaned = Array.from(raw.normalize('NFC'))
    .map((ch) => (/[\p{Cc}\p{Zl}\p{Zp}\t]/u.test(ch) ? ' ' : ch))
    .filter((ch) => DISPLAY_ALLOWED.test(ch))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
  const cut = Array.from(cleaned).slice(0, maxLength).join('').trim();
  return cut === '' ? fallback : cut;
}

export const patterns = {
  mac: /^[0-9a-f]{12}$/,
  extension: /^[0-9]{2,6}$/,
  mailbox: /^[0-9]{1,10}$/,
  featureCode: /^[*#]?[0-9*#]{1,9}$/,
  dial: /^[0-9*#]{1,32}$/,
  watch: /^[A-Za-z0-9*#+._-]{1,64}$/,
  authUser: /^[A-Za-z0-9._-]{1,64}$/,
  /** Printable ASCII without space, quotes, angle brackets, backslash, backtick and `%` (Yealink reads `%NAME%` as a macro). */
  secret: /^[A-Za-z0-9!#$&()*+,\-./:;=?@[\]^_{|}~]{1,128}$/,
  profileId: /^[a-z0-9][a-z0-9-]{0,63}$/,
  ianaZone: /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/,
} as const;

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^(?=.*:.*:)[0-9A-Fa-f:.]{2,45}$/;

/** Host name, IPv4 or bare IPv6 literal. */
export function isHost(value: string): boolean {
  return HOSTNAME.test(value) || IPV4.test(value) || IPV6.test(value);
}

/**
 * Checks an absolute http(s) URL that will be written into a phone file. Returns an error message or null.
 * Credentials in URLs are refused (they would leak into logs and other phones' screens), as are characters that
 * could end a line or an XML attribute, and anything Yealink could read as a `%MACRO%`.
 */
export function urlProblem(value: string): string | null {
  if (value.length > 512) return 'URL longer than 512 characters';
  if (/[\s"'<>\\`{}|^]/u.test(value) || /[\p{Cc}]/u.test(value)) return 'URL contains a character that is not allowed';
  if (/%[A-Za-z_]*%/.test(value)) return 'URL contains a %NAME% sequence';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'URL must be http:// or https://';
  if (url.username !== '' || url.password !== '') return 'URL must not carry credentials';
  if (url.hash !== '') return 'URL must not have a #fragment';
  return null;
}
