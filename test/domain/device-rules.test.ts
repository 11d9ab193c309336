// Device (desk phone) field rules through parseDevice: MAC forms, model, lines, line keys, hostile labels and numbers.
import { expect } from 'chai';
import { normaliseMac, parseDevice } from '../../src/domain/rules/device-user-rules';
import { Fields } from '../../src/domain/validate';
import { HOSTILE_TEXT, UNICODE_NAME, WRONG_SHAPES } from './hostile-values';
import { ext, snapshot } from './snapshot-fixture';

const PROFILES = new Set(['yealink-t54w', 'polycom-vvx450']);
const snap = snapshot({
  extensions: [ext(1, '201'), ext(2, '202')],
  devices: [{ id: 40, mac: '0004f2aaaaaa', extensionIds: [1], lineKeys: [] }],
});
const BASE = { mac: '00:04:f2:ab:cd:ef', profileId: 'polycom-vvx450', extensionIds: [1] };

function parse(input: Record<string, unknown>, id: number | null = null) {
  const f = new Fields({ ...BASE, ...input });
  const out = parseDevice(f, snap, id, PROFILES);
  return { out, errors: f.errors };
}

describe('device rules: MAC address', () => {
  for (const form of ['00:04:f2:ab:cd:ef', '00-04-F2-AB-CD-EF', '0004.f2ab.cdef', '0004F2ABCDEF', ' 0004f2abcdef '])
    it(`normalises ${JSON.stringify(form)}`, () => {
      expect(normaliseMac(form)).to.equal('0004f2abcdef');
      expect(parse({ mac: form })).to.deep.include({ errors: {} });
    });
  for (const bad of [
    '00:04:f2:ab:cd',
    '00:04:f2:ab:cd:eg',
    '000000000000',
    'ff:ff:ff:ff:ff:ff',
    '../0004f2abcdef',
    '0004f2abcdef|x',
    '0004f2abcdef\n',
    '',
    null,
    ['0004f2abcdef'],
    0x0004f2abcdef,
  ])
    it(`refuses ${JSON.stringify(bad)}`, () => {
      if (bad === '0004f2abcdef\n')
        expect(parse({ mac: bad }).errors).to.deep.equal({}); // trailing newline is trimmed
      else expect(parse({ mac: bad }).errors.mac).to.match(/must be a MAC address/);
    });
  it('refuses a MAC already registered in this PBX, but not the device itself', () => {
    expect(parse({ mac: '0004f2aaaaaa' }).errors.mac).to.equal('this phone is already registered');
    expect(parse({ mac: '0004f2aaaaaa' }, 40).errors).to.deep.equal({});
  });
});

describe('device rules: model and lines', () => {
  it('the model must be a known firmware profile, named in the message', () => {
    expect(parse({ profileId: 'yealink-t54w' }).errors).to.deep.equal({});
    for (const bad of ['cisco-7960', '', null, ['polycom-vvx450'], '../polycom-vvx450', 'polycom-vvx450\u0000']) {
      const e = parse({ profileId: bad }).errors.profileId;
      expect(e, JSON.stringify(bad)).to.match(/unknown phone model|must be text/);
    }
    expect(parse({ profileId: 'x' }).errors.profileId).to.equal(
      'unknown phone model; known: polycom-vvx450, yealink-t54w',
    );
  });

  it('needs a line-1 extension, each one of this PBX, at most 16', () => {
    expect(parse({ extensionIds: [] }).errors.extensionIds).to.equal('select the extension of line 1');
    expect(parse({ extensionIds: [1, 99] }).errors.extensionIds).to.equal('extension #99 does not exist in this PBX');
    expect(parse({ extensionIds: Array.from({ length: 17 }, (_, i) => i + 1) }).errors.extensionIds).to.equal(
      'must be a list of ids',
    );
    expect(parse({ extensionIds: [[1]] }).errors.extensionIds).to.equal('must be a list of ids');
    expect(parse({ extensionIds: '1,2' }).out.extensionIds).to.deep.equal([1, 2]);
  });

  it('label is an optional name', () => {
    expect(parse({ label: 'Front desk' }).out.label).to.equal('Front desk');
    expect(parse({ label: '' }).out.label).to.equal(null);
    expect(parse({ label: '$' + '{system(id)}' }).errors.label).to.match(/letters, digits/);
    expect(parse({ label: 'x'.repeat(51) }).errors.label).to.match(/at most 50/);
  });
});

describe('device rules: line keys', () => {
  it('accepts BLF, park and speed dial keys', () => {
    const r = parse({
      lineKeys: [
        { type: 'blf', extensionId: 2, label: 'Bob' },
        { type: 'park', slot: 701 },
        { type: 'speed_dial', number: '*98', label: 'Voicemail' },
      ],
    });
    expect(r.errors).to.deep.equal({});
    expect(r.out.lineKeys).to.deep.equal([
      { type: 'blf', extensionId: 2, label: 'Bob' },
      { type: 'park', slot: 701 },
      { type: 'speed_dial', number: '*98', label: 'Voicemail' },
    ]);
  });

  const refused: Array<[string, unknown, string, RegExp]> = [
    ['not a list', 'blf:2', 'lineKeys', /list of at most 200/],
    ['more than 200 keys', Array.from({ length: 201 }, () => ({ type: 'park', slot: 701 })), 'lineKeys', /at most 200/],
    ['unknown type', [{ type: 'macro' }], 'lineKeys.1.type', /one of: blf, park, speed_dial/],
    ['a key that is not an object', ['blf'], 'lineKeys.1.type', /one of/],
    ['a null key', [null], 'lineKeys.1.type', /one of/],
    ['BLF of a missing extension', [{ type: 'blf', extensionId: 99 }], 'lineKeys.1.extensionId', /does not exist/],
    ['BLF id in an array', [{ type: 'blf', extensionId: [2] }], 'lineKeys.1.extensionId', /must be an id/],
    ['park slot below the range', [{ type: 'park', slot: 700 }], 'lineKeys.1.slot', /between 701 and 708/],
    ['park slot above the range', [{ type: 'park', slot: 709 }], 'lineKeys.1.slot', /between 701 and 708/],
    ['speed dial with a pipe', [{ type: 'speed_dial', number: '1001|bridge' }], 'lineKeys.1.number', /0-9, \* and #/],
    [
      'speed dial with a variable',
      [{ type: 'speed_dial', number: '$' + '{system(id)}' }],
      'lineKeys.1.number',
      /0-9, \* and #/,
    ],
    ['speed dial number in an array', [{ type: 'speed_dial', number: ['*98'] }], 'lineKeys.1.number', /must be text/],
    ['speed dial too long', [{ type: 'speed_dial', number: '1'.repeat(21) }], 'lineKeys.1.number', /2 to 20/],
    ['hostile key label', [{ type: 'park', slot: 701, label: '<x>' }], 'lineKeys.1.label', /letters, digits/],
    ['key label too long', [{ type: 'park', slot: 701, label: 'x'.repeat(21) }], 'lineKeys.1.label', /at most 20/],
    ['label with a line break', [{ type: 'park', slot: 701, label: 'a\nb' }], 'lineKeys.1.label', /letters, digits/],
  ];
  for (const [what, lineKeys, field, message] of refused)
    it(`refuses ${what} (${field})`, () => {
      expect(parse({ lineKeys }).errors[field]).to.match(message);
    });

  it('numbers the second key as lineKeys.2', () => {
    const r = parse({ lineKeys: [{ type: 'park', slot: 701 }, { type: 'blf' }] });
    expect(Object.keys(r.errors)).to.deep.equal(['lineKeys.2.extensionId']);
  });
});

describe('device rules: every hostile value in every typed field', () => {
  // digits: a JSON number is a fine dial string there, so only text and shapes are hostile.
  const FIELDS: Array<{
    field: string;
    set: (v: unknown) => Record<string, unknown>;
    name?: boolean;
    digits?: boolean;
  }> = [
    { field: 'mac', set: (v) => ({ mac: v }) },
    { field: 'profileId', set: (v) => ({ profileId: v }) },
    { field: 'label', set: (v) => ({ label: v }), name: true },
    { field: 'lineKeys.1.label', set: (v) => ({ lineKeys: [{ type: 'park', slot: 701, label: v }] }), name: true },
    { field: 'lineKeys.1.number', set: (v) => ({ lineKeys: [{ type: 'speed_dial', number: v }] }), digits: true },
    { field: 'lineKeys.1.slot', set: (v) => ({ lineKeys: [{ type: 'park', slot: v }] }) },
    { field: 'lineKeys.1.extensionId', set: (v) => ({ lineKeys: [{ type: 'blf', extensionId: v }] }) },
  ];
  for (const { field, set, name, digits } of FIELDS)
    it(`${field}: refused with a message naming the field`, () => {
      const values: Array<[string, unknown]> = [...HOSTILE_TEXT, ...WRONG_SHAPES];
      if (!digits) values.push(['a number', 42]);
      if (!name) values.push(['unicode', UNICODE_NAME]);
      for (const [what, v] of values) {
        const { errors } = parse(set(v));
        expect(errors[field], `${what}: ${JSON.stringify(errors).slice(0, 200)}`).to.be.a('string');
        expect(errors[field].length).to.be.below(400);
      }
      if (name) expect(parse(set(UNICODE_NAME)).errors).to.deep.equal({});
    });
});
