// Call-flow helpers as table tests: number regexes, time attributes, hold-music fallbacks, group members, and the
// tree checker itself (a route to a deleted object must be reported).
import { expect } from 'chai';
import type { Destination } from '../../../src/domain/destination';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { oneOf } from '../../../src/freeswitch/generator/dialplan/dsl';
import {
  alternatives,
  didRegex,
  holdMusicFolders,
  holdMusicStream,
  holidayAttributes,
  numbersRegex,
  phoneNumberCallerId,
  ringGroupMembers,
  timeRuleAttributes,
  timezoneAction,
} from '../../../src/freeswitch/generator/flows';
import { demoSnapshot } from '../../helpers/demo-snapshot';
import { attr, definedNames, elements, parseTree, transfers, unresolved } from './flows-checks';
import { flowTree, holdMusic, OPTS, sequentialGroup } from './flows-scenarios';

// The generator's regexes use only syntax that PCRE (FreeSWITCH) and JavaScript read the same way.
const matches = (re: string, s: string) => new RegExp(re).test(s);

describe('call-flow helpers (flows)', function () {
  this.timeout(60_000);

  describe('didRegex', () => {
    const table: Array<[string, string, boolean]> = [
      ['2125550100', '2125550100', true],
      ['2125550100', '12125550100', true],
      ['2125550100', '+12125550100', true],
      ['2125550100', '+2125550100', false],
      ['2125550100', '2125550101', false],
      ['2125550100', '02125550100', false],
      ['2125550100', '21255501001', false],
      ['12125550100', '2125550100', true],
      ['442071234567', '442071234567', true],
      ['442071234567', '+442071234567', true],
      ['442071234567', '1442071234567', false],
    ];
    for (const [did, called, ok] of table)
      it(`${did} ${ok ? 'matches' : 'does not match'} ${called}`, () =>
        expect(matches(didRegex(did), called)).to.equal(ok));
  });

  describe('alternatives', () => {
    // A seeded generator: the same sets on every run.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const exact = (body: string) => new RegExp(`^(${body})$`);

    it('lists up to 16 numbers literally, sorted by length then value', () => {
      expect(alternatives(['102', '101', '1000', '101', ''])).to.equal('101|102|1000');
    });

    it('matches exactly the given numbers, for dense, sparse and mixed-length sets', () => {
      const universe = Array.from({ length: 2000 }, (_, i) => String(i)).concat(
        Array.from({ length: 300 }, (_, i) => String(1000 + i).padStart(5, '0')),
      );
      for (let round = 0; round < 60; round++) {
        const density = [0.02, 0.3, 0.9, 1][round % 4];
        const set = new Set(universe.filter(() => rand(1000) < density * 1000));
        const body = alternatives([...set]);
        if (set.size === 0) {
          expect(body).to.equal('');
          continue;
        }
        const re = exact(body);
        for (const n of universe) expect(re.test(n), `${n} in round ${round}`).to.equal(set.has(n));
        expect(re.exec([...set][0])?.[1]).to.equal([...set][0]);
      }
    });

    it("is what the dialplan's oneOf uses for long lists, still one capture group ($1 = the number dialed)", () => {
      const numbers = Array.from({ length: 40 }, (_, i) => String(100 + i * 3));
      const group = oneOf(numbers)!;
      expect(group).not.to.include('|103|');
      const re = new RegExp(`^${group}$`);
      for (let n = 0; n < 300; n++)
        expect(re.exec(String(n))?.[1] ?? null, String(n)).to.equal(numbers.includes(String(n)) ? String(n) : null);
      expect(oneOf(['102', '101'])).to.equal('(101|102)');
      expect(oneOf([])).to.equal(null);
    });

    it('folds 10,000 consecutive extensions into a few dozen bytes', () => {
      const body = alternatives(Array.from({ length: 10000 }, (_, i) => String(1000 + i)));
      expect(body.length).to.be.lessThan(80);
      const re = exact(body);
      expect(re.test('1000') && re.test('10999') && re.test('5432')).to.equal(true);
      expect(re.test('999') || re.test('11000') || re.test('01000')).to.equal(false);
    });

    it('answers a long list asked again from its recent answers, and a list one number apart anew', () => {
      const list = Array.from({ length: 300 }, (_, i) => String(200 + i));
      const first = alternatives(list);
      expect(alternatives([...list])).to.equal(first);
      const shorter = alternatives(list.slice(1));
      expect(exact(shorter).test('200')).to.equal(false);
      expect(exact(alternatives(list)).test('200')).to.equal(true);
      expect(oneOf(list)).to.equal(`(${first})`);
      expect(oneOf([...list, ''])).to.equal(`(${first})`);
      expect(exact(oneOf(list.slice(1))!.slice(1, -1)).test('200')).to.equal(false);
    });
  });

  describe('numbersRegex', () => {
    it('is undefined for no numbers', () => expect(numbersRegex([])).to.equal(undefined));
    const re = numbersRegex(['8005550199', '12125550177', '493012345678', '611'])!;
    const table: Array<[string, boolean]> = [
      ['8005550199', true],
      ['+18005550199', true],
      ['18005550199', true],
      ['2125550177', true],
      ['+493012345678', true],
      ['611', true],
      ['6110', false],
      ['8005550198', false],
      ['anonymous', false],
      ['', false],
    ];
    for (const [cid, ok] of table) it(`${JSON.stringify(cid)} → ${ok}`, () => expect(matches(re, cid)).to.equal(ok));
  });

  describe('timeRuleAttributes', () => {
    const table: Array<[string, Parameters<typeof timeRuleAttributes>[0], Record<string, string> | undefined]> = [
      [
        'weekdays',
        { days: [5, 1, 3, 2, 4], allDay: false, from: '08:30', to: '17:30' },
        { wday: 'mon,tue,wed,thu,fri', 'time-of-day': '08:30-17:30' },
      ],
      ['all day', { days: [6], allDay: true, from: '00:00', to: '24:00' }, { wday: 'sat' }],
      ['whole day as times', { days: [0], allDay: false, from: '00:00', to: '24:00' }, { wday: 'sun' }],
      [
        'until midnight',
        { days: [0, 0], allDay: false, from: '22:00', to: '24:00' },
        { wday: 'sun', 'time-of-day': '22:00-24:00' },
      ],
      ['no day', { days: [], allDay: true, from: '00:00', to: '24:00' }, undefined],
      ['day out of range', { days: [7], allDay: true, from: '00:00', to: '24:00' }, undefined],
      ['end before start', { days: [1], allDay: false, from: '17:00', to: '09:00' }, undefined],
      ['not a time', { days: [1], allDay: false, from: '8am', to: '17:00' }, undefined],
    ];
    for (const [name, rule, expected] of table)
      it(name, () => expect(timeRuleAttributes(rule)).to.deep.equal(expected));
  });

  describe('holidayAttributes and the time zone', () => {
    it('turns a date into year, month and day without leading zeros', () =>
      expect(holidayAttributes('2027-01-05')).to.deep.equal({ year: '2027', mon: '1', mday: '5' }));
    it('refuses anything else', () => expect(holidayAttributes('2027-1-5')).to.equal(undefined));
    it('sets the PBX zone inline, so the next conditions of the same extension see it', async () => {
      const snap = await demoSnapshot();
      expect(timezoneAction(snap)).to.deep.equal({ app: 'set', data: 'timezone=America/New_York', inline: true });
    });
  });

  describe('hold music', () => {
    let snap: PbxSnapshot;
    before(async () => {
      snap = await demoSnapshot(holdMusic);
    });
    const group = (name: string) => snap.holdMusicGroups.find((g) => g.name === name)!.id;

    it('plays a group that has tracks', () =>
      expect(holdMusicStream(snap, group('Jazz'))).to.equal(`local_stream://demo_${group('Jazz')}`));
    it('falls back to the outbound group for an empty or unknown group', () => {
      expect(holdMusicStream(snap, group('Empty'))).to.equal(`local_stream://demo_${group('Classical')}`);
      expect(holdMusicStream(snap, 9999)).to.equal(`local_stream://demo_${group('Classical')}`);
      expect(holdMusicStream(snap, null)).to.equal(`local_stream://demo_${group('Classical')}`);
    });
    it("falls back to Dialtone's default stream when no group has tracks", async () => {
      expect(holdMusicStream(await demoSnapshot(), null)).to.equal('local_stream://default');
    });
    it('lists, per group with tracks, the folder and the files the export step must place there', () => {
      const jazz = holdMusicFolders(snap, OPTS).find((f) => f.stream === `demo_${group('Jazz')}`)!;
      expect(jazz).to.deep.equal({
        stream: `demo_${group('Jazz')}`,
        dir: `/var/lib/dialtone/audio/demo/moh/${group('Jazz')}`,
        shuffle: true,
        playlist: null,
        tracks: [
          {
            source: '/var/lib/dialtone/audio/demo/moh-0003.mp3',
            target: `/var/lib/dialtone/audio/demo/moh/${group('Jazz')}/moh-0003.mp3`,
          },
        ],
      });
      expect(holdMusicFolders(snap, OPTS).map((f) => f.stream)).to.not.include(`demo_${group('Empty')}`);
    });
  });

  describe('ring group members', () => {
    it('rings members trying their phone or Find Me first, in order, and leaves out those who forward everything', async () => {
      const snap = await demoSnapshot(sequentialGroup);
      const g = snap.ringGroups.find((x) => x.name === 'Hygiene')!;
      expect(ringGroupMembers(snap, g).map((e) => e.number)).to.deep.equal(['103', '105', '101']);
    });
  });

  describe('caller ID helpers', () => {
    it("gives a phone number's CNAM, else the PBX default", async () => {
      const snap = await demoSnapshot();
      expect(phoneNumberCallerId(snap, snap.phoneNumbers[0].id)).to.deep.equal({
        number: '2125550100',
        name: 'DEMO DENTAL',
      });
      expect(phoneNumberCallerId(snap, 9999)).to.equal(null);
    });
  });

  describe('attendant "#" key', () => {
    it('turns off the # terminator only for menus that use # as a button', async () => {
      const snap = await demoSnapshot();
      const tree = flowTree([snap]);
      expect(tree.get('dialplan/demo/24_ivr_1.xml')).to.not.include('ivr_menu_terminator');
      snap.autoAttendants[0].buttons['#'] = { kind: 'check_voicemail' };
      expect(flowTree([snap]).get('dialplan/demo/24_ivr_1.xml')).to.include('ivr_menu_terminator=none');
    });
  });

  describe('the tree checker', () => {
    it('reports a route to an object that no longer exists', async () => {
      const snap = await demoSnapshot();
      snap.autoAttendants[0].buttons['5'] = { kind: 'group', id: 99 } as Destination;
      snap.timeFrames[0].after = { kind: 'mailbox', id: 99 } as Destination;
      const docs = parseTree(flowTree([snap]));
      const problems = transfers(docs)
        .map((t) => unresolved(t, definedNames(docs), [snap]))
        .filter((p) => p !== null);
      expect(problems).to.have.length(2);
      expect(problems.join('\n')).to.include('dt_group_99').and.include('dt_vm_99');
    });

    it('finds every IVR entry and dialplan transfer', async () => {
      const docs = parseTree(flowTree([await demoSnapshot()]));
      const menuEntries = docs
        .flatMap((d) => [...elements(d.root)])
        .filter((e) => e.name === 'entry' && attr(e, 'param').startsWith('transfer '));
      expect(menuEntries).to.have.length(6);
      expect(transfers(docs).length).to.be.greaterThan(menuEntries.length);
    });
  });
});
