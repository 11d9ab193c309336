// JSON Schemas of the API's resources: entity property types, rule-derived enums/ranges/required, request variants
// (destinations as text too, nested objects partial), and the page wrapper.
import type { PropertyFacts, ResourceApi } from '../kind-api';
import { INPUT_ONLY, type JsonSchema, ref, SHAPES } from './shapes';

const SCALARS: Record<string, JsonSchema> = {
  IntegerType: { type: 'integer' },
  SmallIntType: { type: 'integer' },
  BigIntType: { type: 'integer' },
  DoubleType: { type: 'number' },
  FloatType: { type: 'number' },
  BooleanType: { type: 'boolean' },
  DateTimeType: { type: 'string', format: 'date-time' },
  StringType: { type: 'string' },
  TextType: { type: 'string' },
};

function orNull(s: JsonSchema): JsonSchema {
  if (typeof s.type === 'string') {
    const out: JsonSchema = { ...s, type: [s.type, 'null'] };
    if (Array.isArray(s.enum)) out.enum = [...s.enum, null];
    return out;
  }
  return { anyOf: [s, { type: 'null' }] };
}

function propertySchema(api: ResourceApi, p: PropertyFacts): JsonSchema {
  let s: JsonSchema =
    p.type === 'JsonType' ? (SHAPES[`${api.entityName}.${p.name}`] ?? {}) : { ...(SCALARS[p.type] ?? {}) };
  if (p.type === 'StringType' && p.length) s.maxLength = p.length;
  if (api.enums[p.name]) s = { ...s, enum: api.enums[p.name] };
  const range = api.ranges[p.name];
  if (range) s = { ...s, minimum: range.min, maximum: range.max };
  return p.nullable ? orNull(s) : s;
}

/** Requests: destinations may be text too, and nested objects may be partial (a PATCH of routing.tryFirst alone). */
function asInput(s: JsonSchema): JsonSchema {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const o = v as JsonSchema;
    if (o.$ref === '#/components/schemas/Destination') return ref('DestinationInput');
    return Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => k !== 'required')
        .map(([k, x]) => [k, walk(x)]),
    );
  };
  return walk(s) as JsonSchema;
}

export function outputSchema(api: ResourceApi): JsonSchema {
  const props = api.properties.filter((p) => api.output.includes(p.name));
  const flags = api.flags.map((f) => [f, { type: 'boolean', description: 'whether one is set (it is never shown)' }]);
  return {
    type: 'object',
    properties: {
      ...Object.fromEntries(props.map((p) => [p.name, propertySchema(api, p)])),
      ...Object.fromEntries(flags),
    },
    required: [...props.map((p) => p.name), ...api.flags],
    additionalProperties: false,
  };
}

export function inputSchema(api: ResourceApi, withRequired: boolean): JsonSchema {
  const props: Record<string, JsonSchema> = {};
  for (const field of api.writable) {
    const p = api.properties.find((x) => x.name === field);
    const base = p ? propertySchema(api, p) : (INPUT_ONLY[`${api.entityName}.${field}`] ?? {});
    props[field] = asInput(p && !api.output.includes(field) ? { ...base, writeOnly: true } : base);
  }
  return {
    type: 'object',
    properties: props,
    ...(withRequired && api.required.length ? { required: api.required } : {}),
    additionalProperties: false,
  };
}

/** A page of a list: the items and the cursor of the next page. */
export function page(item: string): JsonSchema {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: ref(item) },
      nextCursor: { type: ['string', 'null'], description: 'Pass as ?cursor= for the next page; null on the last.' },
    },
    required: ['items', 'nextCursor'],
    additionalProperties: false,
  };
}
