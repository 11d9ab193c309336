// Field primitives: every rule the object rules are built from, as tables of accepted and refused values.
import { expect } from 'chai';
import { ValidationError } from '../../src/domain/errors';
import { Fields, isTimeZone, outsideNumberProblem } from '../../src/domain/validate';

/** Runs one primitive on {v: value}; returns the parsed value and the message for `v` (or undefined). */
function run<T>(value: unknown, read: (f: Fields) => T): { out: T; error: string | undefined } {
  const f = new Fields({ v: value });
  const out = read(f);
  return { out, error: f.errors.v };
}

const LONG = 'x'.repeat(10 * 1024);

describe('validate: text (names)', () => {
  const name = (v: unknown) => run(v, (f) => f.text('v', { max: 50 }));
  const accepted: Array<[string, string]> = [
    ['Zoë Ñandú', 'Zoë Ñandú'],
    ['Zoe\u0308 (combining mark)', 'Zoe\u0308 (combining mark)'],
    ["O'Brien & Sons (HQ)", "O'Brien & Sons (HQ)"],
    ['A/R Dept. #2', 'A/R Dept. #2'],
    ['  padded  ', 'padded'],
    ['Front desk: main!', 'Front desk: main!'],
    ['Δελτα Москва 東京', 'Δελτα Москва 東京'],
    ['x'.repeat(50), 'x'.repeat(50)],
  ];
  for (const [input, out] of accepted)
    it(`accepts ${JSON.stringify(input).slice(0, 40)}`, () => {
      expect(name(input)).to.deep.equal({ out, error: undefined });
    });

  const refused: Array<[string, unknown, RegExp]> = [
    ['$' + '{...} (FreeSWITCH variable expansion)', '$' + '{system(id)}', /letters, digits/],
    ['$$' + '{...} (global variable)', '$$' + '{x}', /letters, digits/],
    ['| (application data split)', '1001|bridge', /letters, digits/],
    [', (argument split)', 'a,b', /letters, digits/],
    ['^^: (delimiter change)', '^^:', /letters, digits/],
    ['<x> (markup)', '<x>', /letters, digits/],
    ['double quotes', '"q"', /letters, digits/],
    ['semicolon', 'a;b', /letters, digits/],
    ['backslash', 'a\\b', /letters, digits/],
    ['../ (path)', '../', /letter or digit|\.\.\//],
    ['a/../b (path)', 'a/../b', /\.\.\//],
    ['only punctuation', '...', /letter or digit/],
    ['line feed', 'a\nb', /letters, digits/],
    ['carriage return', 'a\rb', /letters, digits/],
    ['tab', 'a\tb', /letters, digits/],
    ['NUL', 'a\u0000b', /letters, digits/],
    ['emoji', 'Pizza 🍕', /letters, digits/],
    ['right-to-left override', 'abc\u202Edef', /letters, digits/],
    ['zero-width joiner', 'a\u200Db', /letters, digits/],
    ['10 kB', LONG, /at most 50 characters/],
    ['51 characters', 'x'.repeat(51), /at most 50 characters/],
    ['empty', '', /is required/],
    ['spaces only', '   ', /is required/],
    ['null', null, /is required/],
    ['a number', 42, /must be text/],
    ['a boolean', true, /must be text/],
    ['an object', { a: 1 }, /must be text/],
    ['an array', ['Alice'], /must be text/],
  ];
  for (const [what, input, message] of refused)
    it(`refuses ${what}`, () => {
      expect(name(input).error).to.match(message);
    });

  it('optionalText: empty and null mean "none", anything else follows the name rule', () => {
    expect(run('', (f) => f.optionalText('v', 15))).to.deep.equal({ out: null, error: undefined });
    expect(run(null, (f) => f.optionalText('v', 15))).to.deep.equal({ out: null, error: undefined });
    expect(run('x'.repeat(16), (f) => f.optionalText('v', 15)).error).to.match(/at most 15/);
    expect(run('$' + '{x}', (f) => f.optionalText('v', 15)).error).to.match(/letters, digits/);
    expect(run(7, (f) => f.optionalText('v', 15)).error).to.match(/must be text/);
  });
});

describe('validate: digits', () => {
  const digits = (v: unknown) => run(v, (f) => f.digits('v', { min: 2, max: 6 }));
  const table: Array<[unknown, string | RegExp]> = [
    ['12', '12'],
    ['123456', '123456'],
    [' 201 ', '201'],
    [201, '201'],
    ['0201', '0201'],
    ['1', /2 to 6 digits/],
    ['1234567', /2 to 6 digits/],
    ['12a', /digits only/],
    ['-12', /digits only/],
    ['12.5', /digits only/],
    [12.5, /digits only/],
    [-1, /digits only/],
    [1e21, /digits only/],
    ['１２３', /digits only/],
    ['1001|bridge', /digits only/],
    ['', /is required/],
    [null, /is required/],
    [['201'], /must be text/],
    [{ n: '201' }, /must be text/],
    [true, /must be text/],
  ];
  for (const [input, expected] of table)
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      const r = digits(input);
      if (typeof expected === 'string') expect(r).to.deep.equal({ out: expected, error: undefined });
      else expect(r.error).to.match(expected);
    });

  it('says "must be N digits" when the length is fixed', () => {
    expect(run('12', (f) => f.digits('v', { min: 3, max: 3 })).error).to.equal('must be 3 digits');
  });

  it('optionalDigits: empty is none', () => {
    expect(run('', (f) => f.optionalDigits('v', 3, 3)).out).to.equal(null);
    expect(run('21', (f) => f.optionalDigits('v', 3, 3)).error).to.equal('must be 3 digits');
  });
});

describe('validate: outside phone numbers (E.164 or NANP)', () => {
  const phone = (v: unknown) => run(v, (f) => f.phoneNumber('v'));
  const accepted: Array<[unknown, string]> = [
    ['3125550100', '3125550100'],
    ['13125550100', '13125550100'],
    ['+1 (312) 555-0100', '13125550100'],
    ['312.555.0100', '3125550100'],
    ['+44 20 7946 0958', '442079460958'],
    ['491711234567890', '491711234567890'],
    [3125550100, '3125550100'],
  ];
  for (const [input, out] of accepted)
    it(`accepts ${JSON.stringify(input)} as ${out}`, () => {
      expect(phone(input)).to.deep.equal({ out, error: undefined });
    });
  const refused: Array<[unknown, RegExp]> = [
    ['312555010', /10 to 15 digits/],
    ['4917112345678901', /10 to 15 digits/],
    ['0312555010', /must not start with 0/],
    ['1125550100', /area code starting 2-9/],
    ['11125550100', /after the leading 1/],
    ['312555\n0100', /10 to 15 digits/],
    ['3125550100|bridge', /10 to 15 digits/],
    ['3125550100,1', /10 to 15 digits/],
    ['$' + '{x}', /10 to 15 digits/],
    ['', /is required/],
    [['3125550100'], /must be text/],
  ];
  for (const [input, message] of refused)
    it(`refuses ${JSON.stringify(input)}`, () => {
      expect(phone(input).error).to.match(message);
    });

  it('outsideNumberProblem is the one rule for typed numbers and outside-number destinations', () => {
    expect(outsideNumberProblem('2125550100')).to.equal(null);
    expect(outsideNumberProblem('212555010')).to.match(/10 to 15/);
  });
});

describe('validate: whole numbers in a range', () => {
  const secs = (v: unknown) => run(v, (f) => f.int('v', { min: 5, max: 120, fallback: 20 }));
  const table: Array<[unknown, number | RegExp]> = [
    [5, 5],
    [120, 120],
    ['30', 30],
    [' 30 ', 30],
    ['', 20],
    [null, 20],
    [4, /between 5 and 120/],
    [121, /between 5 and 120/],
    [-1, /between 5 and 120/],
    ['9'.repeat(20), /between 5 and 120/],
    [1.5, /whole number/],
    ['1.5', /whole number/],
    ['1e2', /whole number/],
    ['30s', /whole number/],
    [Number.NaN, /whole number/],
    [Number.POSITIVE_INFINITY, /whole number/],
    [true, /whole number/],
    [[30], /whole number/],
    [{ v: 30 }, /whole number/],
    ['$' + '{x}', /whole number/],
  ];
  for (const [input, expected] of table)
    it(`${String(JSON.stringify(input)).slice(0, 30)} -> ${expected}`, () => {
      const r = secs(input);
      if (typeof expected === 'number') expect(r).to.deep.equal({ out: expected, error: undefined });
      else expect(r.error).to.match(expected);
    });

  it('is required when there is no fallback', () => {
    expect(run('', (f) => f.int('v', { min: 1, max: 2 })).error).to.equal('is required');
  });
});

describe('validate: yes/no, choices, email, slug, host', () => {
  it('bool reads the usual spellings and refuses anything else', () => {
    for (const v of [true, 'true', '1', 'yes', 'on', 1]) expect(run(v, (f) => f.bool('v')).out).to.equal(true);
    for (const v of [false, 'false', '0', 'no', 'off', 0]) expect(run(v, (f) => f.bool('v', true)).out).to.equal(false);
    expect(run('', (f) => f.bool('v', true)).out).to.equal(true);
    for (const v of ['maybe', 2, {}, ['yes']]) expect(run(v, (f) => f.bool('v')).error).to.equal('must be yes or no');
  });

  it('oneOf lists the choices, and uses the fallback only when empty', () => {
    const pick = (v: unknown) => run(v, (f) => f.oneOf('v', ['a', 'b'] as const, 'a'));
    expect(pick('b')).to.deep.equal({ out: 'b', error: undefined });
    expect(pick('')).to.deep.equal({ out: 'a', error: undefined });
    expect(pick('c').error).to.equal('must be one of: a, b');
    expect(pick(['b']).error).to.equal('must be text');
  });

  it('email', () => {
    const email = (v: unknown) => run(v, (f) => f.email('v'));
    expect(email('alice@example.com')).to.deep.equal({ out: 'alice@example.com', error: undefined });
    expect(email('')).to.deep.equal({ out: null, error: undefined });
    for (const bad of ['alice', 'a@b', 'a b@c.com', 'a,b@c.com', 'a@b.com\nBcc: x@y.com', '"q"@x.com', 'zoë@x.com'])
      expect(email(bad).error, bad).to.equal('must be a valid email address');
  });

  it('slug (PBX context, trunk name)', () => {
    const slug = (v: unknown) => run(v, (f) => f.slug('v', 32));
    expect(slug('acme_2')).to.deep.equal({ out: 'acme_2', error: undefined });
    for (const bad of ['Acme', 'a-b', 'a b', '../x', 'x'.repeat(33), '$' + '{x}'])
      expect(slug(bad).error, bad).to.match(/a-z, 0-9 and _/);
    expect(slug('').error).to.equal('is required');
  });

  it('host (SIP domain, trunk host)', () => {
    const host = (v: unknown) => run(v, (f) => f.host('v'));
    expect(host('SIP.Example.com')).to.deep.equal({ out: 'sip.example.com', error: undefined });
    expect(host('192.0.2.10')).to.deep.equal({ out: '192.0.2.10', error: undefined });
    for (const bad of ['a..b', '-a.com', 'a_b.com', 'a b', 'x.com;rm', '$' + '{x}.com', 'zoë.com'])
      expect(host(bad).error, bad).to.equal('must be a host name or IPv4 address');
  });
});

describe('validate: time zones, times, dates', () => {
  const tz = (v: unknown) => run(v, (f) => f.timezone('v'));
  for (const [input, out] of [
    ['America/New_York', 'America/New_York'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Europe/Paris', 'Europe/Paris'],
    ['UTC', 'UTC'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['america/new_york', 'America/New_York'],
    ['utc', 'UTC'],
  ])
    it(`accepts ${input} as ${out}`, () => {
      expect(tz(input)).to.deep.equal({ out, error: undefined });
    });
  for (const bad of [
    'Mars/Olympus',
    'New York',
    '+05:00',
    'America/New_York\n',
    '../etc/passwd',
    '$' + '{x}',
    'EST'.repeat(30),
  ])
    it(`refuses ${JSON.stringify(bad)}`, () => {
      // "America/New_York\n" is trimmed and valid; the others are not zones.
      const r = tz(bad);
      if (bad === 'America/New_York\n') expect(r.out).to.equal('America/New_York');
      else expect(r.error).to.equal('must be an IANA time zone such as America/New_York');
    });
  it('is required', () => {
    expect(tz('').error).to.equal('is required');
    expect(isTimeZone('Nowhere/Else')).to.equal(false);
  });

  it('time HH:MM, 24:00 allowed as an end', () => {
    const time = (v: unknown) => run(v, (f) => f.time('v', '08:00'));
    expect(time('09:30').out).to.equal('09:30');
    expect(time('24:00').out).to.equal('24:00');
    expect(time('').out).to.equal('08:00');
    for (const bad of ['9:30', '24:01', '12:60', '25:00', '09:30:00', 'noon'])
      expect(time(bad).error, bad).to.match(/HH:MM/);
  });

  it('date YYYY-MM-DD that exists on the calendar', () => {
    const date = (v: unknown) => run(v, (f) => f.date('v'));
    expect(date('2028-02-29').out).to.equal('2028-02-29');
    for (const bad of ['2027-02-29', '2027-13-01', '2027-1-1', '01/01/2027', '2027-01-01T00:00'])
      expect(date(bad).error, bad).to.match(/YYYY-MM-DD/);
    expect(date('').error).to.equal('is required');
  });
});

describe('validate: ids and id lists', () => {
  it('optionalId takes a number or digit text, nothing else', () => {
    const id = (v: unknown) => run(v, (f) => f.optionalId('v'));
    expect(id(7)).to.deep.equal({ out: 7, error: undefined });
    expect(id('7')).to.deep.equal({ out: 7, error: undefined });
    expect(id('')).to.deep.equal({ out: null, error: undefined });
    expect(id(null)).to.deep.equal({ out: null, error: undefined });
    for (const bad of [[7], ['7'], { id: 7 }, true, 1.5, -1, '7a', '1 or 1=1', '9'.repeat(20)])
      expect(id(bad).error, JSON.stringify(bad)).to.equal('must be an id');
  });

  it('idList takes a list or comma text of ids, without repeats', () => {
    const list = (v: unknown) => run(v, (f) => f.idList('v', 3));
    expect(list([1, '2'])).to.deep.equal({ out: [1, 2], error: undefined });
    expect(list('1, 2')).to.deep.equal({ out: [1, 2], error: undefined });
    expect(list('')).to.deep.equal({ out: [], error: undefined });
    expect(list([1, 1]).error).to.equal('lists an item twice');
    for (const bad of [[1, 2, 3, 4], [[1]], [{ id: 1 }], [true], 'a,b', '1|2', { 0: 1 }, 7])
      expect(list(bad).error, JSON.stringify(bad)).to.equal('must be a list of ids');
  });
});

describe('validate: Fields as a whole', () => {
  it('reads the saved value for fields a partial update leaves out, and the new value when given', () => {
    const f = new Fields({ name: 'New', email: null }, { name: 'Old', number: '201', email: 'a@b.co' });
    expect(f.raw('name')).to.equal('New');
    expect(f.raw('number')).to.equal('201');
    expect(f.raw('email'), 'null clears').to.equal(null);
    expect(new Fields({ name: undefined }, { name: 'Old' }).raw('name'), 'undefined is "not sent"').to.equal('Old');
  });

  it('collects every error and throws them together, first message per field', () => {
    const f = new Fields({ a: '', b: 'x' });
    f.text('a', { max: 5 });
    f.digits('b', { min: 1, max: 2 });
    f.fail('b', 'second message is ignored');
    let err: unknown;
    try {
      f.done();
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).fields).to.deep.equal({ a: 'is required', b: 'must contain digits only' });
    expect((err as ValidationError).message).to.equal('a: is required; b: must contain digits only');
  });

  it('never throws a TypeError for input that is not a plain object of fields', () => {
    for (const input of [[], Object.create(null), { __proto__: { name: 'inherited' } }]) {
      const f = new Fields(input as Record<string, unknown>);
      expect(f.text('name', { max: 10 })).to.equal('');
      expect(f.errors.name).to.equal('is required');
    }
  });
});

describe('validate: a number is not a slug or host name', () => {
  it('refuses numbers and lists where a context, trunk name or host is typed', () => {
    expect(run(42, (f) => f.slug('v', 32)).error).to.equal('must be text');
    expect(run(42, (f) => f.host('v')).error).to.equal('must be text');
    expect(run(['acme'], (f) => f.slug('v', 32)).error).to.equal('must be text');
    expect(run({ host: 'a.com' }, (f) => f.host('v')).error).to.equal('must be text');
  });
});
