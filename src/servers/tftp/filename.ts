// Allow-list for requested TFTP file names: what a phone may ask for, nothing that could walk a filesystem.

export const MAX_FILENAME_LENGTH = 255;
/** `name`, `dir/name` or `dir/dir/name`. */
export const MAX_SEGMENTS = 3;

export type FilenameCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

// Parentheses and commas are in real Yealink firmware names ("T54W(T57W,T53W)-96.86.0.45(20211130).rom").
// A segment starts with a letter or digit, so ".", "..", dot-files and "-option" look-alikes never pass.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._(),-]{0,127}$/;

/**
 * Accepts relative names of at most MAX_SEGMENTS segments (e.g. `000000000000.cfg`, `firmware/sip.ld`), each from
 * [A-Za-z0-9._(),-] and starting with a letter or digit. Everything else is refused before the source sees it:
 * absolute paths (a leading "/"), `..`, empty segments, backslashes, control characters, non-ASCII, overlong names.
 */
export function checkFilename(name: string): FilenameCheck {
  if (name.length === 0) return { ok: false, reason: 'empty name' };
  if (name.length > MAX_FILENAME_LENGTH) return { ok: false, reason: `longer than ${MAX_FILENAME_LENGTH} characters` };
  const segments = name.split('/');
  if (segments.length > MAX_SEGMENTS) return { ok: false, reason: `more than ${MAX_SEGMENTS} path segments` };
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) return { ok: false, reason: `segment ${JSON.stringify(segment)} not allowed` };
  }
  return { ok: true };
}
