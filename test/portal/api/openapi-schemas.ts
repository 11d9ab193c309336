// The API document's component schemas compiled for tests that check live answers against them.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'chai';

export interface SchemaDoc {
  components: { schemas: Record<string, object> };
}

const BASE = 'https://dialtone.test/schemas/';

/** Every component schema compiled by Ajv in strict mode (JSON Schema 2020-12, the dialect of OpenAPI 3.1). */
export function compile(doc: SchemaDoc): (name: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const text = JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', `"${BASE}`);
  for (const [name, schema] of Object.entries(JSON.parse(text) as Record<string, object>))
    ajv.addSchema({ ...schema, $id: `${BASE}${name}` });
  return (name) => {
    const v = ajv.getSchema(`${BASE}${name}`);
    if (!v) throw new Error(`no schema ${name}`);
    return v;
  };
}

export function expectValid(validate: ValidateFunction, value: unknown, what: string): void {
  const ok = validate(value);
  if (!ok)
    expect.fail(`${what}: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(value).slice(0, 600)}`);
}
