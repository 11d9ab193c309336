// Destination: the one typed routing value used by every routing choice in the PBX (SPEC §1).
// Targets are referenced by id inside the same PBX; they are checked on save and compiled to dialplan only at generation.

/** Kinds whose target is another object of the PBX, referenced by id. */
export const OBJECT_KINDS = [
  'extension',
  'sip_trunk',
  'phone_number',
  'mailbox',
  'group',
  'auto_attendant',
  'time_frame',
  'conference',
  'conference_hub',
  'queue',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** Kinds that carry no target or a literal value. */
export const VALUE_KINDS = [
  'outside_number',
  'company_directory',
  'check_voicemail',
  'custom',
  'phone',
  'find_me',
  'hangup',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export type DestinationKind = ObjectKind | ValueKind;
export const DESTINATION_KINDS: readonly DestinationKind[] = [...OBJECT_KINDS, ...VALUE_KINDS];

export type Destination =
  | { kind: Exclude<ObjectKind, 'mailbox'>; id: number }
  /** greeting: which mailbox greeting the caller hears (the route that sent the caller decides). */
  | { kind: 'mailbox'; id: number; greeting?: 'unavailable' | 'busy' }
  /** number: digits only, E.164 without '+' or NANP 10/11 digits. */
  | { kind: 'outside_number'; number: string }
  /** value: digits, '*' and '#' only — an internal dial string such as a feature code. */
  | { kind: 'custom'; value: string }
  | { kind: 'company_directory' | 'check_voicemail' | 'phone' | 'find_me' | 'hangup' };

/** Where a destination is used decides which kinds it may be (the manual's drop-downs). */
export type DestinationUse = 'general' | 'extension_routing';

/** `phone` and `find_me` exist only in an extension's own routing (manual: Extensions → Call Routing). */
export function kindAllowed(kind: DestinationKind, use: DestinationUse): boolean {
  if (kind === 'phone' || kind === 'find_me') return use === 'extension_routing';
  return true;
}

export function isObjectDestination(d: Destination): d is Extract<Destination, { id: number }> {
  return (OBJECT_KINDS as readonly string[]).includes(d.kind);
}

export function describeDestination(d: Destination): string {
  if ('id' in d) return `${d.kind} #${d.id}`;
  if (d.kind === 'outside_number') return `outside number ${d.number}`;
  if (d.kind === 'custom') return `custom ${d.value}`;
  return d.kind;
}

export function sameTarget(d: Destination, kind: ObjectKind, id: number): boolean {
  return 'id' in d && d.kind === kind && d.id === id;
}
