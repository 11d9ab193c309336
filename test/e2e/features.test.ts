// PBX features on a real FreeSWITCH (static tree, Dialtone down): call parking and its timeout, queues with agents
// and the agent status codes, listen live and barge.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { type CallResult, describeE2e } from './support';
import { captureDir, rawEsl, saveCapture } from './support/capture';
import { sleep } from './support/freeswitch';

const ids: Record<string, number> = {};
const ext = (n: string) => ({ kind: 'extension', id: ids[n] });
const trunkCall = (to: string, holdMs: number) => ({
  from: { trunk: true as const, number: '8155550123' },
  to,
  holdMs,
  timeoutSec: 90,
});

describeE2e(
  'e2e: parking, queues, listen live (static tree)',
  {
    mode: 'static',
    pbx: { parkingTimeout: 30 },
    setup: async (b) => {
      for (const n of ['201', '202', '203', '204', '205', '206', '207']) ids[n] = (await b.extension(n)).id;
      await b.create('numbers', { number: '3125550401', routeTo: ext('202') });
      await b.create('numbers', { number: '3125550402', routeTo: ext('205') });
      await b.create('numbers', { number: '3125550403', routeTo: ext('203') });
      ids.queue = await b.create('queues', {
        name: 'Billing',
        number: '600',
        maxWaitSec: 10,
        agentIds: [ids['204'], ids['207']],
        timeout: ext('206'),
      });
      await b.services.pbx.setListenLive(SYSTEM, b.pbx.id, {
        mode: 'both',
        password: '123',
        listenerIds: [ids['206']],
        listenableIds: [ids['203']],
      });
    },
  },
  (t) => {
    it('loads the tree with zero [ERR]/[CRIT]/deprecation lines while Dialtone is down', () => {
      expect(t().startupProblems()).to.deep.equal([]);
    });

    // The parking timeout is 30 s (the shortest the portal allows): two callers are parked first, the rest of the
    // file runs meanwhile (none of it touches 202, 205 or their callers), and the last suite checks the ring-back.
    let parking: Promise<{ blind: CallResult; attended: CallResult }> | null = null;

    describe('call parking', () => {
      it('a caller is parked by a blind transfer to the park code, another by an attended transfer onto it', async () => {
        // Blind: 202 answers and transfers the caller to the park code (a phone's Park key).
        const p202 = await t().phone('202', 'refer', '*70@acme.e2e.test');
        const blind = await t().startCall(trunkCall('3125550401', 45_000));
        // Attended: 205 answers, calls the park code itself, then transfers the caller onto that call (Replaces).
        const p205 = await t().phone('205');
        const attended = await t().startCall(trunkCall('3125550402', 45_000));
        await p202.waitFor('BYE', 1);
        await p202.answer('answer');
        await p205.waitFor('INVITE', 1);
        await sleep(800);
        const consult = await t().startCall({ from: '205', to: '*70', holdMs: 6000 });
        await sleep(2000);
        await t().attendedTransfer(p205, consult, '*70');
        await consult.done;
        // The replacing caller is parked a moment after the REFER (mod_valet_parking's own hand-over).
        let lot = '';
        for (let i = 0; i < 50 && ![blind, attended].every((c) => lot.includes(c.channel()!.uuid)); i++) {
          await sleep(100);
          lot = await t().api('valet_info acme');
        }
        for (const call of [blind, attended]) expect(lot, 'parked in the lot').to.contain(call.channel()!.uuid);
        parking = (async () => {
          // 30 s of parking timeout later, each parker's phone rings again with its parked caller.
          await p202.waitFor('INVITE', 2, 50_000);
          await p205.waitFor('INVITE', 2, 50_000);
          return { blind: await blind.done, attended: await attended.done };
        })();
        parking.catch(() => {}); // awaited (and reported) by the ring-back test
      });

      it('a parked call is picked up by dialing its slot', async () => {
        const p203 = await t().phone('203', 'refer', '*70@acme.e2e.test');
        const parked = await t().startCall(trunkCall('3125550403', 8000));
        await p203.waitFor('BYE', (p203.received('BYE').length ?? 0) + 1);
        await p203.answer('answer');
        await sleep(1000);
        const uuid = parked.channel()!.uuid;
        const slot = new RegExp(`<extension uuid="${uuid}">(\\d+)</extension>`).exec(
          await t().api('valet_info acme'),
        )?.[1];
        expect(slot).to.match(/^70\d$/);
        const retrieve = await t().call({ from: '204', to: slot!, holdMs: 2500 });
        const caller = await parked.done;
        expect(retrieve.status).to.equal(200);
        expect(retrieve.ran('valet_park', `acme ${slot}`)).to.equal(true);
        expect(caller.variables.valet_lot_extension).to.equal(slot);
        // The retriever's channel and the parked caller's are bridged to each other.
        expect(retrieve.variables.bridge_uuid).to.equal(caller.channel?.uuid);
        expect(caller.variables.bridge_uuid).to.equal(retrieve.channel?.uuid);
      });
    });

    describe('queues', () => {
      const status = async (agent: string) =>
        (await t().api(`callcenter_config agent get status ${agent}@acme.e2e.test`)).trim();

      it('agent status codes: login, break and logout set the agent in mod_callcenter; a non-agent is refused', async () => {
        const raw = captureDir() ? await rawEsl(t().ports.esl, t().fs.eslPassword) : null;
        await raw?.send('event plain CUSTOM callcenter::info');
        expect(await status('204')).to.equal('Logged Out');
        const login = await t().call({ from: '204', to: '*41', holdMs: 500 });
        expect(login.status).to.equal(200);
        expect(login.variables.dt_agent_result).to.match(/^\+OK/);
        expect(await status('204')).to.equal('Available');
        await t().call({ from: '204', to: '*43', holdMs: 500 });
        expect(await status('204')).to.equal('On Break');
        await t().call({ from: '204', to: '*42600', holdMs: 500 });
        expect(await status('204')).to.equal('Logged Out');
        if (raw) {
          const frame = raw.frames.find((f) => /CC-Action: agent-status-change/.test(f.toString('latin1')));
          if (frame) saveCapture('esl/esl-event-plain-CUSTOM-callcenter_info-agent-status-change.txt', frame);
          raw.close();
        }
        const stranger = await t().call({ from: '201', to: '*41', holdMs: 5000 });
        expect(stranger.ran('hangup', 'CALL_REJECTED')).to.equal(true);
        expect(await status('201').catch(() => 'no agent')).to.not.equal('Available');
      });

      it('a caller to the queue number reaches an available agent', async () => {
        const p204 = await t().phone('204');
        await t().call({ from: '204', to: '*41600', holdMs: 500 });
        expect(await status('204')).to.equal('Available');
        const before = p204.invites().length;
        const raw = captureDir() ? await rawEsl(t().ports.esl, t().fs.eslPassword) : null;
        await raw?.send('event plain CUSTOM callcenter::info');
        const call = await t().call({ from: '201', to: '600', holdMs: 3000 });
        expect(call.status).to.equal(200);
        expect(call.ran('callcenter', 'acme_600@acme.e2e.test')).to.equal(true);
        expect(p204.invites()).to.have.length(before + 1);
        const bridged = await t().events.waitFor(
          (e) =>
            e.headers['Event-Subclass'] === 'callcenter::info' &&
            e.headers['CC-Action'] === 'bridge-agent-start' &&
            e.headers['CC-Member-Session-UUID'] === call.channel?.uuid,
          'the queue bridging the caller to an agent',
        );
        expect(bridged.headers['CC-Agent']).to.equal('204@acme.e2e.test');
        expect(bridged.headers['CC-Queue']).to.equal('acme_600@acme.e2e.test');
        expect(call.variables.cc_cause).to.equal('answered');
        if (raw) {
          for (const action of ['member-queue-start', 'agent-offering', 'bridge-agent-start', 'bridge-agent-end']) {
            const frame = raw.frames.find((f) => f.toString('latin1').includes(`CC-Action: ${action}\n`));
            if (frame) saveCapture(`esl/esl-event-plain-CUSTOM-callcenter_info-${action}.txt`, frame);
          }
          raw.close();
        }
        await t().call({ from: '204', to: '*42', holdMs: 300 });
      });

      it('with no agent logged in the caller waits, then takes the queue timeout route', async () => {
        const p206 = await t().phone('206');
        const before = p206.invites().length;
        const running = await t().startCall({ from: '201', to: '600', holdMs: 25_000, timeoutSec: 60 });
        await sleep(2500);
        const members = await t().api('callcenter_config queue list members acme_600@acme.e2e.test');
        const call = await running.done;
        expect(members).to.contain(call.channel!.uuid);
        expect(call.ran('transfer', '206 XML acme')).to.equal(true);
        expect(p206.invites()).to.have.length(before + 1);
      });
    });

    describe('listen live', () => {
      it('an allowed listener with the PIN listens to a listenable extension call; barge speaks to it', async () => {
        await t().phone('203');
        const talk = await t().startCall({ from: '201', to: '203', holdMs: 12_000 });
        await sleep(1500);
        const target = talk.channel()!.uuid;
        const listen = await t().call({
          from: '206',
          to: '*33203',
          steps: [{ wait: 800 }, { dtmf: '123#' }],
          holdMs: 2000,
        });
        expect(listen.ran('eavesdrop', target)).to.equal(true);
        expect(listen.variables.eavesdrop_enable_dtmf).to.equal('false');
        const barge = await t().call({
          from: '206',
          to: '*34203',
          steps: [{ wait: 800 }, { dtmf: '123#' }],
          holdMs: 2000,
        });
        expect(barge.ran('eavesdrop', target)).to.equal(true);
        expect(barge.ran('set', /^eavesdrop_whisper_(aleg|bleg)=true$/)).to.equal(true);
        await talk.done;
      });

      it('a wrong PIN or a listener not on the list gets nothing', async () => {
        const wrong = await t().call({
          from: '206',
          to: '*33203',
          steps: [{ wait: 800 }, { dtmf: '999#' }],
          holdMs: 1500,
        });
        expect(wrong.ran('eavesdrop')).to.equal(false);
        const stranger = await t().call({ from: '201', to: '*33203', holdMs: 500 });
        expect(stranger.ran('eavesdrop')).to.equal(false);
        expect(stranger.hangupCause).to.equal('CALL_REJECTED');
      });
    });

    describe('call parking, later', () => {
      it('an unretrieved parked call rings back whoever parked it, after a blind and after an attended transfer', async () => {
        expect(parking, 'the callers were parked').to.not.equal(null);
        const { blind, attended } = await parking!;
        for (const [call, parker] of [
          [blind, '202'],
          [attended, '205'],
        ] as const) {
          expect(call.variables['sip_h_Referred-By']).to.equal(`<sip:${parker}@acme.e2e.test>`);
          expect(call.ran('valet_park')).to.equal(true);
          expect(call.variables.valet_parking_timeout).to.equal('30');
          expect(call.ran('transfer', `${parker} XML acme`), `rang back ${parker}`).to.equal(true);
          expect(call.ran('hangup', 'NO_ANSWER')).to.equal(false);
          expect(call.legs.some((l) => l.variables.dialed_user === parker && l.answered)).to.equal(true);
        }
        expect(blind.variables.sip_refer_to).to.equal('<sip:*70@acme.e2e.test>');
        expect(attended.variables.sip_refer_to).to.match(/^<sip:\*70@acme\.e2e\.test\?Replaces=/);
      });
    });
  },
);
