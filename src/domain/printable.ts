// How text someone typed appears inside an error message: control and format characters spelled out, length bounded.

/**
 * What a terminal, a log viewer or a browser would act on rather than show: C0/C1 controls (ESC, CR, LF, NUL, DEL,
 * CSI), format characters (bidi overrides, zero-width joiners, BOM), line/paragraph separators, lone surrogates.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

function spell(c: string): string {
  const n = c.codePointAt(0) as number;
  if (n <= 0xff) return `\\x${n.toString(16).padStart(2, '0')}`;
  return n <= 0xffff ? `\\u${n.toString(16).padStart(4, '0')}` : `\\u{${n.toString(16)}}`;
}

/** Replaces every hidden character of `text` with its escape (ESC becomes the four characters `\x1b`). */
export function spellOutControls(text: string): string {
  return text.replace(HIDDEN, spell);
}

/**
 * `value` as an error message may quote it: its first `max` characters with hidden characters spelled out (and "…"
 * when cut). Every rule and service that repeats user input in a message goes through this; numbers are their digits,
 * anything else that is not text is named by its shape, never String()-ed.
 */
export function printable(value: unknown, max = 40): string {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
        ? String(value)
        : value === null || value === undefined
          ? String(value)
          : Array.isArray(value)
            ? '(a list)'
            : '(an object)';
  const chars = Array.from(text);
  const cut = chars.length > max;
  return spellOutControls((cut ? chars.slice(0, max) : chars).join('')) + (cut ? '…' : '');
}
