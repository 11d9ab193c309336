// Per kind, what the API accepts and shows: fields learnt from the kind's own rules (rules-probe.ts) and entity, plus
// the few things only the API decides (fields the server generates on create). Computed once, read by the router,
// the unknown-field check and the OpenAPI document alike.
import type { EntitySchema } from '@mikro-orm/core';
import { ValidationError } from '../../domain/errors';
import { PbxSchema } from '../../domain/model';
import { printable } from '../../domain/printable';
import { parsePbx } from '../../domain/rules/other-rules';
import { KINDS, type KindSpec } from '../../services/kinds';
import { randomAlnum } from '../../services/secrets';
import { isSecretField } from './present';
import { probeRules, type RuleFacts, refusesUpdates } from './rules-probe';

export interface PropertyFacts {
  name: string;
  /** MikroORM type name: IntegerType, StringType, BooleanType, DateTimeType, JsonType, … */
  type: string;
  nullable: boolean;
  length?: number;
}

export interface ResourceApi extends RuleFacts {
  /** Yes/no fields answers add for masked secrets ("passwordSet"): whether one is set, never the value. */
  flags: string[];
  /** Entity class name, also the OpenAPI schema name ("Extension"). */
  entityName: string;
  properties: PropertyFacts[];
  /** Fields every response carries (no hidden or secret one). */
  output: string[];
}

export interface KindApi extends ResourceApi {
  kind: KindSpec;
  /** POST offered: audio arrives by upload only, and phone numbers are added by the operator (the kind's `operator` rule). */
  creatable: boolean;
  /** PATCH offered: not for kinds whose rules refuse every change (audio is replaced by upload only). */
  updatable: boolean;
}

/** Values the server makes on create and never takes from a client: an extension's SIP password. */
export const SERVER_GENERATED: Record<string, Record<string, () => unknown>> = {
  extensions: { sipPassword: () => randomAlnum(20) },
};

/** The PBX's context names FreeSWITCH objects and never changes; the operator sets the rest it refuses. */
const PBX_FIXED = ['context'];

type AnySchema = EntitySchema<never, never> | EntitySchema<unknown, never>;
type RawProperty = { type: unknown; nullable?: boolean; length?: number };

function propertiesOf(entity: AnySchema): PropertyFacts[] {
  return (Object.entries(entity.meta.properties) as Array<[string, RawProperty]>).map(([name, p]) => {
    const t = p.type;
    return {
      name,
      type: typeof t === 'function' ? t.name : String(t),
      nullable: Boolean(p.nullable),
      length: typeof p.length === 'number' ? p.length : undefined,
    };
  });
}

function resource(
  entity: AnySchema,
  parse: Parameters<typeof probeRules>[0],
  hidden: readonly string[],
  notWritable: readonly string[],
  masked: readonly string[] = [],
): ResourceApi {
  const properties = propertiesOf(entity);
  const named = (type: string) => properties.filter((p) => p.type === type).map((p) => p.name);
  const facts = probeRules(parse, named('StringType'), named('IntegerType'));
  return {
    ...facts,
    writable: facts.writable.filter((f) => !notWritable.includes(f)),
    required: facts.required.filter((f) => !notWritable.includes(f)),
    entityName: entity.meta.className,
    properties,
    flags: masked.map((m) => `${m}Set`),
    output: [
      ...properties.map((p) => p.name).filter((n) => n !== 'pbxId' && !hidden.includes(n) && !isSecretField(n)),
      ...masked.map((m) => `${m}Set`),
    ],
  };
}

let kinds: KindApi[] | null = null;
let pbx: ResourceApi | null = null;

export function kindApis(): KindApi[] {
  kinds ??= KINDS.map((kind) => {
    const r = resource(
      kind.entity,
      (f, snap) => kind.parse(f, snap, null, null, { profileIds: new Set() }),
      kind.hidden ?? [],
      Object.keys(SERVER_GENERATED[kind.name] ?? {}),
      // Read loosely: the kinds table gains `masked` with the secret-exposure work.
      (kind as { masked?: readonly string[] }).masked ?? [],
    );
    return {
      ...r,
      kind,
      creatable: (!kind.createdElsewhere || kind.name === 'devices') && !kind.operator,
      updatable:
        r.writable.length > 0 &&
        !refusesUpdates((f, snap, current) => kind.parse(f, snap, 1, current, { profileIds: new Set() })),
    };
  });
  return kinds;
}

export function kindApi(name: string): KindApi | undefined {
  return kindApis().find((k) => k.kind.name === name);
}

export function pbxApi(): ResourceApi {
  pbx ??= resource(PbxSchema as never, (f) => parsePbx(f, [], null), [], PBX_FIXED);
  return pbx;
}

/** Refuses body fields the rules never read: a typo ("secondToRing") is an error, not a silently ignored value. */
export function checkBodyFields(body: Record<string, unknown>, api: ResourceApi, what: string): void {
  const known = new Set(api.properties.map((p) => p.name));
  const errors = Object.keys(body)
    .filter((k) => !api.writable.includes(k))
    .slice(0, 20)
    .map((k) => [printable(k, 64), known.has(k) ? 'is read-only' : `is not a field of ${what}`]);
  // fromEntries defines own properties, so a "__proto__" key is reported, never assigned as a prototype.
  if (errors.length) throw new ValidationError(Object.fromEntries(errors));
}
