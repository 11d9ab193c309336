// Form view models: each field with its label, hint, kept value and error; the error summary at the top links to them.
// Names are the services' field names ("routing.tryFirst", "findMe.locations.2.number"), so a service's
// ValidationError lands next to the field it names without any mapping.

export interface Option {
  value: string;
  label: string;
  selected: boolean;
  /** The empty "Choose…" choice: its text comes from the template (see CHOOSE). */
  choose?: boolean;
}

/**
 * A drop-down's empty first choice. Its text is written in the templates, not here: a page that holds a single
 * character beyond Latin-1 ("…") becomes a two-byte string in V8, which costs ~1 ms per 70 KB page to flatten
 * and encode; templates turn such characters into references when compiled (views.ts).
 */
export const CHOOSE: { value: string; label: string; choose: true } = Object.freeze({
  value: '',
  label: 'Choose',
  choose: true,
});

export interface FieldView {
  id: string;
  name: string;
  label: string;
  hint: string | null;
  error: string | null;
  value: string;
  checked: boolean;
  type: string;
  inputmode: string | null;
  autocomplete: string | null;
  maxlength: number | null;
  options: Option[];
  disabled: boolean;
}

export type Values = Record<string, string>;

export function fieldId(name: string): string {
  // "buttons.*" and "buttons.#" (attendant keys) must not both become "f-buttons--".
  return `f-${name
    .replace(/\*/g, 'star')
    .replace(/#/g, 'hash')
    .replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Humanises a field name for the summary when no label was registered ("findMe.ringSeconds" → "Find me ring seconds"). */
function humanise(name: string): string {
  const words = name
    .replace(/\./g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export class FormView {
  private readonly labels = new Map<string, string>();

  constructor(
    readonly values: Values,
    readonly errors: Record<string, string> = {},
  ) {}

  private base(name: string, label: string, opts: FieldOpts = {}): FieldView {
    this.labels.set(name, label);
    return {
      id: fieldId(name),
      name,
      label,
      hint: opts.hint ?? null,
      error: this.errors[name] ?? null,
      value: this.values[name] ?? '',
      checked: false,
      type: opts.type ?? 'text',
      inputmode: opts.inputmode ?? null,
      autocomplete: opts.autocomplete ?? null,
      maxlength: opts.maxlength ?? null,
      options: [],
      disabled: !!opts.disabled,
    };
  }

  text(name: string, label: string, opts: FieldOpts = {}): FieldView {
    return this.base(name, label, opts);
  }

  /** A password field never shows a value back. */
  password(name: string, label: string, opts: FieldOpts = {}): FieldView {
    return { ...this.base(name, label, { ...opts, type: 'password' }), value: '' };
  }

  checkbox(name: string, label: string, opts: FieldOpts = {}): FieldView {
    const f = this.base(name, label, { ...opts, type: 'checkbox' });
    return { ...f, value: 'true', checked: truthy(this.values[name]) };
  }

  select(
    name: string,
    label: string,
    options: Array<{ value: string; label: string; choose?: boolean }>,
    opts: FieldOpts = {},
  ): FieldView {
    const f = this.base(name, label, { ...opts, type: 'select' });
    return { ...f, options: options.map((o) => ({ ...o, selected: o.value === f.value })) };
  }

  /** Yes/No drop-down, as the manual's Advanced Settings show them. */
  yesNo(name: string, label: string, opts: FieldOpts = {}): FieldView {
    return this.select(
      name,
      label,
      [
        { value: 'false', label: 'No' },
        { value: 'true', label: 'Yes' },
      ],
      opts,
    );
  }

  /** Registers the label of a field rendered by a component (the destination picker) for the summary. */
  label(name: string, label: string): void {
    this.labels.set(name, label);
  }

  get hasErrors(): boolean {
    return Object.keys(this.errors).length > 0;
  }

  /** Every error, in the order the fields appear, then the rest: "Label: message", linked to the field. */
  summary(): Array<{ href: string; text: string }> {
    const order = [...this.labels.keys()];
    const keys = Object.keys(this.errors).sort((a, b) => rank(order, a) - rank(order, b));
    return keys.map((k) => {
      const owner = this.labels.has(k) ? k : order.find((o) => k.startsWith(`${o}.`));
      return {
        href: `#${fieldId(owner ?? k)}`,
        text: `${this.labels.get(k) ?? (owner ? this.labels.get(owner) : null) ?? humanise(k)}: ${this.errors[k]}`,
      };
    });
  }
}

function rank(order: string[], key: string): number {
  const i = order.findIndex((o) => o === key || key.startsWith(`${o}.`));
  return i < 0 ? order.length : i;
}

export interface FieldOpts {
  hint?: string;
  type?: string;
  inputmode?: string;
  autocomplete?: string;
  maxlength?: number;
  disabled?: boolean;
}

export function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === 'on' || v === '1' || v === 'yes';
}

/** A posted form as flat text values (repeated names keep their last value; nothing but strings survives). */
export function postedValues(body: unknown): Values {
  const out: Values = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof last === 'string') out[k] = last;
  }
  return out;
}

/** Values of a repeated field (checkbox lists). */
export function postedList(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}
