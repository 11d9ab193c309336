// The destination picker: the manual's two drop-downs (kind, then target) used wherever a route is chosen.
// Server side it is three functions: load the PBX's targets once per page, build a picker's view model, and read a
// posted picker back into a Destination (the one place that happens). Without JavaScript every target box of the
// chosen kind's row is visible and labelled; portal.js shows only the chosen kind's box.
import {
  DESTINATION_KINDS,
  type Destination,
  type DestinationKind,
  type DestinationUse,
  kindAllowed,
  OBJECT_KINDS,
  type ObjectKind,
} from '../domain/destination';
import type { TargetList } from '../services/object-browser';
import type { Portal, Viewer } from './context';
import { type FormView, fieldId, type Values } from './forms';

/** The manual's names, in the manual's order (Try First's list), then the kinds it adds elsewhere. */
const KIND_LABELS: Array<[DestinationKind, string]> = [
  ['extension', 'Extension'],
  ['sip_trunk', 'SIP Trunk'],
  ['phone', 'Phone'],
  ['mailbox', 'Mailbox'],
  ['group', 'Group'],
  ['auto_attendant', 'Auto Attendant'],
  ['time_frame', 'Time Frame'],
  ['conference', 'Conference'],
  ['conference_hub', 'Conference Hub'],
  ['queue', 'Queue'],
  ['outside_number', 'Outside Number'],
  ['company_directory', 'Company Directory'],
  ['check_voicemail', 'Check Voicemail'],
  ['custom', 'Custom Setting'],
  ['find_me', 'Find Me'],
  ['phone_number', 'Phone Number'],
  ['hangup', 'Hang Up'],
];
export const DESTINATION_LABEL = new Map(KIND_LABELS);

/** Kinds whose target is typed as a number when there are too many to list (or for employees). */
const NUMBERED: readonly ObjectKind[] = ['extension', 'mailbox', 'queue', 'conference', 'phone_number'];

export type TargetCatalog = Map<ObjectKind, TargetList>;

/** Every object kind's targets in this PBX, read once per page (lists when small, counts when big). */
export async function loadTargets(portal: Portal, v: Viewer): Promise<TargetCatalog> {
  return portal.services.browse.targetCatalog(v.actor, v.pbx.id, OBJECT_KINDS);
}

const isObjectKind = (k: string): k is ObjectKind => (OBJECT_KINDS as readonly string[]).includes(k);

/** A stored destination as the picker's form values; `numbers` gives the number of an object target ("kind:id"). */
export function destinationValues(
  field: string,
  d: Destination | null | undefined,
  numbers: Map<string, { number: string | null }> = new Map(),
): Values {
  if (!d) return { [`${field}.kind`]: '' };
  const out: Values = { [`${field}.kind`]: d.kind };
  if ('id' in d) {
    out[`${field}.${d.kind}`] = String(d.id);
    const n = numbers.get(`${d.kind}:${d.id}`)?.number;
    if (n) out[`${field}.${d.kind}.number`] = n;
  } else if (d.kind === 'outside_number') out[`${field}.outside_number`] = d.number;
  else if (d.kind === 'custom') out[`${field}.custom`] = d.value;
  return out;
}

/** The object targets a list of destinations points at, to look their numbers up for the form. */
export function objectRefs(ds: Array<Destination | null | undefined>): Array<{ kind: ObjectKind; id: number }> {
  return ds
    .filter((d): d is Extract<Destination, { id: number }> => !!d && 'id' in d)
    .map((d) => ({ kind: d.kind, id: d.id }));
}

export interface PickerTarget {
  kind: string;
  id: string;
  name: string;
  label: string;
  select: boolean;
  /** The listed targets (the catalog's own frozen list, so views.ts renders its options once per PBX revision). */
  items: ReadonlyArray<{ id: number; label: string }>;
  /** The chosen target's id, '' for none. */
  selected: string;
  value: string;
  inputmode: string | null;
  hint: string | null;
}

export interface PickerView {
  field: string;
  id: string;
  label: string;
  hint: string | null;
  error: string | null;
  kindName: string;
  kinds: Array<{ value: string; label: string; selected: boolean; choose?: boolean }>;
  targets: PickerTarget[];
  /** Shown (by portal.js, or always without it) only when this form value matches: e.g. Try First = phone. */
  showWhen: string | null;
}

export interface PickerOptions {
  hint?: string;
  /** An object the field must not point at (an extension's own routing never sends calls to itself). */
  exclude?: { kind: ObjectKind; id: number };
  showWhen?: string;
  /** What an empty choice means here (the service's default), e.g. "Default: its voice mailbox". */
  emptyLabel?: string;
}

/** The picker's view model for `field` with the values (saved or posted) and errors of `form`. */
export function pickerView(
  form: FormView,
  field: string,
  label: string,
  use: DestinationUse,
  catalog: TargetCatalog,
  opts: PickerOptions = {},
): PickerView {
  form.label(field, label);
  const current = form.values[`${field}.kind`] ?? '';
  const kinds = KIND_LABELS.filter(([k]) => kindAllowed(k, use) && (DESTINATION_KINDS as readonly string[]).includes(k))
    .filter(([k]) => !isObjectKind(k) || (catalog.get(k)?.total ?? 0) > 0 || k === current)
    .map(([value, l]) => ({ value, label: l, selected: value === current }));
  const targets: PickerTarget[] = [];
  for (const { value: kind, label: kindLabel } of kinds) {
    const name = `${field}.${kind}`;
    const base = { kind, id: fieldId(name), hint: null as string | null, inputmode: null as string | null };
    if (isObjectKind(kind)) {
      const list = catalog.get(kind);
      if (list?.items) {
        const ex = opts.exclude;
        const items =
          ex?.kind === kind && list.items.some((i) => i.id === ex.id)
            ? list.items.filter((i) => i.id !== ex.id)
            : list.items;
        targets.push({
          ...base,
          name,
          label: kindLabel,
          select: true,
          items,
          selected: form.values[name] ?? '',
          value: '',
        });
      } else if (NUMBERED.includes(kind)) {
        // Too many to list (or an employee): the number, as people dial it.
        targets.push({
          ...base,
          id: fieldId(`${name}.number`),
          name: `${name}.number`,
          label: `${kindLabel} number`,
          select: false,
          items: [],
          selected: '',
          value: form.values[`${name}.number`] ?? '',
          inputmode: 'numeric',
        });
      }
    } else if (kind === 'outside_number' || kind === 'custom') {
      targets.push({
        ...base,
        name,
        label: kind === 'outside_number' ? 'Outside number' : 'Dial string',
        select: false,
        items: [],
        selected: '',
        value: form.values[name] ?? '',
        inputmode: kind === 'outside_number' ? 'tel' : null,
        hint: kind === 'outside_number' ? 'A 10-digit number, or + and the country code.' : 'Digits, * and #.',
      });
    }
  }
  const error = form.errors[field] ?? Object.entries(form.errors).find(([k]) => k.startsWith(`${field}.`))?.[1] ?? null;
  return {
    field,
    // The kind drop-down carries the field's own id: the error summary links there.
    id: fieldId(field),
    label,
    hint: opts.hint ?? null,
    error,
    kindName: `${field}.kind`,
    kinds:
      current && !opts.emptyLabel
        ? kinds
        : [{ value: '', label: opts.emptyLabel ?? 'Choose', choose: !opts.emptyLabel, selected: !current }, ...kinds],
    targets,
    showWhen: opts.showWhen ?? null,
  };
}

/**
 * A posted picker as the value the services take ("kind:id" text or an object), or an error to show next to it.
 * Typed numbers are looked up in the viewer's PBX; the services then check the target exists and may be used.
 */
export async function readDestination(
  portal: Portal,
  v: Viewer,
  values: Values,
  field: string,
  greeting?: 'busy' | 'unavailable',
): Promise<{ value: unknown } | { error: string }> {
  const kind = values[`${field}.kind`] ?? '';
  // Nothing chosen: the service's default for this field (Try First: the phone; Find Me fallback: check voicemail).
  if (!kind) return { value: undefined };
  if (isObjectKind(kind)) {
    const typed = values[`${field}.${kind}.number`];
    let id = values[`${field}.${kind}`] ?? '';
    if (typed !== undefined && !id) {
      const n = typed.trim();
      if (!n) return { error: `enter the ${DESTINATION_LABEL.get(kind)?.toLowerCase()} number` };
      const found = await portal.services.browse.idByNumber(v.actor, v.pbx.id, kind, n.replace(/[^\d]/g, ''));
      if (found === null)
        return { error: `there is no ${DESTINATION_LABEL.get(kind)?.toLowerCase()} ${n.slice(0, 15)} in this PBX` };
      id = String(found);
    }
    if (!id) return { error: `choose the ${DESTINATION_LABEL.get(kind)?.toLowerCase()}` };
    return { value: kind === 'mailbox' && greeting ? { kind, id, greeting } : `${kind}:${id}` };
  }
  if (kind === 'outside_number')
    return { value: { kind, number: (values[`${field}.outside_number`] ?? '').replace(/[\s().-]/g, '') } };
  if (kind === 'custom') return { value: { kind, value: (values[`${field}.custom`] ?? '').trim() } };
  return { value: kind };
}
