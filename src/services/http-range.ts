// HTTP byte ranges (RFC 9110 §14) for streamed audio: what to send for a `Range` header and a file of `size` bytes.
//
// One range only: browsers' audio players ask for `bytes=N-` (seeking) or `bytes=0-1`; a multi-range request is
// answered with the whole file, which the RFC allows. A syntactically bad header is ignored the same way.

export type ByteRange =
  | { readonly kind: 'full'; readonly start: 0; readonly end: number; readonly length: number }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number; readonly length: number }
  | { readonly kind: 'unsatisfiable' };

const full = (size: number): ByteRange => ({ kind: 'full', start: 0, end: size - 1, length: size });

/** What a `Range` header asks of a file of `size` bytes. */
export function parseRange(header: string | null | undefined, size: number): ByteRange {
  if (!header) return full(size);
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return full(size);
  // Digit strings longer than any file size would lose precision as numbers; treat them as "to the end".
  if (m[1]!.length > 15 || m[2]!.length > 15) return full(size);
  if (m[1] === '') {
    // Suffix range: the last N bytes.
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    const start = Math.max(0, size - n);
    return { kind: 'partial', start, end: size - 1, length: size - start };
  }
  const start = Number(m[1]);
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (end < start) return full(size);
  return { kind: 'partial', start, end, length: end - start + 1 };
}

/** Status and headers of the answer (besides Content-Type): 200, 206 with Content-Range, or 416. */
export function rangeResponse(
  range: ByteRange,
  size: number,
): { status: 200 | 206 | 416; headers: Record<string, string> } {
  const common = { 'Accept-Ranges': 'bytes' };
  if (range.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...common, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' } };
  }
  if (range.kind === 'partial') {
    return {
      status: 206,
      headers: {
        ...common,
        'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
        'Content-Length': String(range.length),
      },
    };
  }
  return { status: 200, headers: { ...common, 'Content-Length': String(size) } };
}
