// Call flows on a real FreeSWITCH (static tree, Dialtone down): auto attendants, ring groups at once and in turn,
// conference rooms with their PIN, and the conference hub.
import { expect } from 'chai';
import { describeE2e } from './support';

const ids: Record<string, number> = {};
const ext = (n: string) => ({ kind: 'extension', id: ids[n] });
const trunkCall = (to: string) => ({ from: { trunk: true as const, number: '8155550123' }, to });

describeE2e(
  'e2e: call flows (static tree)',
  {
    mode: 'static',
    setup: async (b) => {
      for (const n of ['201', '202', '203', '204', '205', '206']) ids[n] = (await b.extension(n)).id;
      ids['207'] = (await b.extension('207', { disallowDialByExtension: true })).id;
      ids.attendant = await b.create('attendants', {
        name: 'Main menu',
        timeoutSec: 2,
        digitTimeoutSec: 1,
        dialExtensions: true,
        buttons: { '1': ext('203'), timeout: ext('206') },
      });
      ids.together = await b.create('groups', {
        name: 'Front desk',
        strategy: 'simultaneous',
        secondsToRing: 5,
        memberIds: [ids['202'], ids['203']],
        afterRing: ext('206'),
      });
      ids.inTurn = await b.create('groups', {
        name: 'Support',
        strategy: 'sequential',
        secondsToRing: 5,
        memberIds: [ids['204'], ids['205']],
        afterRing: ext('206'),
      });
      ids.room = await b.create('conferences', { number: '800', password: '2468', announceCount: true });
      ids.hub = await b.create('conference-hubs', { name: 'Conference line' });
      const did = (number: string, routeTo: Record<string, unknown>) => b.create('numbers', { number, routeTo });
      await did('3125550301', { kind: 'auto_attendant', id: ids.attendant });
      await did('3125550302', { kind: 'group', id: ids.together });
      await did('3125550303', { kind: 'group', id: ids.inTurn });
      await did('3125550304', { kind: 'conference_hub', id: ids.hub });
    },
  },
  (t) => {
    it('loads the tree with zero [ERR]/[CRIT]/deprecation lines while Dialtone is down', () => {
      expect(t().startupProblems()).to.deep.equal([]);
    });

    describe('auto attendant', () => {
      it('a key sends the caller where its button says', async () => {
        const p203 = await t().phone('203');
        const before = p203.invites().length;
        const call = await t().call({
          ...trunkCall('3125550301'),
          steps: [{ wait: 800 }, { dtmf: '1' }],
          holdMs: 2500,
        });
        expect(call.status).to.equal(200);
        expect(call.ran('ivr', `acme_${ids.attendant}`)).to.equal(true);
        expect(call.ran('transfer', '203 XML acme')).to.equal(true);
        expect(p203.invites()).to.have.length(before + 1);
      });

      it('the caller can dial any extension', async () => {
        const p204 = await t().phone('204');
        const before = p204.invites().length;
        const call = await t().call({
          ...trunkCall('3125550301'),
          steps: [{ wait: 800 }, { dtmf: '204' }],
          holdMs: 2500,
        });
        expect(call.ran('transfer', '204 XML acme')).to.equal(true);
        expect(p204.invites()).to.have.length(before + 1);
      });

      it('an extension set to Disallow Dial by Extension cannot be dialed from the attendant', async () => {
        const p207 = await t().phone('207');
        const call = await t().call({
          ...trunkCall('3125550301'),
          steps: [{ wait: 800 }, { dtmf: '207' }],
          holdMs: 2000,
        });
        expect(call.ran('ivr', `acme_${ids.attendant}`)).to.equal(true);
        expect(call.ran('transfer', '207 XML acme')).to.equal(false);
        expect(p207.invites()).to.have.length(0);
        // It still takes calls routed to it.
        await t().call({ from: '201', to: '207', holdMs: 500 });
        expect(p207.invites()).to.have.length(1);
      });

      it('pressing nothing takes the timeout route after the attendant timeout', async () => {
        const p206 = await t().phone('206');
        const before = p206.invites().length;
        const call = await t().call({ ...trunkCall('3125550301'), holdMs: 5000 });
        expect(call.ran('transfer', '206 XML acme')).to.equal(true);
        expect(p206.invites()).to.have.length(before + 1);
      });
    });

    describe('ring groups', () => {
      it('at the same time: every member rings at once, the first to answer takes the call', async () => {
        const [p202, p203] = [await t().phone('202', 'ring'), await t().phone('203')];
        const [r202, r203] = [p202.invites().length, p203.invites().length];
        const call = await t().call(trunkCall('3125550302'));
        expect(call.status).to.equal(200);
        expect(
          call.ran('bridge', '[leg_timeout=5]user/202@acme.e2e.test,[leg_timeout=5]user/203@acme.e2e.test'),
        ).to.equal(true);
        expect(call.ran('set', 'call_timeout=5')).to.equal(true);
        expect(p202.invites()).to.have.length(r202 + 1);
        expect(p203.invites()).to.have.length(r203 + 1);
        const legs = call.legs.filter((l) => l.name.startsWith('sofia/internal/'));
        expect(legs.map((l) => l.variables.dialed_user).sort()).to.deep.equal(['202', '203']);
        expect(legs.find((l) => l.variables.dialed_user === '203')?.answered).to.equal(true);
      });

      it('at the same time, nobody answers: after Seconds to Ring the after-ring route', async () => {
        const [p202, p203, p206] = [
          await t().phone('202', 'ring'),
          await t().phone('203', 'ring'),
          await t().phone('206'),
        ];
        const r206 = p206.invites().length;
        const call = await t().call(trunkCall('3125550302'));
        expect(call.ran('transfer', '206 XML acme')).to.equal(true);
        expect(p206.invites()).to.have.length(r206 + 1);
        expect(p202.received('CANCEL').length).to.be.greaterThan(0);
        expect(p203.received('CANCEL').length).to.be.greaterThan(0);
      });

      it('in turn: each member rings for Seconds to Ring, then the next one (the first no longer rings alone)', async () => {
        const [p204, p205] = [await t().phone('204', 'ring'), await t().phone('205')];
        const [r204, r205] = [p204.invites().length, p205.invites().length];
        const call = await t().call(trunkCall('3125550303'));
        expect(call.status).to.equal(200);
        expect(p204.invites()).to.have.length(r204 + 1);
        expect(p205.invites(), 'the second member rang after the first timed out').to.have.length(r205 + 1);
        expect(
          call.ran('bridge', '[leg_timeout=5]user/204@acme.e2e.test|[leg_timeout=5]user/205@acme.e2e.test'),
        ).to.equal(true);
        // The whole bridge is bounded by members x seconds, each leg by its own seconds.
        expect(call.ran('set', 'call_timeout=10')).to.equal(true);
        const [first, second] = call.legs.filter((l) => l.name.startsWith('sofia/internal/'));
        expect(first.variables.dialed_user).to.equal('204');
        expect(first.hangup?.['Hangup-Cause']).to.match(/NO_ANSWER|ORIGINATOR_CANCEL|ALLOTTED_TIMEOUT/);
        expect(second.variables.dialed_user).to.equal('205');
        expect(second.answered).to.equal(true);
        const rangAfter =
          Number(second.hangup?.['Caller-Channel-Created-Time']) -
          Number(first.hangup?.['Caller-Channel-Created-Time']);
        expect(rangAfter / 1e6).to.be.within(4.5, 7);
        expect(call.ran('transfer', '206 XML acme')).to.equal(false);
      });

      it('in turn, nobody answers: every member rang, then the after-ring route', async () => {
        const [p204, p205, p206] = [
          await t().phone('204', 'ring'),
          await t().phone('205', 'ring'),
          await t().phone('206'),
        ];
        const [r204, r205, r206] = [p204.invites().length, p205.invites().length, p206.invites().length];
        const call = await t().call(trunkCall('3125550303'));
        expect(p204.invites()).to.have.length(r204 + 1);
        expect(p205.invites()).to.have.length(r205 + 1);
        expect(call.ran('transfer', '206 XML acme')).to.equal(true);
        expect(p206.invites()).to.have.length(r206 + 1);
      });
    });

    describe('conference bridge', () => {
      const joined = (uuid: string) => (e: { headers: Record<string, string> }) =>
        e.headers['Event-Subclass'] === 'conference::maintenance' &&
        e.headers.Action === 'add-member' &&
        e.headers['Unique-ID'] === uuid;

      it('dialing the room number with its PIN joins the room', async () => {
        const running = await t().startCall({
          from: '201',
          to: '800',
          steps: [{ wait: 1000 }, { dtmf: '2468#' }],
          holdMs: 3000,
        });
        const call = await running.done;
        expect(call.status).to.equal(200);
        expect(call.ran('conference', 'acme_800@acme_800')).to.equal(true);
        const event = await t().events.waitFor(joined(call.channel!.uuid), 'the caller joining acme_800');
        expect(event.headers['Conference-Name']).to.equal('acme_800');
      });

      it('a wrong PIN never joins', async () => {
        const call = await t().call({
          from: '202',
          to: '800',
          steps: [{ wait: 1000 }, { dtmf: '1357#' }],
          holdMs: 2500,
        });
        expect(call.ran('conference', 'acme_800@acme_800')).to.equal(true);
        expect(t().events.others.some(joined(call.channel!.uuid))).to.equal(false);
      });

      it('the conference hub asks for the room number, then the room asks for its PIN', async () => {
        const call = await t().call({
          ...trunkCall('3125550304'),
          steps: [{ wait: 1000 }, { dtmf: '800#' }, { wait: 1000 }, { dtmf: '2468#' }],
          holdMs: 3000,
        });
        expect(call.ran('play_and_get_digits', /dt_hub_room \^\(\?:800\)\$/)).to.equal(true);
        expect(call.ran('transfer', `dt_conf_${ids.room} XML acme`)).to.equal(true);
        await t().events.waitFor(joined(call.channel!.uuid), 'the hub caller joining acme_800');
      });
    });
  },
);
