// Destinations: every kind parses from an object and from "kind:value" text; phone and find_me only in extension routing.
import { expect } from 'chai';
import {
  DESTINATION_KINDS,
  describeDestination,
  isObjectDestination,
  kindAllowed,
  OBJECT_KINDS,
  sameTarget,
} from '../../src/domain/destination';
import { parseDestination } from '../../src/domain/validate';

/** One example per kind: the object form, the text form, and what both parse to. */
const EXAMPLES: Array<{ object: Record<string, unknown>; text: string; parsed: Record<string, unknown> }> = [
  ...OBJECT_KINDS.map((kind) => ({ object: { kind, id: 12 }, text: `${kind}:12`, parsed: { kind, id: 12 } })),
  {
    object: { kind: 'mailbox', id: '7', greeting: 'busy' },
    text: 'mailbox:7:busy',
    parsed: { kind: 'mailbox', id: 7, greeting: 'busy' },
  },
  {
    object: { kind: 'outside_number', number: '+13125550100' },
    text: 'outside_number:13125550100',
    parsed: { kind: 'outside_number', number: '13125550100' },
  },
  { object: { kind: 'custom', value: '*98#' }, text: 'custom:*98#', parsed: { kind: 'custom', value: '*98#' } },
  ...(['company_directory', 'check_voicemail', 'phone', 'find_me', 'hangup'] as const).map((kind) => ({
    object: { kind },
    text: kind,
    parsed: { kind },
  })),
];

describe('destination: parsing every kind', () => {
  it('has an example for every kind', () => {
    expect(new Set(EXAMPLES.map((e) => e.parsed.kind))).to.deep.equal(new Set(DESTINATION_KINDS));
  });

  for (const { object, text, parsed } of EXAMPLES) {
    it(`${text}: from an object and from text`, () => {
      expect(parseDestination(object, 'extension_routing')).to.deep.equal(parsed);
      expect(parseDestination(text, 'extension_routing')).to.deep.equal(parsed);
      expect(parseDestination(` ${text} `, 'extension_routing'), 'surrounding spaces').to.deep.equal(parsed);
    });
  }

  it('keeps only the fields of the kind: extra keys of an object never get stored', () => {
    expect(parseDestination({ kind: 'extension', id: 3, evil: '$' + '{system(id)}' }, 'general')).to.deep.equal({
      kind: 'extension',
      id: 3,
    });
    expect(parseDestination({ kind: 'hangup', value: '1001|bridge' }, 'general')).to.deep.equal({ kind: 'hangup' });
  });
});

describe('destination: where each kind may be used', () => {
  for (const kind of ['phone', 'find_me'] as const) {
    it(`${kind} only in an extension's own routing`, () => {
      expect(kindAllowed(kind, 'extension_routing')).to.equal(true);
      expect(kindAllowed(kind, 'general')).to.equal(false);
      expect(parseDestination(kind, 'general')).to.equal(`${kind} is only available for an extension's own routing`);
      expect(parseDestination({ kind }, 'general')).to.match(/only available for an extension's own routing/);
    });
  }
  it('every other kind everywhere', () => {
    for (const kind of DESTINATION_KINDS.filter((k) => k !== 'phone' && k !== 'find_me'))
      expect(kindAllowed(kind, 'general'), kind).to.equal(true);
  });
});

describe('destination: refusals (a message, never an exception)', () => {
  const table: Array<[string, unknown, RegExp]> = [
    ['nothing', undefined, /is required/],
    ['null', null, /is required/],
    ['a number', 42, /must be a destination/],
    ['a boolean', true, /must be a destination/],
    ['an array', [{ kind: 'hangup' }], /must be a destination/],
    ['empty text', '', /is required/],
    ['spaces only', '  ', /is required/],
    ['an unknown kind', 'voicemail:3', /must be one of/],
    ['kind in capitals', 'EXTENSION:3', /must be one of/],
    ['an object without kind', { id: 3 }, /must be one of/],
    ['kind that is not text', { kind: ['extension'], id: 3 }, /must be one of/],
    ['a prototype name as kind', { kind: 'constructor' }, /must be one of/],
    ['FreeSWITCH variable as kind', '$' + '{system(id)}', /must be one of/],
    ['pipe injection as kind', '1001|bridge', /must be one of/],
    ['an object kind without id', 'extension', /needs the id of its target/],
    ['id that is not digits', 'extension:abc', /needs the id/],
    ['negative id', { kind: 'extension', id: -3 }, /needs the id/],
    ['fractional id', { kind: 'extension', id: 1.5 }, /needs the id/],
    ['id in an array', { kind: 'extension', id: [3] }, /needs the id/],
    ['id as an object', { kind: 'extension', id: { toString: () => '3' } }, /needs the id/],
    ['id too large to count exactly', { kind: 'extension', id: '9'.repeat(20) }, /needs the id/],
    ['SQL in the id', 'extension:1 or 1=1', /needs the id/],
    ['bad mailbox greeting', 'mailbox:3:loud', /greeting must be unavailable or busy/],
    ['greeting injection', { kind: 'mailbox', id: 3, greeting: '$' + '{x}' }, /greeting must be unavailable or busy/],
    ['empty greeting', 'mailbox:3:', /greeting must be unavailable or busy/],
    ['too many parts', 'extension:3:busy', /too many ":" parts/],
    ['a value for a kind that takes none', 'hangup:now', /hangup takes no value/],
    ['short outside number', 'outside_number:5551234', /10 to 15 digits/],
    ['outside number with a pipe', 'outside_number:3125550100|bridge', /10 to 15 digits/],
    ['outside number with a comma', { kind: 'outside_number', number: '3125550100,1' }, /10 to 15 digits/],
    ['outside number in an array', { kind: 'outside_number', number: ['3125550100'] }, /10 to 15 digits/],
    ['outside number starting 0', 'outside_number:0125550100', /must not start with 0/],
    ['NANP area code starting 1', 'outside_number:1125550100', /area code/],
    ['custom with variables', { kind: 'custom', value: '$' + '{system(id)}' }, /1 to 32 of 0-9, \* and #/],
    ['custom with a pipe', 'custom:1001|bridge', /1 to 32 of 0-9/],
    ['custom too long', `custom:${'1'.repeat(33)}`, /1 to 32 of 0-9/],
    ['custom empty', 'custom', /1 to 32 of 0-9/],
  ];
  for (const [what, input, message] of table)
    it(`refuses ${what}`, () => {
      const r = parseDestination(input, 'extension_routing');
      expect(r).to.be.a('string');
      expect(r as string).to.match(message);
      expect((r as string).length).to.be.below(400);
    });
});

describe('destination: helpers', () => {
  it('describes, classifies and compares targets', () => {
    expect(describeDestination({ kind: 'group', id: 4 })).to.equal('group #4');
    expect(describeDestination({ kind: 'outside_number', number: '3125550100' })).to.equal('outside number 3125550100');
    expect(describeDestination({ kind: 'custom', value: '*98' })).to.equal('custom *98');
    expect(describeDestination({ kind: 'hangup' })).to.equal('hangup');
    expect(isObjectDestination({ kind: 'queue', id: 1 })).to.equal(true);
    expect(isObjectDestination({ kind: 'find_me' })).to.equal(false);
    expect(sameTarget({ kind: 'queue', id: 1 }, 'queue', 1)).to.equal(true);
    expect(sameTarget({ kind: 'queue', id: 1 }, 'group', 1)).to.equal(false);
  });
});
