// Precedence: parameter lists, duplicate resolution, and template layering model -> family -> base on both vendors.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { createRenderer, loadProvisioningTemplates, TemplateError } from '../../src/provisioning/render/index';
import { parseParamList, resolveParams } from '../../src/provisioning/render/param-list';
import { renderParams } from '../../src/provisioning/render/templates';
import type { FirmwareProfile } from '../../src/vendors/firmware-profile';
import { polycomParams, renderer, richConfig, t54w, vvx450, yealinkParams } from './render-fixtures';

describe('provisioning render: parameter lists', () => {
  it('reads `name = value` lines, skipping blanks and # comments, keeping = inside values', () => {
    const params = parseParamList('# comment\n\n a.b = 1 \nc.d=x=y\r\ne.f =\n', 't');
    expect(params).to.deep.equal([
      { name: 'a.b', value: '1' },
      { name: 'c.d', value: 'x=y' },
      { name: 'e.f', value: '' },
    ]);
  });

  it('rejects a line that is not a parameter (template bug) with its position', () => {
    expect(() => parseParamList('a = 1\nnot a parameter\n', 'x.hbs')).to.throw(TemplateError, 'x.hbs:2');
    expect(() => parseParamList('= 1\n', 'x.hbs')).to.throw(TemplateError);
  });

  const list = [
    { name: 'a', value: 'first' },
    { name: 'b', value: 'only' },
    { name: 'a', value: 'second' },
    { name: 'a', value: 'third' },
  ];

  it('first-wins (Polycom) keeps the first value at the first position', () => {
    expect(resolveParams(list, 'first-wins')).to.deep.equal([
      { name: 'a', value: 'first' },
      { name: 'b', value: 'only' },
    ]);
  });

  it('last-wins (Yealink) keeps the last value at the first position', () => {
    expect(resolveParams(list, 'last-wins')).to.deep.equal([
      { name: 'a', value: 'third' },
      { name: 'b', value: 'only' },
    ]);
  });

  it('a vendor key function keeps repeatable parameters apart (Yealink user_password per user)', () => {
    const keyOf = (p: { name: string; value: string }) => `${p.name} ${p.value.split(':')[0]}`;
    const resolved = resolveParams(
      [
        { name: 'static.security.user_password', value: 'user:1' },
        { name: 'static.security.user_password', value: 'admin:2' },
        { name: 'static.security.user_password', value: 'admin:3' },
      ],
      'last-wins',
      keyOf,
    );
    expect(resolved.map((p) => p.value)).to.deep.equal(['user:1', 'admin:3']);
  });

  it('the phones read our files with their own precedence: per-phone beats common on both vendors', () => {
    // Polycom reads CONFIG_FILES left to right (<mac>-user.cfg first), first occurrence wins.
    const polyPhone = polycomParams(
      renderer.renderFile({ file: 'polycom-phone', config: richConfig(vvx450, '0004f2a1b2c3'), profile: vvx450 }).body,
    );
    const polyCommon = polycomParams(renderer.renderFile({ file: 'polycom-common', profile: vvx450 }).body);
    const polyRead = resolveParams(
      [...polyPhone, ...polyCommon, ['call.callWaiting.enable', 'common-value']].map(([name, value]) => ({
        name,
        value,
      })),
      'first-wins',
    );
    expect(polyRead.find((p) => p.name === 'call.callWaiting.enable')?.value).to.equal('1');
    // Yealink reads y0000000000XX.cfg then <mac>.cfg, later value wins.
    const yeaCommon = yealinkParams(renderer.renderFile({ file: 'yealink-common', profile: t54w }).body);
    const yeaPhone = yealinkParams(
      renderer.renderFile({ file: 'yealink-phone', config: richConfig(t54w, '805ec0123456'), profile: t54w }).body,
    );
    const yeaRead = resolveParams(
      [['call_waiting.enable', 'common-value'], ...yeaCommon, ...yeaPhone].map(([name, value]) => ({ name, value })),
      'last-wins',
    );
    expect(yeaRead.find((p) => p.name === 'call_waiting.enable')?.value).to.equal('1');
  });
});

describe('provisioning render: template layering model -> family -> base', () => {
  let root: string;
  const fake = (vendor: 'polycom' | 'yealink'): FirmwareProfile => ({
    ...(vendor === 'polycom' ? vvx450 : t54w),
    id: `${vendor}-fake1`,
    family: 'fam',
  });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'dialtone-templates-'));
    for (const vendor of ['polycom', 'yealink']) {
      write(`${vendor}/base/common.hbs`, 'a = base\nb = base\nc = base\nd = base\n');
      write(`${vendor}/families/fam/common.hbs`, 'b = family\nc = family\n');
      write(`${vendor}/models/${vendor}-fake1/common.hbs`, 'c = model\ne = model-only\n');
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const [vendor, precedence] of [
    ['polycom', 'first-wins'],
    ['yealink', 'last-wins'],
  ] as const) {
    it(`${vendor} (${precedence}): the most specific layer wins, others fall through`, () => {
      const templates = loadProvisioningTemplates(root);
      const params = Object.fromEntries(
        renderParams(templates, vendor, 'common', fake(vendor), {}, precedence).map((p) => [p.name, p.value]),
      );
      expect(params).to.deep.equal({ a: 'base', b: 'family', c: 'model', d: 'base', e: 'model-only' });
    });

    it(`${vendor}: a profile without overrides gets the base layer only`, () => {
      const templates = loadProvisioningTemplates(root);
      const plain = { ...fake(vendor), id: `${vendor}-other`, family: 'other' };
      const params = renderParams(templates, vendor, 'common', plain, {}, precedence);
      expect(params.map((p) => p.value)).to.deep.equal(['base', 'base', 'base', 'base']);
    });
  }

  it('the rendered files carry the override (Polycom XML and Yealink cfg)', () => {
    const r = createRenderer(loadProvisioningTemplates(root));
    expect(polycomParams(r.renderFile({ file: 'polycom-common', profile: fake('polycom') }).body).get('c')).to.equal(
      'model',
    );
    expect(yealinkParams(r.renderFile({ file: 'yealink-common', profile: fake('yealink') }).body).get('c')).to.equal(
      'model',
    );
  });

  it('a missing base template or a misspelt field is a TemplateError / render error, not a silent empty file', () => {
    const templates = loadProvisioningTemplates(root);
    expect(() => renderParams(templates, 'polycom', 'nothing', null, {}, 'first-wins')).to.throw(
      TemplateError,
      'polycom/base/nothing.hbs',
    );
    write('polycom/base/typo.hbs', 'a = {{misspelt}}\n');
    expect(() => renderParams(loadProvisioningTemplates(root), 'polycom', 'typo', null, {}, 'first-wins')).to.throw(
      /misspelt/,
    );
  });
});
