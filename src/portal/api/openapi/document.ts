// The OpenAPI 3.1 document of /api/v1, built from the kinds table: a path pair per kind, a response schema per entity
// (types from the entity, enums/ranges/required from the field rules, JSON columns from shapes.ts), shared errors.
import { KINDS } from '../../../services/kinds';
import { MAX_PAGE_SIZE } from '../../../services/object-pages';
import { kindApis, pbxApi } from '../kind-api';
import { ACTIVITY_PATHS, ACTIVITY_SCHEMAS } from './activity-paths';
import { answer, ERROR_RESPONSES, errors, json, kindPaths } from './paths';
import { inputSchema, outputSchema, page } from './schemas';
import { DESTINATION, DESTINATION_TEXT, type JsonSchema, ref } from './shapes';
import { VOICEMAIL_PATHS, VOICEMAIL_SCHEMAS } from './voicemail-paths';

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
  paths = { ...paths, ...ACTIVITY_PATHS, ...VOICEMAIL_PATHS };
  Object.assign(schemas, ACTIVITY_SCHEMAS, VOICEMAIL_SCHEMAS);
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
    tags: [...KINDS.map((k) => ({ name: k.name })), { name: 'activity' }, { name: 'voicemail' }],
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
