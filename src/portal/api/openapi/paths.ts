// OpenAPI path items of the kinds' routes and the shared error answers they refer to.
import type { KindApi } from '../kind-api';
import { type JsonSchema, ref } from './shapes';

export const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
export const answer = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
export const errors = (...names: string[]) =>
  Object.fromEntries(names.map((n) => [n, { $ref: `#/components/responses/${n}` }]));

export const ERROR_RESPONSES = {
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

export function kindPaths(k: KindApi): Record<string, JsonSchema> {
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
