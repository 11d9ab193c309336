// E911 street addresses in the form emergency services' address databases (MSAG) and the USPS use: USPS Publication 28
// style — upper case, no punctuation, standard abbreviations for street suffixes ("Street" → "ST"), directionals
// ("North" → "N") and secondary unit designators ("Suite" → "STE"), two-letter state codes, ZIP or ZIP+4.
// A pure function: what is wrong with an address (a message per field), and its normalised form when the input is
// recognisably an address. The E911 rules store the normalised form; the portal offers it before saving.
import { STREET_SUFFIXES, UNIT_DESIGNATORS, US_STATES } from './e911-address-tables';

export interface PostalAddress {
  street: string;
  unit: string | null;
  city: string;
  state: string;
  zip: string;
}

export interface AddressCheck {
  /** Field → what is wrong, for problems normalising cannot fix (no building number, a PO box, an unknown state). */
  errors: Partial<Record<keyof PostalAddress, string>>;
  /** The address as emergency services expect it; null when the input is not recognisably an address. */
  normalised: PostalAddress | null;
}

const DIRECTIONALS: Record<string, string> = {
  NORTH: 'N',
  SOUTH: 'S',
  EAST: 'E',
  WEST: 'W',
  NORTHEAST: 'NE',
  NORTHWEST: 'NW',
  SOUTHEAST: 'SE',
  SOUTHWEST: 'SW',
  N: 'N',
  S: 'S',
  E: 'E',
  W: 'W',
  NE: 'NE',
  NW: 'NW',
  SE: 'SE',
  SW: 'SW',
};

/** Accents dropped (MSAG and USPS records are plain letters), punctuation to spaces, upper case, single spaces. */
function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/#/g, ' # ')
    .replace(/[^A-Z0-9#/\- ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

const HOUSE_NUMBER = /^\d+[A-Z]?(-\d+[A-Z]?)?$/;
const FRACTION = /^\d\/\d$/;
const PO_BOX = /^(P\s*O|POST\s+OFFICE)\s*BOX\b|^BOX\s+\d|^PO\s*B\b|^POB\b/;

/** A unit designator word (SUITE, STE, #) and how it is written. */
function designator(word: string): string | null {
  if (word === '#') return '#';
  return UNIT_DESIGNATORS[word] ?? null;
}

/** "SUITE 200" / "#5" / "5" → "STE 200" / "# 5" / "# 5". */
function normaliseUnit(parts: string[]): string | null {
  if (!parts.length) return null;
  const [first, ...rest] = parts;
  const d = designator(first as string);
  if (d && rest.length) return `${d} ${rest.join(' ')}`;
  // Designators that stand alone (REAR, FRONT, PH, LBBY, ...) or an unknown word: as typed, upper case.
  if (d) return d;
  if (/^\d/.test(first as string)) return `# ${parts.join(' ')}`;
  return parts.join(' ');
}

/** A word that can follow a unit designator: a number, a letter, or both ("200", "B", "4A", "12-B"). */
const UNIT_ID = /^(\d[\dA-Z-]*|[A-Z]|[A-Z]\d[\dA-Z-]*)$/;

/** The street line: building number, pre-directional, name, suffix, post-directional; a unit found in it split off. */
function normaliseStreet(text: string): { street: string; unit: string[] } | { error: string } {
  const w = words(text);
  if (!w.length) return { error: 'is required' };
  if (PO_BOX.test(w.join(' ')))
    return { error: 'a PO box is not a place: emergency services need the street address where the phones are' };
  if (!HOUSE_NUMBER.test(w[0] as string)) return { error: 'must start with the building number, e.g. 100 Main Street' };
  const number = [w[0] as string];
  let i = 1;
  if (w[i] && FRACTION.test(w[i] as string)) number.push(w[i++] as string);
  // A unit at the end of the street line: "... ST STE 200", "... ST # 5", "... ST APT B", "... ST REAR".
  let end = w.length;
  for (let j = i + 1; j < w.length; j++) {
    const word = w[j] as string;
    const next = w[j + 1];
    const atEnd = j === w.length - 1;
    if (
      word === '#' ||
      (designator(word) && next !== undefined && UNIT_ID.test(next)) ||
      (atEnd && isLoneDesignator(word) && STREET_SUFFIXES[w[j - 1] as string] !== undefined)
    ) {
      end = j;
      break;
    }
  }
  const name = w.slice(i, end).filter((x) => x !== '#');
  const unit = w.slice(end);
  const noName = { error: 'must have the street name after the building number, e.g. 100 Main Street' };
  if (!name.length) return noName;
  // Post-directional: a directional after the name ("MAIN ST NORTH" → "MAIN ST N", "BROADWAY EAST" → "BROADWAY E").
  let post: string | null = null;
  if (name.length >= 2 && DIRECTIONALS[name[name.length - 1] as string]) {
    post = DIRECTIONALS[name.pop() as string] as string;
  }
  // Pre-directional: a directional before a name ("NORTH MAIN ST" → "N MAIN ST"), but in "NORTH ST" it is the name.
  let pre: string | null = null;
  const rest = name.slice(1);
  if (
    DIRECTIONALS[name[0] as string] &&
    (rest.length >= 2 || (rest.length === 1 && STREET_SUFFIXES[rest[0] as string] === undefined))
  ) {
    pre = DIRECTIONALS[name.shift() as string] as string;
  }
  // The suffix is the last word of the name, never its only word ("100 CIRCLE" keeps its name).
  if (name.length >= 2) {
    const s = STREET_SUFFIXES[name[name.length - 1] as string];
    if (s) name[name.length - 1] = s;
  }
  if (!name.length) return noName;
  return { street: [...number, ...(pre ? [pre] : []), ...name, ...(post ? [post] : [])].join(' '), unit };
}

/** Designators that need no number after them (Pub 28 C2: BSMT, FRNT, LBBY, LOWR, OFC, PH, REAR, SIDE, UPPR). */
function isLoneDesignator(word: string): boolean {
  return ['BSMT', 'FRNT', 'LBBY', 'LOWR', 'OFC', 'PH', 'REAR', 'SIDE', 'UPPR'].includes(UNIT_DESIGNATORS[word] ?? '');
}

function normaliseState(text: string): { state: string } | { error: string } {
  const t = words(text).join(' ');
  if (!t) return { error: 'is required' };
  if (/^[A-Z]{2}$/.test(t) && Object.values(US_STATES).includes(t)) return { state: t };
  const byName = US_STATES[t];
  if (byName) return { state: byName };
  return {
    error: /^[A-Z]{2}$/.test(t)
      ? `"${t}" is not a US state or territory code (e.g. IL for Illinois)`
      : 'must be the two-letter state code, e.g. IL for Illinois',
  };
}

function normaliseZip(text: string): { zip: string } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'is required' };
  const digits = t.replace(/[\s-]/g, '');
  if (!/^[\d\s-]+$/.test(t) || !(digits.length === 5 || digits.length === 9))
    return { error: 'must be a ZIP code of 5 digits (60601) or ZIP+4 (60601-1234)' };
  if (digits.startsWith('00000')) return { error: '00000 is not a ZIP code' };
  return { zip: digits.length === 9 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : digits };
}

function normaliseCity(text: string): { city: string } | { error: string } {
  const w = words(text).filter((x) => x !== '#');
  if (!w.length) return { error: 'is required' };
  if (w.some((x) => /\d/.test(x))) return { error: 'must be the city name (no numbers)' };
  return { city: w.join(' ') };
}

/** What is wrong with an address, and its normalised form when every part could be read. */
export function checkAddress(input: {
  street?: string | null;
  unit?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
}): AddressCheck {
  const errors: AddressCheck['errors'] = {};
  const street = normaliseStreet(input.street ?? '');
  const city = normaliseCity(input.city ?? '');
  const state = normaliseState(input.state ?? '');
  const zip = normaliseZip(input.zip ?? '');
  if ('error' in street) errors.street = street.error;
  if ('error' in city) errors.city = city.error;
  if ('error' in state) errors.state = state.error;
  if ('error' in zip) errors.zip = zip.error;
  if ('error' in street || 'error' in city || 'error' in state || 'error' in zip) return { errors, normalised: null };
  // A unit typed in the unit box wins over one found at the end of the street line (the same one, usually).
  const typedUnit = words(input.unit ?? '');
  const unit = normaliseUnit(typedUnit.length ? typedUnit : street.unit);
  if (unit && unit.length > 30) errors.unit = 'must be at most 30 characters';
  return {
    errors,
    normalised: { street: street.street, unit, city: city.city, state: state.state, zip: zip.zip },
  };
}

/** True when the address is already written as emergency services expect it. */
export function sameAddress(a: PostalAddress, b: PostalAddress): boolean {
  return (
    a.street === b.street &&
    (a.unit ?? null) === (b.unit ?? null) &&
    a.city === b.city &&
    a.state === b.state &&
    a.zip === b.zip
  );
}

/** One line for screens: "100 N MAIN ST STE 200, CHICAGO IL 60601-1234". */
export function addressLine(a: PostalAddress): string {
  return `${a.street}${a.unit ? ` ${a.unit}` : ''}, ${a.city} ${a.state} ${a.zip}`;
}
