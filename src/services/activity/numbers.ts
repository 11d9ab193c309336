// Phone numbers as Activity stores and searches them: digits only, NANP as 10 digits, international without 011/+.
// The same function runs at intake and on the search box, so "+1 (312) 555-1000", "13125551000" and "3125551000"
// find the same calls.

/** Normalised digits, or null when the value holds fewer than 3 or more than 15 digits (not a phone number). */
export function normalizeNumber(value: string | undefined | null): string | null {
  if (!value) return null;
  let d = value.replace(/\D/g, '');
  if (d.length > 10 && d.startsWith('011')) d = d.slice(3);
  else if (d.length === 11 && d.startsWith('1')) d = d.slice(1);
  return d.length >= 3 && d.length <= 15 ? d : null;
}
