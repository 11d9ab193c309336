// Long text in pieces for writing: one write of a multi-megabyte string first makes a buffer as big, and on this kind
// of VM every fresh page of it costs a page fault (~12 µs); pieces of a fixed size reuse the same memory.

/**
 * `text` cut into pieces of at most `size` (≥ 2) UTF-16 units, never between the two halves of a surrogate pair
 * (each piece is encoded on its own: a split pair would become two U+FFFD).
 */
export function* textPieces(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff && end - 1 > start) end--;
    yield text.slice(start, end);
    start = end;
  }
}
