// Feature codes as dialled strings (pure rules): format, shared codes, prefixes, numbers that follow codes, park slots.
import { expect } from 'chai';
import { DEFAULT_FEATURE_CODES, type FeatureCodes } from '../../src/domain/model';
import { parseExtension, parseMailbox } from '../../src/domain/rules/extension-rules';
import { dialNumbers, NO_NUMBERS, parseFeatureCodes } from '../../src/domain/rules/feature-codes';
import { parseConferenceRoom, parseQueue } from '../../src/domain/rules/other-rules';
import { Fields } from '../../src/domain/validate';
import { ext, pbxRow, snapshot } from './snapshot-fixture';

const box = (id: number, number: string) => ({ id, number, name: `Box ${number}` });
const queue = (id: number, number: string) => ({ id, name: `Queue ${number}`, number, agentIds: [] });
const room = (id: number, number: string) => ({ id, number });

/** A PBX with extensions 201, 202, mailboxes 201, 202, queue 600 and conference room 800 (as the service fixture). */
const snap = (featureCodes: Partial<FeatureCodes> = {}, more: Parameters<typeof snapshot>[0] = {}) =>
  snapshot({
    pbx: pbxRow({ featureCodes: { ...DEFAULT_FEATURE_CODES, ...featureCodes } }),
    extensions: [ext(1, '201'), ext(2, '202')],
    mailboxes: [box(1, '201'), box(2, '202')],
    queues: [queue(1, '600')],
    conferenceRooms: [room(1, '800')],
    ...more,
  });

/** Saves `codes` over the PBX's saved codes (an update), or as a new PBX when `saved` is null. */
function codes(input: Record<string, unknown>, s = snap(), saved: FeatureCodes | null = s.pbx.featureCodes) {
  const f = new Fields({ featureCodes: input }, saved ? { featureCodes: saved } : null);
  const out = parseFeatureCodes(f, s ? dialNumbers(s) : NO_NUMBERS);
  return { out, errors: f.errors };
}

describe('feature codes: format', () => {
  it('the defaults are accepted, *41 (agent login) and *411 (directory) included: each is dialled whole', () => {
    expect(codes({}, snap(), null).errors).to.deep.equal({});
    expect(codes({ ...DEFAULT_FEATURE_CODES }, snap(), null).errors).to.deep.equal({});
  });

  for (const key of ['intercom', 'directedPickup', 'checkVoicemail', 'park', 'agentLogin', 'companyDirectory'])
    it(`refuses ${key} "*" alone: a code needs at least one digit`, () => {
      expect(codes({ [key]: '*' }).errors[`featureCodes.${key}`]).to.match(/\* followed by 1 to 4 digits/);
    });

  it('the greeting prefix may be * alone (the mailbox number follows it), never empty or with a letter', () => {
    expect(codes({ recordGreetingPrefix: '*' }, snap(), null).errors).to.deep.equal({});
    expect(codes({ recordGreetingPrefix: '*5' }).errors).to.deep.equal({});
    expect(codes({ recordGreetingPrefix: '' }).errors['featureCodes.recordGreetingPrefix']).to.match(/up to 4 digits/);
    expect(codes({ recordGreetingPrefix: '*a' }).errors['featureCodes.recordGreetingPrefix']).to.match(/mailbox/);
  });

  it('a saved code from before these rules does not block saving other codes', () => {
    const legacy = { ...DEFAULT_FEATURE_CODES, park: '*' };
    const s = snap({ park: '*' });
    expect(codes({ parkSlotsCount: 10 }, s, legacy).errors).to.deep.equal({});
    expect(
      codes({ intercom: '*5' }, s, legacy).errors['featureCodes.intercom'],
      'a new code meets the old one',
    ).to.match(/starts with \* \(park\)/);
    expect(codes({ park: '*' }, s, legacy).errors, 'unchanged').to.deep.equal({});
    expect(codes({ park: '*' }, s, null).errors['featureCodes.park'], 'but never on a new PBX').to.match(/1 to 4/);
  });
});

describe('feature codes: collisions between codes', () => {
  const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
    [
      'two features on one code',
      { intercom: '*8' },
      'featureCodes.intercom',
      /\*8 is already the code for directed pickup/,
    ],
    [
      'the greeting prefix equal to a code',
      { recordGreetingPrefix: '*98' },
      'featureCodes.recordGreetingPrefix',
      /already the code for check voicemail/,
    ],
    [
      'intercom *4 under agent login *41',
      { intercom: '*4' },
      'featureCodes.intercom',
      /\*41 \(agent login\) starts with \*4 \(intercom\); intercom is followed by an extension number.*neither starts with the other/,
    ],
    [
      'a code under directed pickup *8',
      { checkVoicemail: '*81' },
      'featureCodes.checkVoicemail',
      /\*81 \(check voicemail\) starts with \*8 \(directed pickup\)/,
    ],
    [
      'listen live *3 over attendant recording *323',
      { listenLive: '*3' },
      'featureCodes.listenLive',
      /\*323 \(attendant recording\) starts with \*3 \(listen live\)/,
    ],
    [
      'barge-in longer than park *70',
      { bargeIn: '*701' },
      'featureCodes.bargeIn',
      /\*701 \(barge-in\) starts with \*70 \(park\)/,
    ],
    ['pickup and intercom prefixes', { intercom: '*81' }, 'featureCodes.intercom', /starts with \*8/],
  ];
  for (const [what, input, field, message] of refused)
    it(`refuses ${what}`, () => {
      const { errors } = codes(input);
      expect(errors[field], JSON.stringify(errors)).to.match(message);
    });

  it('codes dialled alone may start with one another (*7 park and *70 voicemail are both dialled whole)', () => {
    expect(codes({ park: '*7', checkVoicemail: '*70' }).errors).to.deep.equal({});
  });

  it('an agent code + queue number that spells another code is refused, naming both meanings', () => {
    const { errors } = codes({ companyDirectory: '*4160' }, snap({}, { queues: [queue(1, '60')] }));
    expect(errors['featureCodes.companyDirectory']).to.equal(
      '*4160 would be both agent login *41 + queue 60 and company directory (*4160): only one can answer it',
    );
  });

  it('the greeting prefix + a mailbox that spells a code is refused, in both directions', () => {
    const { errors } = codes({ checkVoicemail: '*201' });
    expect(errors['featureCodes.checkVoicemail']).to.match(
      /^\*201 would be both recording the greeting of mailbox 201 \(\* \+ mailbox\) and check voicemail \(\*201\)/,
    );
    const prefix = (mailbox: string) =>
      codes({ recordGreetingPrefix: '*9' }, snap({}, { mailboxes: [box(1, mailbox)] })).errors;
    expect(prefix('8')['featureCodes.recordGreetingPrefix']).to.match(/^\*98 would be both .* check voicemail/);
    expect(prefix('81')).to.deep.equal({});
  });

  it('a code followed by an extension that spells a mailbox greeting string is refused', () => {
    // intercom *2 + extension 01 = *201 = * + mailbox 201
    const s = snap({}, { extensions: [ext(1, '201'), ext(3, '01')] });
    expect(codes({ intercom: '*2' }, s).errors['featureCodes.intercom']).to.match(
      /\*201 would be both recording the greeting of mailbox 201 .* and intercom \*2 \+ extension 01/,
    );
  });
});

describe('feature codes: park slots', () => {
  it('refuses slots that are extension, conference room or queue numbers', () => {
    expect(codes({ parkSlotsStart: 195, parkSlotsCount: 10 }).errors['featureCodes.parkSlotsStart']).to.equal(
      'park slots 195–204 include extension 201: move the slots or renumber it',
    );
    expect(codes({ parkSlotsStart: 800 }).errors['featureCodes.parkSlotsStart']).to.match(/conference room 800/);
    expect(codes({ parkSlotsStart: 599, parkSlotsCount: 2 }).errors['featureCodes.parkSlotsStart']).to.match(
      /queue 600/,
    );
    expect(codes({ parkSlotsStart: 701 }).errors).to.deep.equal({});
  });
});

describe('feature codes: the other direction (saving a number)', () => {
  const extension = (number: string, s = snap(), id: number | null = null) => {
    const current = id ? { ...ext(id, '202'), sipPassword: 'abcdefABCDEF12' } : null;
    const f = new Fields({ number, name: 'New', e911LocationId: 1 }, current);
    parseExtension(f, s, id, current as never);
    return f.errors.number;
  };

  it('an extension, conference room or queue number inside the park slots is refused', () => {
    expect(extension('701')).to.equal(
      '701 is park slot 1 of 8 (park slots 701–708 in the feature codes): choose another number or move the slots',
    );
    const room = new Fields({ number: '708' });
    parseConferenceRoom(room, snap(), null);
    expect(room.errors.number).to.match(/park slot 8 of 8/);
    const q = new Fields({ name: 'Q', number: '705' });
    parseQueue(q, snap(), null);
    expect(q.errors.number).to.match(/park slot 5 of 8/);
    expect(extension('709')).to.equal(undefined);
  });

  it('an extension whose number makes a code + extension equal another code is refused', () => {
    // intercom *4 (set while no extension made it collide) + extension 11 = *411, the company directory
    const s = snap({ intercom: '*4', agentLogin: '*51', agentLogout: '*52', agentBreak: '*53' });
    expect(extension('11', s)).to.equal(
      '*411 would be both intercom *4 + extension 11 and company directory (*411): choose another number or change the company directory code',
    );
    expect(extension('12', s)).to.equal(undefined);
  });

  it('renumbering checks the new number against the others, never against its own old number', () => {
    // Saved under older rules: pickup *8 and intercom *81.
    const s = snap({ directedPickup: '*8', intercom: '*81' });
    const renumber = (number: string) => {
      const current = { ...ext(2, '202'), sipPassword: 'abcdefABCDEF12' };
      const f = new Fields({ number }, current);
      parseExtension(f, s, 2, current as never);
      return f.errors.number;
    };
    // *8 + 1201 = *81201 = *81 + 201
    expect(renumber('1201')).to.match(
      /^\*81201 would be both directed pickup \*8 \+ extension 1201 and intercom \*81 \+ extension 201/,
    );
    // *8 + 1202 = *81 + 202, but 202 is the number this extension leaves
    expect(renumber('1202')).to.equal(undefined);
    expect(renumber('202'), 'unchanged').to.equal(undefined);
  });

  it('a mailbox whose * + number is a feature code is refused (its greeting could not be recorded by phone)', () => {
    const f = new Fields({ number: '98', name: 'Box', password: '1234' });
    parseMailbox(f, snap(), null);
    expect(f.errors.number).to.equal(
      '*98 would be both recording the greeting of mailbox 98 (* + mailbox) and check voicemail (*98): choose another number or change the check voicemail code',
    );
    const ok = new Fields({ number: '99', name: 'Box', password: '1234' });
    parseMailbox(ok, snap(), null);
    expect(ok.errors).to.deep.equal({});
  });

  it('a queue whose agent code + number is another code is refused', () => {
    const f = new Fields({ name: 'Dir', number: '60' });
    parseQueue(f, snap({ companyDirectory: '*4160' }), null);
    expect(f.errors.number).to.match(
      /^\*4160 would be both agent login \*41 \+ queue 60 and company directory \(\*4160\)/,
    );
  });
});
