// The OpenAPI 3.1 document of /api/v1, built from the kinds table: a path pair per kind, a response schema per entity
// (types from the entity, enums/ranges/required from the field rules, JSON columns from shapes.ts), shared errors.
import { KINDS } from '../../../services/kinds';
import { MAX_PAGE_SIZE } from '../../../services/object-pages';
import { type KindApi, kindApis, type PropertyFacts, pbxApi, type ResourceApi } from '../kind-api';
import { DESTINATION, DESTINATION_TEXT, INPUT_ONLY, type JsonSchema, ref, SHAPES } from './shapes';

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

function outputSchema(api: ResourceApi): JsonSchema {
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

function inputSchema(api: ResourceApi, withRequired: boolean): JsonSchema {
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

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const answer = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const errors = (...names: string[]) =>
  Object.fromEntries(names.map((n) => [n, { $ref: `#/components/responses/${n}` }]));

const ERROR_RESPONSES = {
  '400': answer('The body is not valid JSON.', ref('Error')),
  '401': {
    description: 'No token, or a token that is unknown, revoked, or whose user is disabled or deleted.',
    headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="dialtone"[, error=…]' } },
    content: json(ref('Error')),
  },
  '403': answer("The token's user lacks the module, or the action needs an administrator.", ref('Error')),
  '404': answer(
    'No such PBX, kind or object — also when it belongs to another PBX or (for an employee) to someone else.',
    ref('Error'),
  ),
  '409': answer('Still referenced (the referrers are listed), or a concurrent save took the number.', ref('Conflict')),
  '413': answer('The body is larger than the limit.', ref('Error')),
  '415': answer('The body is not Content-Type: application/json.', ref('Error')),
  '422': answer('Field errors, one message per field.', ref('ValidationFailure')),
};

const pascal = (kind: string) =>
  kind
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

function kindPaths(k: KindApi): Record<string, JsonSchema> {
  const name = k.entityName;
  const op = pascal(k.kind.name);
  const who =
    `Needs the \`${k.kind.module}\` module.` +
    (k.kind.employee ? ' An employee sees and changes only their own.' : ' Administrators only.');
  const collection: JsonSchema = {
    parameters: [{ $ref: '#/components/parameters/Context' }],
    get: {
      operationId: `list${op}`,
      tags: [k.kind.name],
      summary: `List ${k.kind.name}, in id order, a page at a time`,
      description: who,
      parameters: [{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Cursor' }],
      responses: {
        '200': answer('One page.', ref(`${name}Page`)),
        ...errors('401', '403', '404', '422'),
      },
    },
  };
  if (k.creatable)
    collection.post = {
      operationId: `create${op}`,
      tags: [k.kind.name],
      summary: `Create one of ${k.kind.name}`,
      description: `${who} Creating needs an administrator.`,
      requestBody: { required: true, content: json(ref(`${name}Create`)) },
      responses: {
        '201': {
          description:
            k.kind.name === 'devices'
              ? 'Created; provisioningPassword is shown only in this answer.'
              : 'Created; Location names it.',
          headers: { Location: { schema: { type: 'string' } } },
          content: json(ref(k.kind.name === 'devices' ? `${name}Created` : name)),
        },
        ...errors('400', '401', '403', '404', '409', '413', '415', '422'),
      },
    };
  const item: JsonSchema = {
    parameters: [{ $ref: '#/components/parameters/Context' }, { $ref: '#/components/parameters/Id' }],
    get: {
      operationId: `get${op}Item`,
      tags: [k.kind.name],
      summary: `One of ${k.kind.name}`,
      description: who,
      responses: { '200': answer('The object.', ref(name)), ...errors('401', '403', '404') },
    },
    delete: {
      operationId: `delete${op}Item`,
      tags: [k.kind.name],
      summary: `Delete one of ${k.kind.name}`,
      description: `${who} Deleting needs an administrator; refused (409) while anything points at it.`,
      responses: { '204': { description: 'Deleted.' }, ...errors('401', '403', '404', '409') },
    },
  };
  if (k.updatable)
    item.patch = {
      operationId: `update${op}Item`,
      tags: [k.kind.name],
      summary: `Change fields of one of ${k.kind.name}`,
      description: `${who} Only the fields sent change.`,
      requestBody: { required: true, content: json(ref(`${name}Patch`)) },
      responses: {
        '200': answer('The object as saved.', ref(name)),
        ...errors('400', '401', '403', '404', '409', '413', '415', '422'),
      },
    };
  return { [`/pbxs/{context}/${k.kind.name}`]: collection, [`/pbxs/{context}/${k.kind.name}/{id}`]: item };
}

function page(item: string): JsonSchema {
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

function build(): JsonSchema {
  const schemas: Record<string, JsonSchema> = {
    Destination: DESTINATION,
    DestinationInput: { anyOf: [ref('Destination'), DESTINATION_TEXT] },
    Error: {
      type: 'object',
      properties: { error: { type: 'string' }, message: { type: 'string' } },
      required: ['error', 'message'],
      additionalProperties: false,
    },
    ValidationFailure: {
      type: 'object',
      properties: {
        error: { const: 'validation' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'field → message' },
      },
      required: ['error', 'message', 'fields'],
      additionalProperties: false,
    },
    Referrer: {
      type: 'object',
      properties: {
        kind: { type: 'string', description: 'the kind to fetch it under, e.g. "groups"' },
        id: { type: 'integer' },
        label: { type: 'string' },
        field: { type: 'string', description: 'what of it points here; empty when the whole object does' },
      },
      required: ['kind', 'id', 'label', 'field'],
      additionalProperties: false,
    },
    Conflict: {
      type: 'object',
      properties: {
        error: { const: 'conflict' },
        message: { type: 'string' },
        referrers: { type: 'array', items: ref('Referrer') },
      },
      required: ['error', 'message', 'referrers'],
      additionalProperties: false,
    },
    Me: {
      type: 'object',
      properties: {
        user: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            username: { type: 'string' },
            type: { enum: ['admin', 'employee'] },
            extensionId: { type: ['integer', 'null'] },
            permissions: { type: 'array', items: { type: 'string' } },
          },
          required: ['id', 'username', 'type', 'extensionId', 'permissions'],
          additionalProperties: false,
        },
        pbx: {
          type: ['object', 'null'],
          properties: { id: { type: 'integer' }, context: { type: 'string' }, name: { type: 'string' } },
          required: ['id', 'context', 'name'],
          additionalProperties: false,
        },
        tokenId: { type: 'integer' },
      },
      required: ['user', 'pbx', 'tokenId'],
      additionalProperties: false,
    },
  };
  const pbx = pbxApi();
  schemas.Pbx = outputSchema(pbx);
  schemas.PbxPatch = inputSchema(pbx, false);
  schemas.PbxPage = page('Pbx');
  let paths: Record<string, JsonSchema> = {
    '/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document',
        security: [],
        responses: { '200': answer('OpenAPI 3.1', { type: 'object' }) },
      },
    },
    '/me': {
      get: {
        operationId: 'me',
        summary: 'Who the token acts as',
        responses: { '200': answer('The user and PBX of the token.', ref('Me')), ...errors('401') },
      },
    },
    '/pbxs': {
      get: {
        operationId: 'listPbxs',
        summary: "The token's PBX (a list of one)",
        responses: { '200': answer('The PBX.', ref('PbxPage')), ...errors('401') },
      },
    },
    '/pbxs/{context}': {
      parameters: [{ $ref: '#/components/parameters/Context' }],
      get: {
        operationId: 'getPbx',
        summary: 'PBX Info (no PIN or phone admin password: those are write-only)',
        description: 'Needs the `pbx_info` module.',
        responses: { '200': answer('The PBX.', ref('Pbx')), ...errors('401', '403', '404') },
      },
      patch: {
        operationId: 'updatePbx',
        summary: 'Change PBX Info; the context never changes, call paths and domain only by the operator',
        description: 'Needs the `pbx_info` module and an administrator.',
        requestBody: { required: true, content: json(ref('PbxPatch')) },
        responses: {
          '200': answer('The PBX as saved.', ref('Pbx')),
          ...errors('400', '401', '403', '404', '413', '415', '422'),
        },
      },
    },
  };
  for (const k of kindApis()) {
    schemas[k.entityName] = outputSchema(k);
    schemas[`${k.entityName}Page`] = page(k.entityName);
    if (k.creatable) schemas[`${k.entityName}Create`] = inputSchema(k, true);
    if (k.updatable) schemas[`${k.entityName}Patch`] = inputSchema(k, false);
    if (k.kind.name === 'devices') {
      const out = outputSchema(k) as { properties: JsonSchema; required: string[] };
      schemas[`${k.entityName}Created`] = {
        ...out,
        properties: { ...out.properties, provisioningPassword: { type: 'string', description: 'shown once' } },
        required: [...out.required, 'provisioningPassword'],
      };
    }
    paths = { ...paths, ...kindPaths(k) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Dialtone API',
      version: '1',
      description:
        'Every object kind of a PBX, through the same rules as the portal. Authenticate with ' +
        '`Authorization: Bearer dt_…` (create one with `dialtone api-token create` or in the portal); a token acts ' +
        'as its user. Kinds: ' +
        KINDS.map((k) => k.name).join(', ') +
        '.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    tags: KINDS.map((k) => ({ name: k.name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A dt_… API token.' },
      },
      parameters: {
        Context: {
          name: 'context',
          in: 'path',
          required: true,
          description: "The PBX's context (as in `dialtone list pbxs`).",
          schema: { type: 'string', pattern: '^[a-z0-9_]{1,32}$' },
        },
        Id: { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        Limit: {
          name: 'limit',
          in: 'query',
          description: 'Page size (default 100).',
          schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
        },
        Cursor: {
          name: 'cursor',
          in: 'query',
          description: 'nextCursor of the previous page.',
          schema: { type: 'string', pattern: '^\\d+$' },
        },
      },
      schemas,
      responses: ERROR_RESPONSES,
    },
  };
}

let document: JsonSchema | null = null;

/** Built once per process: the kinds table and rules do not change while it runs. */
export function openApiDocument(): JsonSchema {
  document ??= build();
  return document;
}
