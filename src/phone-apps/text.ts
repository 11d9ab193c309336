// Text for small screens: what a caller or an administrator typed, made safe to show and short enough to fit.
// xmlbuilder2 escapes `<`, `&`, quotes and `]]>`; this removes what XML cannot carry at all (control characters,
// lone surrogates, U+FFFE/FFFF) and what could disguise a line (bidirectional overrides), then clips by grapheme
// so an accent or an emoji is never cut in half.

const UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** One line of display text: unsafe characters removed, whitespace runs (tabs, newlines) collapsed to one space. */
export function cleanText(text: string): string {
  return text.replace(UNSAFE, '').replace(/\s+/g, ' ').trim();
}

/** `text` cleaned and cut to at most `max` graphemes, the last one an ellipsis when anything was cut. */
export function clip(text: string, max: number): string {
  const clean = cleanText(text);
  // Fast path: short plain text (most names) needs no segmentation.
  if (clean.length <= max && /^[\x20-\x7e]*$/.test(clean)) return clean;
  const graphemes: string[] = [];
  for (const { segment } of segmenter.segment(clean)) {
    graphemes.push(segment);
    if (graphemes.length > max) break;
  }
  if (graphemes.length <= max) return clean;
  return `${graphemes
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}

/** "4s", "1:05", "12:00" — a message length in the fewest characters. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
