// Generator pieces the portal's Holidays, Hold Music, Call Blocking and Queues pages rely on: holidays of several days
// in the PBX zone, hold music played in order (a playlist) or shuffled, call-block patterns as regexes that match
// exactly what the domain says they block, and a queue's wait while no agent is logged in.
import { expect } from 'chai';
import { blocks, parseBlockPattern } from '../../../src/domain/rules/block-patterns';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { generate } from '../../../src/freeswitch/generator';
import { patternRegex } from '../../../src/freeswitch/generator/block-regex';
import { blockedCallersRegex, holdMusicFolders, holidayRangeAttributes } from '../../../src/freeswitch/generator/flows';
import { SYSTEM } from '../../../src/services/actor';
import { demoSnapshot } from '../../helpers/demo-snapshot';
import { holdMusic, OPTS } from './flows-scenarios';

const must = (typed: string) => {
  const p = parseBlockPattern(typed);
  if (typeof p === 'string') throw new Error(`${typed}: ${p}`);
  return p;
};

describe('generator: holidays, hold-music order, block patterns, queue waits', function () {
  this.timeout(60_000);

  describe('holidayRangeAttributes', () => {
    it('a single day is year, month and day', () =>
      expect(holidayRangeAttributes('2027-01-05', '2027-01-05')).to.deep.equal([
        { year: '2027', mon: '1', mday: '5' },
      ]));
    it('days of one month are one mday range', () =>
      expect(holidayRangeAttributes('2027-12-24', '2027-12-26')).to.deep.equal([
        { year: '2027', mon: '12', mday: '24-26' },
      ]));
    it('a range over the new year is split per month', () =>
      expect(holidayRangeAttributes('2027-12-30', '2028-01-02')).to.deep.equal([
        { year: '2027', mon: '12', mday: '30-31' },
        { year: '2028', mon: '1', mday: '1-2' },
      ]));
    it('knows February of a leap year', () =>
      expect(holidayRangeAttributes('2028-02-27', '2028-03-01')).to.deep.equal([
        { year: '2028', mon: '2', mday: '27-29' },
        { year: '2028', mon: '3', mday: '1' },
      ]));
    it('nothing for a reversed or malformed range', () => {
      expect(holidayRangeAttributes('2027-12-26', '2027-12-24')).to.deep.equal([]);
      expect(holidayRangeAttributes('2027-1-5', '2027-01-06')).to.deep.equal([]);
    });

    it("a phone number's holiday check covers every day of a holiday of several days", async () => {
      const snap = await demoSnapshot(async (s, pbxId) => {
        await s.objects.create(SYSTEM, pbxId, 'holidays', {
          name: 'Winter break',
          date: '2027-12-30',
          endDate: '2028-01-02',
        });
      });
      const did = snap.phoneNumbers.find((n) => n.ifHoliday)!;
      const file = generate([snap], OPTS).get(`dialplan/demo/20_did_${did.id}.xml`) as string;
      expect(file).to.include('year="2027" mon="12" mday="30-31"').and.include('year="2028" mon="1" mday="1-2"');
    });
  });

  describe('hold music in order', () => {
    let snap: PbxSnapshot;
    before(async () => {
      snap = await demoSnapshot(async (s, pbxId) => {
        await holdMusic(s, pbxId);
        const g = (await s.snapshot(pbxId)).holdMusicGroups[0];
        await s.objects.update(SYSTEM, pbxId, 'hold-music', g.id, {
          shuffle: false,
          trackIds: [...g.trackIds].reverse(),
        });
      });
    });

    it('lists the tracks in the group order in playlist.loc, and nothing else goes into the folder', () => {
      const g = snap.holdMusicGroups[0];
      const folder = holdMusicFolders(snap, OPTS).find((f) => f.stream === `demo_${g.id}`)!;
      const names = g.trackIds.map((id) => snap.audioFiles.find((a) => a.id === id)!.storedName);
      expect(names).to.deep.equal(['moh-0002.mp3', 'moh-0001.mp3']);
      expect(folder.shuffle).to.equal(false);
      expect(folder.tracks).to.deep.equal([]);
      expect(folder.playlist).to.deep.equal({
        target: `/var/lib/dialtone/audio/demo/moh/${g.id}/playlist.loc`,
        text: '/var/lib/dialtone/audio/demo/moh-0002.mp3\n/var/lib/dialtone/audio/demo/moh-0001.mp3\n',
      });
    });

    it('streams that folder with shuffle off; shuffled groups keep shuffle on', () => {
      const conf = generate([snap], OPTS).get('autoload_configs/local_stream.conf.xml') as string;
      const g = snap.holdMusicGroups[0];
      const jazz = snap.holdMusicGroups.find((x) => x.name === 'Jazz')!;
      const block = (id: number) =>
        conf.slice(conf.indexOf(`name="demo_${id}"`), conf.indexOf('</directory>', conf.indexOf(`name="demo_${id}"`)));
      expect(block(g.id)).to.include('<param name="shuffle" value="false"/>');
      expect(block(jazz.id)).to.include('<param name="shuffle" value="true"/>');
    });

    it('refuses an audio folder mod_local_stream would read as a playlist', () => {
      expect(() => generate([snap], { ...OPTS, audioDir: '/srv/pbx.local/audio' })).to.throw(/must not contain ".loc"/);
    });
  });

  describe('call-block patterns', () => {
    // The compiled regex must block exactly what the domain says it blocks (the page explains it with blocks()).
    const table: Array<[string, string[], string[]]> = [
      ['900*', ['900', '9005550123', '19005550123', '+19005550123'], ['8005550123', '90', '1800900']],
      ['1900*', ['9005550123', '19005550123', '+19005550123'], ['8005550123']],
      ['900.', ['9001', '19005550123'], ['900', '8005550123']],
      ['NXX5550100', ['3125550100', '13125550100', '+13125550100'], ['1125550100', '3125550101', '312555010']],
      ['1NXX5550100', ['3125550100', '+13125550100'], ['3125550101']],
      ['312ZXXXXXX', ['3125550100', '13125550100'], ['3120550100']],
      ['4420*', ['4420', '442071234567', '+442071234567'], ['4421', '44']],
      ['011442071234567', ['011442071234567', '442071234567', '+442071234567'], ['442071234568']],
      ['6XX', ['611', '699', '+611'], ['511', '6111']],
      ['555XXXX', ['5550100'], ['3125550100', '55501000']],
    ];
    for (const [typed, yes, no] of table) {
      const p = must(typed);
      const re = new RegExp(`^(?:${patternRegex(p)})$`);
      for (const n of yes)
        it(`${typed} blocks ${n}`, () => {
          expect(blocks(p, n), 'domain').to.equal(true);
          expect(re.test(n), `regex ${re}`).to.equal(true);
        });
      for (const n of no)
        it(`${typed} lets ${n} through`, () => {
          expect(blocks(p, n), 'domain').to.equal(false);
          expect(re.test(n), `regex ${re}`).to.equal(false);
        });
    }

    it('only digits, fixed classes and the prefix groups reach the regex', () => {
      for (const typed of ['NXX*', 'ZZZ.', '1NXXNXXXXXX', '0114420*'])
        expect(patternRegex(must(typed))).to.match(/^[0-9[\]\-+*?:()|\\]+$/);
    });

    it('inbound: plain numbers compile as before, patterns join them', () => {
      expect(blockedCallersRegex(['8005550199'])).to.equal('^(?:(?:\\+?1)?(?:8005550199))$');
      const re = new RegExp(blockedCallersRegex(['8005550199', '900*', 'garbage$(x)'])!);
      expect(re.test('+18005550199') && re.test('19005550000')).to.equal(true);
      expect(re.test('8005550198')).to.equal(false);
      expect(blockedCallersRegex(['garbage$(x)'])).to.equal(undefined);
    });

    it('the public entry refuses blocked callers and the PBX context refuses blocked numbers dialled', async () => {
      const snap = await demoSnapshot(async (s, pbxId) => {
        await s.objects.create(SYSTEM, pbxId, 'call-blocks', { number: '900*', direction: 'inbound' });
        await s.objects.create(SYSTEM, pbxId, 'call-blocks', { number: 'NXX5550100', direction: 'outbound' });
      });
      const tree = generate([snap], OPTS);
      const pub = tree.get(`dialplan/public/20_${snap.phoneNumbers[0].number}.xml`) as string;
      expect(pub).to.include('\\+?1?900[0-9]*');
      const blocksFile = tree.get('dialplan/demo/80_call_blocks.xml') as string;
      expect(blocksFile).to.include('\\+?1?[2-9][0-9][0-9]5550100');
    });
  });

  describe('queue waits', () => {
    it('max-wait-time-with-no-agent is the queue setting, never above its wait', async () => {
      const snap = await demoSnapshot(async (s, pbxId) => {
        const q = (await s.snapshot(pbxId)).queues[0];
        await s.objects.update(SYSTEM, pbxId, 'queues', q.id, {
          maxWaitSec: 120,
          noAgentWaitSec: 5,
          strategy: 'sequentially-by-agent-order',
        });
      });
      const conf = generate([snap], OPTS).get('autoload_configs/callcenter.conf.xml') as string;
      expect(conf).to.include('<param name="max-wait-time-with-no-agent" value="5"/>');
      expect(conf).to.include('<param name="max-wait-time" value="120"/>');
      expect(conf).to.include('<param name="strategy" value="sequentially-by-agent-order"/>');
    });
  });
});
