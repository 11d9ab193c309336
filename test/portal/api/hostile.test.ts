// Hostile request bodies: every hostile text and wrong shape in a field of every kind, JSON that tries the parser
// (prototype keys, deep nesting, huge numbers, NUL escapes), oversized and compressed bodies. Each gets a 4xx naming
// what is wrong — never a 500 — and nothing stored changes.
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { kindApis } from '../../../src/portal/api/kind-api';
import { HOSTILE_TEXT, WRONG_SHAPES } from '../../domain/hostile-values';
import { forEachEngine } from '../../helpers/databases';
import { validInput } from '../../services/fixture';
import { stored } from '../../services/support';
import { type ApiWorld, openApiWorld } from './api-world';

forEachEngine('API hostile bodies', (engine) => {
  let w: ApiWorld;
  let snapshot: string;
  const A = '/api/v1/pbxs/pbx_a';
  const inputs: Record<string, Record<string, unknown>> = {};
  const json = { 'content-type': 'application/json' };

  before(async function () {
    this.timeout(120_000);
    w = await openApiWorld(engine);
    for (const k of kindApis())
      if (k.creatable && k.kind.name !== 'devices') inputs[k.kind.name] = await validInput(k.kind.name, w.fx);
    inputs.devices = { mac: '00:04:f2:00:dd:01', profileId: 'polycom-vvx450', extensionIds: [w.fx.a.ext['201'].id] };
    snapshot = await stored(w.fx.s, w.fx.pbxIds);
  });
  after(async () => w?.close());

  it('a hostile text or a wrong shape in a typed field of every kind: 422 naming it, on create and update', async function () {
    this.timeout(300_000);
    // Every field × every value is the service suite's job (test/services/hostile-input.test.ts); here, per kind, the
    // values that test what HTTP adds: variables, markup, line breaks, size, and JSON shapes a form cannot send.
    const picked = [
      'FreeSWITCH variable',
      'markup',
      'line feed',
      'NUL',
      '10 kB of text',
      'an object',
      'an array of text',
    ];
    const values = [...HOSTILE_TEXT, ...WRONG_SHAPES].filter(([what]) => picked.includes(what));
    expect(values).to.have.length(picked.length);
    for (const [kind, input] of Object.entries(inputs)) {
      const field = ['name', 'label', 'number'].find(
        (f) => f in input || (kind === 'devices' && f === 'label'),
      ) as string;
      const existing = (await w.fx.s.objects.list({ kind: 'system' }, w.fx.a.pbx.id, kind))[0];
      for (const [what, value] of values) {
        const r = await w.call('POST', `${A}/${kind}`, { token: w.tokens.adminA, body: { ...input, [field]: value } });
        expect(r.status, `${kind}.${field} ${what}: ${r.text.slice(0, 200)}`).to.equal(422);
        expect(r.json.fields, `${kind}.${field} ${what}`).to.have.property(field);
        if (!existing || !['markup', 'an object'].includes(what)) continue;
        const u = await w.call('PATCH', `${A}/${kind}/${existing.id}`, {
          token: w.tokens.adminA,
          body: { [field]: value },
        });
        expect(u.status, `PATCH ${kind}.${field} ${what}`).to.equal(422);
      }
    }
    expect(await stored(w.fx.s, w.fx.pbxIds)).to.equal(snapshot);
  });

  it('JSON aimed at the parser: prototype keys, deep nesting, huge numbers, NUL escapes, duplicate keys', async function () {
    this.timeout(120_000);
    const t = { token: w.tokens.adminA, headers: json };
    const cases: Array<[string, string]> = [
      ['__proto__ key', '{"__proto__": {"isAdmin": true}, "name": "P", "date": "2034-01-01"}'],
      ['constructor key', '{"constructor": {"prototype": {"x": 1}}, "name": "P", "date": "2034-01-01"}'],
      ['nested __proto__', '{"name": {"__proto__": {"x": 1}}, "date": "2034-01-01"}'],
      ['deep nesting', `{"name": ${'['.repeat(20000)}${']'.repeat(20000)}, "date": "2034-01-01"}`],
      ['huge number', '{"name": "P", "date": 1e400}'],
      ['NUL escape', '{"name": "a\\u0000b", "date": "2034-01-01"}'],
      ['lone surrogate', '{"name": "a\\ud800b", "date": "2034-01-01"}'],
      ['duplicate keys', '{"name": "P", "name": "<x>", "date": "2034-01-01"}'],
      ['top-level array', '[{"name": "P", "date": "2034-01-01"}]'],
      ['top-level string', '"name"'],
      ['empty body', ''],
      ['trailing garbage', '{"name": "P", "date": "2034-01-01"} x'],
    ];
    for (const [what, raw] of cases) {
      const r = await w.call('POST', `${A}/holidays`, { ...t, raw });
      expect([400, 422], `${what}: ${r.status} ${r.text.slice(0, 200)}`).to.include(r.status);
      expect(r.json?.error, what).to.be.oneOf(['validation', 'bad_json']);
    }
    expect(({} as Record<string, unknown>).isAdmin).to.equal(undefined);
    const id = w.fx.a.ext['201'].id;
    const patch = await w.call('PATCH', `${A}/extensions/${id}`, { ...t, raw: '{"__proto__": {"number": "999"}}' });
    expect(patch.status).to.equal(422);
    expect(patch.json.fields).to.have.property('__proto__');
    expect(await stored(w.fx.s, w.fx.pbxIds)).to.equal(snapshot);
  });

  it('oversized bodies are 413 before anything is parsed, also when compressed small', async function () {
    this.timeout(120_000);
    const t = { token: w.tokens.adminA };
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), date: '2034-01-01' });
    const plain = await w.call('POST', `${A}/holidays`, { ...t, raw: big, headers: json });
    expect(plain.status).to.equal(413);
    const bomb = gzipSync(Buffer.from(big));
    expect(bomb.length).to.be.below(64 * 1024);
    const zipped = await w.call('POST', `${A}/holidays`, {
      ...t,
      raw: bomb,
      headers: { ...json, 'content-encoding': 'gzip' },
    });
    expect(zipped.status).to.equal(413);
    const keys = `{${Array.from({ length: 5000 }, (_, i) => `"k${i}": 1`).join(',')}}`;
    const many = await w.call('POST', `${A}/holidays`, { ...t, raw: keys, headers: json });
    expect(many.status).to.equal(422);
    expect(Object.keys(many.json.fields).length).to.be.at.most(20);
    const longKey = await w.call('POST', `${A}/holidays`, { ...t, body: { ['k'.repeat(20000)]: 1 } });
    expect(longKey.status).to.equal(422);
    expect(longKey.text.length).to.be.below(1000);
    expect(await stored(w.fx.s, w.fx.pbxIds)).to.equal(snapshot);
  });

  it('hostile paths and query strings: 404 or 422, never 500', async () => {
    const t = { token: w.tokens.adminA };
    for (const path of [
      `${A}/extensions/..%2f..%2fpbxs`,
      `${A}/%24%7Bsystem(id)%7D`,
      '/api/v1/pbxs/%00/extensions',
      `/api/v1/pbxs/${'a'.repeat(5000)}/extensions`,
      `${A}/extensions/${'9'.repeat(40)}`,
      `${A}/extensions?limit=1e3`,
    ]) {
      const r = await w.call('GET', path, t);
      expect([404, 422], `${path.slice(0, 80)}: ${r.status}`).to.include(r.status);
    }
    // Query strings are parsed flat: "cursor[$gt]" is just an unknown parameter, never an object reaching a query.
    for (const q of ['cursor[$gt]=0', 'limit[]=1', 'cursor[0]=1']) {
      const r = await w.call('GET', `${A}/extensions?${q}`, t);
      expect(r.status, q).to.equal(200);
      expect(r.json.items.length, q).to.be.greaterThan(0);
    }
  });
});
