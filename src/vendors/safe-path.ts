// Hostile-input gate for requested provisioning paths, shared by HTTP and TFTP before any vendor looks at a name.

/** A decoded, relative path that passed sanitizeBootPath: closed character set, no traversal, bounded length. */
export type SafePath = string & { readonly __safeBootPath: unique symbol };

export type PathRejection = 'empty' | 'too-long' | 'bad-encoding' | 'bad-characters' | 'traversal';

export type SanitizedPath = { ok: true; path: SafePath } | { ok: false; reason: PathRejection };

const MAX_RAW = 1024;
const MAX_DECODED = 255;
const MAX_SEGMENTS = 4;
// Enough for every real name (Yealink .rom names use parentheses and commas); nothing that means anything to a shell,
// a URL parser or a file system beyond "/".
const ALLOWED = /^[A-Za-z0-9._(),/-]+$/;

/**
 * Decodes percent-escapes once (HTTP paths; TFTP names have none, so this is harmless for them), then refuses control
 * characters, backslashes, double encoding, empty/"."/".." segments, dot-files and over-long names.
 * One leading "/" is allowed and removed.
 */
export function sanitizeBootPath(raw: string): SanitizedPath {
  if (raw.length === 0) return { ok: false, reason: 'empty' };
  if (raw.length > MAX_RAW) return { ok: false, reason: 'too-long' };
  let path = raw;
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      return { ok: false, reason: 'bad-encoding' };
    }
    // A "%" surviving one decode means double encoding ("%252e%252e"): never sent by a phone.
    if (path.includes('%')) return { ok: false, reason: 'bad-encoding' };
  }
  if (!ALLOWED.test(path)) return { ok: false, reason: 'bad-characters' };
  if (path.startsWith('/')) path = path.slice(1);
  if (path.length === 0) return { ok: false, reason: 'empty' };
  if (path.length > MAX_DECODED) return { ok: false, reason: 'too-long' };
  const segments = path.split('/');
  if (segments.length > MAX_SEGMENTS) return { ok: false, reason: 'too-long' };
  if (segments.some((s) => s === '' || s.startsWith('.'))) return { ok: false, reason: 'traversal' };
  return { ok: true, path: path as SafePath };
}
