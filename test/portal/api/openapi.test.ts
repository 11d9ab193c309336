// The OpenAPI 3.1 document: valid by a real OpenAPI validator, built from the kinds table (every kind, every JSON
// column described), and true to the running API: live answers of every kind match their response schemas, and the
// inputs the services accept match the request schemas.
import { Validator } from '@seriousme/openapi-schema-validator';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { kindApis } from '../../../src/portal/api/kind-api';
import { isSecretField } from '../../../src/portal/api/present';
import { KINDS } from '../../../src/services/kinds';
import { forEachEngine } from '../../helpers/databases';
import { insertAudio, validInput } from '../../services/fixture';
import { type ApiWorld, openApiWorld } from './api-world';
import { compile, expectValid } from './openapi-schemas';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, object> };
};

forEachEngine('API OpenAPI document', (engine) => {
  let w: ApiWorld;
  let doc: Doc;
  let schema: (name: string) => ValidateFunction;
  const A = '/api/v1/pbxs/pbx_a';

  before(async function () {
    this.timeout(120_000);
    w = await openApiWorld(engine);
    const r = await w.call('GET', '/api/v1/openapi.json');
    expect(r.status).to.equal(200);
    doc = r.json;
    schema = compile(doc);
  });
  after(async () => w?.close());

  it('is served without a token and is a valid OpenAPI 3.1 document whose references all resolve', async function () {
    this.timeout(120_000);
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc));
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
    expect(() => validator.resolveRefs()).to.not.throw();
  });

  it('has every kind of the kinds table, with its paths, operations and schemas', () => {
    for (const k of kindApis()) {
      const collection = doc.paths[`/pbxs/{context}/${k.kind.name}`];
      const item = doc.paths[`/pbxs/{context}/${k.kind.name}/{id}`];
      expect(collection, k.kind.name).to.have.property('get');
      expect(item, k.kind.name).to.include.keys('get', 'delete');
      expect(doc.components.schemas, k.kind.name).to.have.property(k.entityName);
      // Audio arrives by upload; phone numbers are added by the operator (CLI), never through a PBX user's token.
      expect(Boolean(collection.post), `${k.kind.name} POST`).to.equal(!['audio', 'numbers'].includes(k.kind.name));
      expect(Boolean(item.patch), `${k.kind.name} PATCH`).to.equal(k.kind.name !== 'audio');
    }
    expect(kindApis().map((k) => k.kind.name)).to.deep.equal(KINDS.map((k) => k.name));
    expect(doc.paths).to.include.keys('/pbxs', '/pbxs/{context}', '/me', '/openapi.json');
    expect(doc.components.schemas).to.include.keys('Destination', 'ValidationFailure', 'Conflict', 'Error', 'Pbx');
  });

  it('has the voicemail API: every route of voicemail-api.ts, with its schemas', () => {
    const base = '/pbxs/{context}/voicemail';
    expect(doc.paths[base]).to.have.property('get');
    expect(doc.paths[`${base}/{mailbox}`]).to.have.property('get');
    expect(doc.paths[`${base}/{mailbox}/messages/{message}`]).to.include.keys('get', 'patch', 'delete');
    expect(doc.paths[`${base}/{mailbox}/messages/{message}/audio`]).to.have.property('get');
    for (const name of ['VoicemailMailboxList', 'VoicemailMessageList', 'VoicemailMessage', 'VoicemailFolderChange'])
      expect(doc.components.schemas).to.have.property(name);
  });

  it('describes every JSON column, never a secret, and takes enums and required fields from the rules', () => {
    for (const k of kindApis()) {
      const out = doc.components.schemas[k.entityName] as { properties: Record<string, object> };
      for (const p of k.properties.filter((x) => x.type === 'JsonType' && k.output.includes(x.name)))
        expect(out.properties[p.name], `${k.entityName}.${p.name}`).to.not.deep.equal({});
      for (const name of Object.keys(out.properties))
        expect(name, k.entityName).to.satisfy((n: string) => !isSecretField(n));
    }
    const pbx = doc.components.schemas.Pbx as { properties: object };
    expect(pbx.properties).to.not.have.any.keys('pin', 'phoneAdminPassword');
    const group = doc.components.schemas.RingGroup as { properties: { strategy: { enum: string[] } } };
    expect(group.properties.strategy.enum).to.deep.equal(['simultaneous', 'sequential']);
    const create = doc.components.schemas.ExtensionCreate as { required: string[]; properties: object };
    expect(create.required).to.have.members(['number', 'e911LocationId', 'name']);
    expect(create.properties).to.not.have.property('sipPassword');
    const box = doc.components.schemas.MailboxCreate as { properties: { password: { writeOnly: boolean } } };
    expect(box.properties.password.writeOnly).to.equal(true);
  });

  it('accepts, as request bodies, the inputs the services accept', async function () {
    this.timeout(120_000);
    for (const k of kindApis().filter((x) => x.creatable && x.kind.name !== 'devices'))
      expectValid(schema(`${k.entityName}Create`), await validInput(k.kind.name, w.fx), `${k.kind.name} create body`);
  });

  it('matches live answers of every kind: POST, GET one, GET a page, PATCH', async function () {
    this.timeout(120_000);
    const t = { token: w.tokens.adminA };
    await insertAudio(w.fx, w.fx.a, 1000);
    for (const k of kindApis()) {
      const name = k.kind.name;
      let id: number;
      if (name === 'devices') {
        const body = { mac: '00:04:f2:00:bb:02', profileId: 'yealink-t54w', extensionIds: [w.fx.a.ext['202'].id] };
        const made = await w.call('POST', `${A}/devices`, { ...t, body });
        expect(made.status, made.text).to.equal(201);
        expectValid(schema('DeviceCreated'), made.json, 'devices POST');
        id = made.json.id;
      } else if (k.creatable) {
        const made = await w.call('POST', `${A}/${name}`, { ...t, body: await validInput(name, w.fx) });
        expect(made.status, `${name}: ${made.text}`).to.equal(201);
        expectValid(schema(k.entityName), made.json, `${name} POST`);
        id = made.json.id;
      } else id = (await w.call('GET', `${A}/${name}`, t)).json.items[0].id;
      const one = await w.call('GET', `${A}/${name}/${id}`, t);
      expectValid(schema(k.entityName), one.json, `${name} GET one`);
      const page = await w.call('GET', `${A}/${name}?limit=3`, t);
      expectValid(schema(`${k.entityName}Page`), page.json, `${name} GET page`);
      expect(page.json.items.length, name).to.be.greaterThan(0);
      if (k.updatable) {
        const patched = await w.call('PATCH', `${A}/${name}/${id}`, { ...t, body: {} });
        expect(patched.status, `${name}: ${patched.text}`).to.equal(200);
        expectValid(schema(k.entityName), patched.json, `${name} PATCH`);
      }
    }
  });

  it('matches live answers of the PBX, /me and the errors', async function () {
    this.timeout(120_000);
    const t = { token: w.tokens.adminA };
    expectValid(schema('Pbx'), (await w.call('GET', A, t)).json, 'PBX');
    expectValid(schema('PbxPage'), (await w.call('GET', '/api/v1/pbxs', t)).json, 'PBX list');
    expectValid(schema('Me'), (await w.call('GET', '/api/v1/me', t)).json, 'me');
    expectValid(schema('Pbx'), (await w.call('PATCH', A, { ...t, body: { name: 'Renamed A' } })).json, 'PBX PATCH');
    const invalid = await w.call('POST', `${A}/holidays`, { ...t, body: { name: '' } });
    expectValid(schema('ValidationFailure'), invalid.json, '422');
    const conflict = await w.call('DELETE', `${A}/mailboxes/${w.fx.a.ext['201'].mailboxId}`, t);
    expect(conflict.status).to.equal(409);
    expectValid(schema('Conflict'), conflict.json, '409');
    for (const r of [
      await w.call('GET', `${A}/extensions/999999`, t),
      await w.call('GET', `${A}/extensions`),
      await w.call('GET', `${A}/trunks`, { token: w.tokens.limitedA }),
      await w.call('POST', `${A}/holidays`, { ...t, raw: 'x', headers: { 'content-type': 'text/plain' } }),
    ])
      expectValid(schema('Error'), r.json, `${r.status}`);
  });
});
