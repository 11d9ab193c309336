// Field rules shared by every object: allow-lists, not block-lists, so nothing FreeSWITCH or a phone would interpret gets in.
import { DESTINATION_KINDS, type Destination, type DestinationUse, kindAllowed, OBJECT_KINDS } from './destination';
import { type FieldErrors, ValidationError } from './errors';
import { printable } from './printable';

type Input = Record<string, unknown>;

/** Printable names: letters, marks, digits, space and harmless punctuation. No $ { } | , < > " ; ^ \ or control characters. */
const NAME_RE = /^[\p{L}\p{M}\p{N} .'\-&()/#@!?:_+]+$/u;
const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const HOST_RE =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Collects every field error of one input, then throws them together: the person fixes all at once. */
export class Fields {
  readonly errors: FieldErrors = {};
  constructor(
    private readonly input: Input,
    private readonly current: Input | null = null,
  ) {}

  fail(field: string, message: string): void {
    if (!(field in this.errors)) this.errors[field] = message;
  }

  /** The submitted value, or the saved one when the field was not submitted (partial update). */
  raw(field: string): unknown {
    if (Object.hasOwn(this.input, field) && this.input[field] !== undefined) return this.input[field];
    return this.current ? this.current[field] : undefined;
  }

  /** The saved value (null on create): for maps a partial update merges into, such as feature codes. */
  saved(field: string): unknown {
    return this.current ? this.current[field] : null;
  }

  has(field: string): boolean {
    return this.raw(field) !== undefined && this.raw(field) !== null && this.raw(field) !== '';
  }

  /**
   * The value as trimmed text, or undefined when absent. A finite number is taken as its digits (JSON clients send
   * 201 for "201"); anything else that is not a string (objects, arrays, booleans) is refused, never String()-ed.
   */
  string(field: string): string | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v !== 'string') {
      this.fail(field, 'must be text');
      return undefined;
    }
    return v.trim();
  }

  private str(field: string): string | undefined {
    return this.string(field);
  }

  /** Like string(), but a number is refused too: a name, slug, host or login is typed text, never a count. */
  textOnly(field: string): string | undefined {
    const raw = this.raw(field);
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      this.fail(field, 'must be text');
      return undefined;
    }
    return this.str(field);
  }

  text(field: string, opts: { max: number; required?: boolean; fallback?: string }): string {
    const v = this.textOnly(field);
    if (field in this.errors) return opts.fallback ?? '';
    if (v === undefined || v === '') {
      if (opts.fallback !== undefined) return opts.fallback;
      if (opts.required !== false) this.fail(field, 'is required');
      return '';
    }
    if (v.length > opts.max) this.fail(field, `must be at most ${opts.max} characters`);
    else if (!NAME_RE.test(v))
      this.fail(field, "may contain letters, digits, spaces and . ' - & ( ) / # @ ! ? : _ + only");
    else if (!/[\p{L}\p{N}]/u.test(v)) this.fail(field, 'must contain a letter or digit');
    else if (/(^|\/)\.\.(\/|$)/.test(v)) this.fail(field, 'must not contain ../');
    return v;
  }

  optionalText(field: string, max: number): string | null {
    const v = this.str(field);
    if (v === undefined || v === '') return null;
    return this.text(field, { max });
  }

  digits(field: string, opts: { min: number; max: number; required?: boolean; label?: string }): string {
    const v = this.str(field);
    if (v === undefined || v === '') {
      if (opts.required !== false) this.fail(field, 'is required');
      return '';
    }
    if (!/^\d+$/.test(v)) this.fail(field, 'must contain digits only');
    else if (v.length < opts.min || v.length > opts.max)
      this.fail(
        field,
        opts.min === opts.max ? `must be ${opts.min} digits` : `must be ${opts.min} to ${opts.max} digits`,
      );
    return v;
  }

  optionalDigits(field: string, min: number, max: number): string | null {
    const v = this.str(field);
    if (v === undefined || v === '') return null;
    return this.digits(field, { min, max });
  }

  /** Outside (PSTN) number: NANP 10 or 11 digits, or E.164 up to 15 digits; a leading + and separators are dropped. */
  phoneNumber(field: string, required = true): string {
    const v = this.str(field);
    if (v === undefined || v === '') {
      if (required) this.fail(field, 'is required');
      return '';
    }
    // Separators people type; not \s, so a line break inside a number is refused rather than silently joined.
    const cleaned = v.replace(/^\+/, '').replace(/[ ().-]/g, '');
    const problem = outsideNumberProblem(cleaned);
    if (problem) this.fail(field, problem);
    return cleaned;
  }

  int(field: string, opts: { min: number; max: number; fallback?: number }): number {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') {
      if (opts.fallback !== undefined) return opts.fallback;
      this.fail(field, 'is required');
      return opts.min;
    }
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n)) {
      this.fail(field, 'must be a whole number');
      return opts.min;
    }
    if (n < opts.min || n > opts.max) this.fail(field, `must be between ${opts.min} and ${opts.max}`);
    return n;
  }

  bool(field: string, fallback = false): boolean {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === '1' || v === 'yes' || v === 'on' || v === 1) return true;
    if (v === 'false' || v === '0' || v === 'no' || v === 'off' || v === 0) return false;
    this.fail(field, 'must be yes or no');
    return fallback;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const v = this.str(field);
    if ((v === undefined || v === '') && fallback !== undefined) return fallback;
    if (!v || !(allowed as readonly string[]).includes(v)) {
      this.fail(field, `must be one of: ${allowed.join(', ')}`);
      return allowed[0];
    }
    return v as T;
  }

  email(field: string): string | null {
    const v = this.str(field);
    if (v === undefined || v === '') return null;
    if (v.length > 254 || !EMAIL_RE.test(v)) this.fail(field, 'must be a valid email address');
    return v;
  }

  slug(field: string, max: number): string {
    const v = this.textOnly(field);
    if (field in this.errors) return '';
    if (!v) {
      this.fail(field, 'is required');
      return '';
    }
    if (v.length > max || !/^[a-z0-9_]+$/.test(v)) this.fail(field, `must be 1 to ${max} of a-z, 0-9 and _`);
    return v;
  }

  host(field: string, required = true): string {
    const v = this.textOnly(field);
    if (field in this.errors) return '';
    if (!v) {
      if (required) this.fail(field, 'is required');
      return '';
    }
    if (!HOST_RE.test(v) && !IPV4_RE.test(v)) this.fail(field, 'must be a host name or IPv4 address');
    return v.toLowerCase();
  }

  timezone(field: string): string {
    const v = this.str(field);
    if (!v) {
      this.fail(field, 'is required');
      return 'UTC';
    }
    if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/.test(v) || !isTimeZone(v)) {
      this.fail(field, 'must be an IANA time zone such as America/New_York');
      return v;
    }
    // Intl accepts any letter case; FreeSWITCH and phones look names up as spelled, so store the canonical spelling.
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: v }).resolvedOptions().timeZone;
    return canonical.toLowerCase() === v.toLowerCase() ? canonical : v;
  }

  time(field: string, fallback: string): string {
    const v = this.str(field);
    if (!v) return fallback;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v) && v !== '24:00') this.fail(field, 'must be a time HH:MM');
    return v;
  }

  date(field: string): string {
    const v = this.str(field);
    if (!v) {
      this.fail(field, 'is required');
      return '';
    }
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
    if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3])
      this.fail(field, 'must be a date YYYY-MM-DD');
    return v;
  }

  idList(field: string, max = 1000): number[] {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return [];
    const list = Array.isArray(v)
      ? v
      : typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : null;
    if (
      !list ||
      list.length > max ||
      !list.every((x) => (typeof x === 'number' || typeof x === 'string') && isIdText(String(x)))
    ) {
      this.fail(field, 'must be a list of ids');
      return [];
    }
    const ids = list.map(Number);
    if (new Set(ids).size !== ids.length) this.fail(field, 'lists an item twice');
    return ids;
  }

  optionalId(field: string): number | null {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return null;
    if ((typeof v !== 'number' && typeof v !== 'string') || !isIdText(String(v).trim())) {
      this.fail(field, 'must be an id');
      return null;
    }
    return Number(String(v).trim());
  }

  destination(field: string, use: DestinationUse, fallback?: Destination): Destination {
    const v = this.raw(field);
    if ((v === undefined || v === null || v === '') && fallback) return fallback;
    const parsed = parseDestination(v, use);
    if (typeof parsed === 'string') {
      this.fail(field, parsed);
      return { kind: 'hangup' };
    }
    return parsed;
  }

  /** Throws every collected error at once. */
  done(): void {
    if (Object.keys(this.errors).length) throw new ValidationError({ ...this.errors });
  }
}

/** A database id: digits only, no larger than JavaScript counts exactly. */
function isIdText(t: string): boolean {
  return /^\d{1,15}$/.test(t) && Number.isSafeInteger(Number(t));
}

/**
 * Why a digit string is not a callable outside number, or null. E.164 (country code first, never 0) up to 15 digits;
 * 10 digits is NANP, whose area code starts 2-9 (so does the one after a leading 1).
 */
export function outsideNumberProblem(n: string): string | null {
  if (!/^\d{10,15}$/.test(n)) return 'must be a phone number of 10 to 15 digits';
  if (n.startsWith('0')) return 'must not start with 0: give the country code (E.164) or a 10-digit NANP number';
  if (n.length === 10 && n.startsWith('1')) return 'a 10-digit number needs an area code starting 2-9';
  if (n.length === 11 && n.startsWith('1') && !/^1[2-9]/.test(n)) return 'area code after the leading 1 must start 2-9';
  return null;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Destinations arrive as objects ({kind, id}) from the API, or as "kind:value" text from forms and the CLI
 * (e.g. "extension:12", "outside_number:2125551234", "hangup"). Returns the value or an error message.
 */
export function parseDestination(v: unknown, use: DestinationUse): Destination | string {
  let obj: Record<string, unknown>;
  if (typeof v === 'string' && !v.trim()) return 'is required';
  if (typeof v === 'string') {
    const parts = v.trim().split(':');
    const [kind, value, extra] = parts;
    // "kind", "kind:value" or "mailbox:id:greeting": anything more, or a value for a kind that takes none, is a typo.
    if (parts.length > (kind === 'mailbox' ? 3 : 2)) return `too many ":" parts for ${printable(kind, 20)}`;
    obj = { kind };
    if (value !== undefined) obj[kind === 'outside_number' ? 'number' : kind === 'custom' ? 'value' : 'id'] = value;
    if (extra !== undefined) obj.greeting = extra;
  } else if (v && typeof v === 'object' && !Array.isArray(v)) {
    obj = v as Record<string, unknown>;
  } else if (v === undefined || v === null) {
    return 'is required';
  } else {
    return 'must be a destination: "kind" or "kind:value" text, or {kind, ...}';
  }
  const kind = obj.kind;
  if (typeof kind !== 'string' || !(DESTINATION_KINDS as readonly string[]).includes(kind)) {
    return `must be one of: ${DESTINATION_KINDS.join(', ')}`;
  }
  if (!kindAllowed(kind as Destination['kind'], use)) return `${kind} is only available for an extension's own routing`;
  const scalar = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');
  if ((OBJECT_KINDS as readonly string[]).includes(kind)) {
    if (!isIdText(scalar(obj.id))) return `${kind} needs the id of its target`;
    const id = Number(obj.id);
    if (kind === 'mailbox') {
      const g = obj.greeting;
      if (g !== undefined && g !== 'unavailable' && g !== 'busy') return 'mailbox greeting must be unavailable or busy';
      return g ? { kind, id, greeting: g as 'unavailable' | 'busy' } : { kind, id };
    }
    return { kind, id } as Destination;
  }
  if (kind === 'outside_number') {
    const n = scalar(obj.number).replace(/^\+/, '');
    const problem = outsideNumberProblem(n);
    if (problem) return `outside number ${problem}`;
    return { kind, number: n };
  }
  if (kind === 'custom') {
    const value = scalar(obj.value);
    if (!/^[0-9*#]{1,32}$/.test(value)) return 'custom destination must be 1 to 32 of 0-9, * and #';
    return { kind, value };
  }
  if (typeof v === 'string' && v.includes(':')) return `${kind} takes no value`;
  return { kind } as Destination;
}
