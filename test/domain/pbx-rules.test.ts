// PBX Info and Listen Live rules (pure): context, domain, PIN, time zone, caller ID, features, feature codes, parking.
import { expect } from 'chai';
import { DEFAULT_FEATURE_CODES } from '../../src/domain/model';
import { parseListenLive, parsePbx } from '../../src/domain/rules/other-rules';
import { Fields } from '../../src/domain/validate';
import { ext, snapshot } from './snapshot-fixture';

const BASE = {
  context: 'acme',
  name: 'Acme Dental',
  domain: 'acme.pbx.local',
  pin: '123456',
  timezone: 'America/Chicago',
  phoneAdminPassword: 'Admin12345',
};
const OTHERS = [{ id: 9, context: 'taken', domain: 'taken.pbx.local' }];

function parse(input: Record<string, unknown>, id: number | null = null) {
  const f = new Fields({ ...BASE, ...input });
  const out = parsePbx(f, OTHERS, id);
  return { out, errors: f.errors };
}

describe('PBX rules: general info', () => {
  it('accepts a complete PBX and fills the manual defaults', () => {
    const { out, errors } = parse({});
    expect(errors).to.deep.equal({});
    expect(out).to.deep.include({
      prepaidPaths: 2,
      onDemandPaths: 0,
      directedPickup: true,
      intercom: true,
      sevenDigitDialing: false,
      parkingTimeout: 600,
      internationalCalling: false,
    });
    expect(out.featureCodes).to.deep.equal(DEFAULT_FEATURE_CODES);
  });

  const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['context with capitals', { context: 'Acme' }, 'context', /a-z, 0-9 and _/],
    ['context with a dash', { context: 'acme-1' }, 'context', /a-z, 0-9 and _/],
    ['context too long', { context: 'a'.repeat(33) }, 'context', /1 to 32/],
    ['context taken', { context: 'taken' }, 'context', /already exists/],
    ['context reserved: public', { context: 'public' }, 'context', /reserved by FreeSWITCH/],
    ['context reserved: default', { context: 'default' }, 'context', /reserved/],
    ['domain not a host', { domain: 'acme pbx' }, 'domain', /host name/],
    ['domain taken (any case)', { domain: 'TAKEN.pbx.local' }, 'domain', /already used/],
    ['PIN with letters', { pin: '12ab' }, 'pin', /digits only/],
    ['PIN too short', { pin: '123' }, 'pin', /4 to 12 digits/],
    [
      'phone admin password with symbols',
      { phoneAdminPassword: 'abc$1234' },
      'phoneAdminPassword',
      /letters and digits/,
    ],
    ['phone admin password short', { phoneAdminPassword: 'abc12' }, 'phoneAdminPassword', /6 to 32/],
    ['phone admin password as a number', { phoneAdminPassword: 12345678 }, 'phoneAdminPassword', /letters and digits/],
    ['name hostile', { name: '$' + '{system(id)}' }, 'name', /letters, digits/],
    ['name too long', { name: 'x'.repeat(101) }, 'name', /at most 100/],
    ['time zone unknown', { timezone: 'Mars/Olympus' }, 'timezone', /IANA time zone/],
    ['time zone missing', { timezone: '' }, 'timezone', /required/],
    ['caller ID number short', { callerIdNumber: '5550100' }, 'callerIdNumber', /10 to 15 digits/],
    ['caller ID name 16 characters', { callerIdName: 'x'.repeat(16) }, 'callerIdName', /at most 15/],
    ['caller ID name hostile', { callerIdName: 'a|b' }, 'callerIdName', /letters, digits/],
    ['7-digit dialing without area code', { sevenDigitDialing: true }, 'areaCode', /needs the PBX area code/],
    ['area code of 2 digits', { areaCode: '31' }, 'areaCode', /3 digits/],
    ['parking timeout below 30 s', { parkingTimeout: 29 }, 'parkingTimeout', /between 30 and 3600/],
    ['parking timeout above 1 h', { parkingTimeout: 3601 }, 'parkingTimeout', /between 30 and 3600/],
    ['negative call paths', { prepaidPaths: -1 }, 'prepaidPaths', /between 0 and 10000/],
    ['fax paths too many', { onDemandFaxPaths: 1001 }, 'onDemandFaxPaths', /between 0 and 1000/],
  ];
  for (const [what, input, field, message] of refused)
    it(`refuses ${what}`, () => {
      expect(parse(input).errors[field]).to.match(message);
    });

  it('accepts the same context and domain for the PBX itself (update)', () => {
    expect(parse({ context: 'taken', domain: 'taken.pbx.local' }, 9).errors).to.deep.equal({});
  });

  it('7-digit dialing with an area code; time zone stored in canonical case', () => {
    const { out, errors } = parse({ sevenDigitDialing: 'yes', areaCode: '312', timezone: 'america/chicago' });
    expect(errors).to.deep.equal({});
    expect(out).to.deep.include({ sevenDigitDialing: true, areaCode: '312', timezone: 'America/Chicago' });
  });

  it('parking timeout bounds are inclusive, default 600 s', () => {
    expect(parse({ parkingTimeout: 30 }).out.parkingTimeout).to.equal(30);
    expect(parse({ parkingTimeout: 3600 }).out.parkingTimeout).to.equal(3600);
    expect(parse({ parkingTimeout: '' }).out.parkingTimeout).to.equal(600);
  });
});

describe('PBX rules: feature codes', () => {
  const codes = (featureCodes: unknown) => parse({ featureCodes });

  it('defaults are the manual codes (*8 pickup, *1 intercom) and a partial map keeps the other defaults', () => {
    expect(DEFAULT_FEATURE_CODES.directedPickup).to.equal('*8');
    expect(DEFAULT_FEATURE_CODES.intercom).to.equal('*1');
    const { out, errors } = codes({ directedPickup: '*88', parkSlotsStart: 801 });
    expect(errors).to.deep.equal({});
    expect(out.featureCodes).to.deep.equal({ ...DEFAULT_FEATURE_CODES, directedPickup: '*88', parkSlotsStart: 801 });
  });

  const refused: Array<[string, unknown, string, RegExp]> = [
    ['not a map', '*8', 'featureCodes', /must map feature names/],
    ['a list', ['*8'], 'featureCodes', /must map feature names/],
    ['an unknown feature', { reboot: '*99' }, 'featureCodes.reboot', /is not a feature code/],
    ['a code without *', { intercom: '11' }, 'featureCodes.intercom', /\* followed by 1 to 4 digits/],
    ['a code too long', { intercom: '*12345' }, 'featureCodes.intercom', /1 to 4 digits/],
    ['a code with a pipe', { intercom: '*1|bridge' }, 'featureCodes.intercom', /1 to 4 digits/],
    ['a code with a variable', { intercom: '*$' + '{x}' }, 'featureCodes.intercom', /1 to 4 digits/],
    ['a code given as a number', { intercom: 1 }, 'featureCodes.intercom', /1 to 4 digits/],
    ['two features on one code', { intercom: '*8' }, 'featureCodes.intercom', /already the code for directed pickup/],
    ['park slots start as text', { parkSlotsStart: '701' }, 'featureCodes.parkSlotsStart', /whole number from 1/],
    ['park slots count 0', { parkSlotsCount: 0 }, 'featureCodes.parkSlotsCount', /from 1 to 100/],
    ['park slots count 1000', { parkSlotsCount: 1000 }, 'featureCodes.parkSlotsCount', /from 1 to 100/],
    ['park slots start fractional', { parkSlotsStart: 70.5 }, 'featureCodes.parkSlotsStart', /whole number/],
  ];
  for (const [what, input, field, message] of refused)
    it(`refuses ${what}`, () => {
      const { errors } = codes(input);
      expect(errors[field], JSON.stringify(errors)).to.match(message);
    });
});

describe('listen live rules', () => {
  const snap = snapshot({ extensions: [ext(1, '201'), ext(2, '202')] });
  const parse = (input: Record<string, unknown>) => {
    const f = new Fields(input);
    const out = parseListenLive(f, snap);
    return { out, errors: f.errors };
  };

  it('off needs no password', () => {
    expect(parse({ mode: 'off' })).to.deep.equal({
      out: { mode: 'off', password: '', listenerIds: [], listenableIds: [] },
      errors: {},
    });
  });

  it('password: 3 or more digits, letters are not allowed', () => {
    expect(parse({ mode: 'listen', password: '123' }).errors).to.deep.equal({});
    expect(parse({ mode: 'barge', password: '123456789012' }).errors).to.deep.equal({});
    expect(parse({ mode: 'both', password: '12' }).errors.password).to.equal('must be 3 to 12 digits');
    expect(parse({ mode: 'both', password: '12a' }).errors.password).to.equal('must contain digits only');
    expect(parse({ mode: 'both', password: 'abc' }).errors.password).to.equal('must contain digits only');
    expect(parse({ mode: 'listen' }).errors.password).to.equal('is required');
    expect(parse({ mode: 'off', password: 'abc' }).errors.password, 'checked even when off').to.equal(
      'must contain digits only',
    );
  });

  it('mode is one of the manual choices', () => {
    expect(parse({ mode: 'spy', password: '123' }).errors.mode).to.equal('must be one of: off, listen, barge, both');
  });

  it('listeners and listened-to users are extensions of this PBX', () => {
    expect(parse({ mode: 'off', listenerIds: [1], listenableIds: [2] }).errors).to.deep.equal({});
    expect(parse({ mode: 'off', listenerIds: [3] }).errors.listenerIds).to.equal(
      'extension #3 does not exist in this PBX',
    );
    expect(parse({ mode: 'off', listenableIds: [[1]] }).errors.listenableIds).to.equal('must be a list of ids');
  });
});
