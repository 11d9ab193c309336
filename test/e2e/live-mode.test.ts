// Live mode on a real FreeSWITCH: mod_xml_curl asks a running Dialtone for directory users, dialplans and module
// configurations. A representative subset of the routing features, then changes made through the service layer that
// the next call uses without reloadxml, and a greeting recorded by phone that Dialtone imports and plays back.
import { expect } from 'chai';
import { AudioFileSchema, CallRecordSchema } from '../../src/domain/model';
import { SYSTEM } from '../../src/services/actor';
import { describeE2e, header, nameAndUser } from './support';
import { sleep } from './support/freeswitch';

const ids: Record<string, number> = {};
const ext = (n: string) => ({ kind: 'extension', id: ids[n] });
const fromCarrier = (to: string) => ({ from: { trunk: true as const, number: '8155550123' }, to });

describeE2e(
  'e2e: live mode (xml_curl against a running Dialtone)',
  {
    mode: 'live',
    pbx: { internationalCalling: false },
    setup: async (b) => {
      for (const n of ['201', '202', '203', '204', '205']) {
        const e = await b.extension(n);
        ids[n] = e.id;
        ids[`box${n}`] = e.mailboxId;
      }
      ids.trunk = await b.create('trunks', { name: 'carrier', host: '127.0.0.1', port: b.carrierPort });
      ids.attendant = await b.create('attendants', {
        name: 'Menu',
        timeoutSec: 5,
        digitTimeoutSec: 1,
        buttons: { '1': ext('203') },
      });
      ids.group = await b.create('groups', {
        name: 'In turn',
        strategy: 'sequential',
        secondsToRing: 5,
        memberIds: [ids['204'], ids['205']],
        afterRing: { kind: 'hangup' },
      });
      ids.queue = await b.create('queues', {
        name: 'Q',
        number: '600',
        agentIds: [ids['204']],
        timeout: { kind: 'hangup' },
      });
      ids.room = await b.create('conferences', { number: '800', password: '2468' });
      await b.create('numbers', { number: '3125550901', routeTo: { kind: 'auto_attendant', id: ids.attendant } });
      await b.create('numbers', { number: '3125550902', routeTo: { kind: 'group', id: ids.group } });
      await b.create('numbers', { number: '3125550903', routeTo: { kind: 'mailbox', id: ids.box205 } });
    },
  },
  (t) => {
    it('loads with zero [ERR]/[CRIT]/deprecation lines with Dialtone up, every lookup answered by Dialtone', () => {
      expect(t().startupProblems()).to.deep.equal([]);
      expect(t().dialtone!.lookups()).to.be.greaterThan(5);
      // Nothing Dialtone answers sits on disk: no stale copy to fall back to.
      const written = [...t().tree.keys()];
      expect(written.filter((p) => /^(directory|dialplan)\//.test(p))).to.deep.equal(['dialplan/public.xml']);
      expect(written).to.include('autoload_configs/xml_curl.conf.xml');
      expect(written.some((p) => p.startsWith('sip_profiles/external/'))).to.equal(true);
    });

    it('registration and an extension call: directory and dialplan come from Dialtone', async () => {
      const before = t().dialtone!.lookups();
      const p202 = await t().phone('202');
      const call = await t().call({ from: '201', to: '202' });
      expect(call.status).to.equal(200);
      expect(call.ran('bridge', 'user/202@acme.e2e.test')).to.equal(true);
      expect(p202.invites()).to.have.length(1);
      expect(t().dialtone!.lookups()).to.be.greaterThan(before + 2);
    });

    it('a phone number to an attendant (public context and ivr.conf from Dialtone): a key rings its extension', async () => {
      const p203 = await t().phone('203');
      const before = p203.invites().length;
      const call = await t().call({
        ...fromCarrier('3125550901'),
        steps: [{ wait: 800 }, { dtmf: '1' }],
        holdMs: 2500,
      });
      expect(call.ran('ivr', `acme_${ids.attendant}`)).to.equal(true);
      expect(p203.invites()).to.have.length(before + 1);
    });

    it('a sequential ring group rings its members in turn', async () => {
      const [p204, p205] = [await t().phone('204', 'ring'), await t().phone('205')];
      const [r204, r205] = [p204.invites().length, p205.invites().length];
      const call = await t().call(fromCarrier('3125550902'));
      expect(call.status).to.equal(200);
      expect(p204.invites()).to.have.length(r204 + 1);
      expect(p205.invites()).to.have.length(r205 + 1);
    });

    it('conference PIN, queue agent code and queue call (conference.conf and callcenter.conf from Dialtone)', async () => {
      const room = await t().call({ from: '201', to: '800', steps: [{ wait: 1000 }, { dtmf: '2468#' }], holdMs: 2000 });
      await t().events.waitFor(
        (e) => e.headers.Action === 'add-member' && e.headers['Unique-ID'] === room.channel?.uuid,
        'joining the room',
      );
      const p204 = await t().phone('204');
      await t().call({ from: '204', to: '*41', holdMs: 500 });
      expect((await t().api('callcenter_config agent get status 204@acme.e2e.test')).trim()).to.equal('Available');
      const before = p204.invites().length;
      const queued = await t().call({ from: '201', to: '600', holdMs: 2500 });
      expect(queued.variables.cc_cause).to.equal('answered');
      expect(p204.invites()).to.have.length(before + 1);
    });

    it('a voicemail message is left and its call record lands in Dialtone', async () => {
      await t().call({
        ...fromCarrier('3125550903'),
        steps: [{ wait: 2500 }, { speak: true, ms: 5000 }],
        holdMs: 500,
      });
      expect(await t().api('vm_list 205@acme.e2e.test')).to.match(/:205:acme\.e2e\.test:inbox:/);
      await sleep(500);
      const records = await t().services.orm.em.fork().find(CallRecordSchema, { pbxId: t().pbx.id });
      expect(
        records.some(
          (r) => r.destination === '3125550903' && r.direction === 'inbound' && r.callerNumber === '8155550123',
        ),
        JSON.stringify(records.map((r) => [r.destination, r.direction, r.callerNumber])),
      ).to.equal(true);
    });

    describe('changes through the service layer apply to the next call, without reloadxml', () => {
      it('routing: Try First moves to another extension, then back', async () => {
        const [p202, p203] = [await t().phone('202'), await t().phone('203')];
        await t().services.objects.update(SYSTEM, t().pbx.id, 'extensions', ids['202'], {
          routing: { tryFirst: ext('203') },
        });
        const [r202, r203] = [p202.invites().length, p203.invites().length];
        await t().call({ from: '201', to: '202' });
        expect(p202.invites()).to.have.length(r202);
        expect(p203.invites()).to.have.length(r203 + 1);
        await t().services.objects.update(SYSTEM, t().pbx.id, 'extensions', ids['202'], {
          routing: { tryFirst: { kind: 'phone' } },
        });
        await t().call({ from: '201', to: '202' });
        expect(p202.invites()).to.have.length(r202 + 1);
      });

      it('a new extension registers and takes calls at once; PBX settings (international calling) apply', async () => {
        const created = (await t().services.objects.create(
          SYSTEM,
          t().pbx.id,
          'extensions',
          {
            number: '230',
            name: 'New Hire',
            e911LocationId: (await t().services.snapshot(t().pbx.id)).e911Locations[0].id,
          },
          { sipPassword: 'e2ePasswordNewHire230' },
        )) as { id: number };
        expect(created.id).to.be.a('number');
        const p230 = await t().phone('230');
        const call = await t().call({ from: '201', to: '230' });
        expect(call.status).to.equal(200);
        expect(nameAndUser(header(p230.invites()[0], 'from')).user).to.equal('201');

        await t().carrier.answer('answer');
        const barred = await t().call({ from: '201', to: '011442071234567', holdMs: 500 });
        expect(barred.ran('hangup', 'OUTGOING_CALL_BARRED')).to.equal(true);
        await t().services.pbx.update(SYSTEM, t().pbx.id, { internationalCalling: true });
        const allowed = await t().call({ from: '201', to: '011442071234567', holdMs: 800 });
        expect(allowed.status).to.equal(200);
        expect(t().carrier.invites().at(-1)?.uri).to.match(/^sip:011442071234567@/);
      });

      it('a greeting recorded by phone is imported from its call record and plays to the next caller', async () => {
        const record = await t().call({
          from: '205',
          to: '*205',
          steps: [{ wait: 1500 }, { dtmf: '1' }, { wait: 1500 }, { speak: true }],
          holdMs: 800,
          timeoutSec: 40,
        });
        expect(record.variables.dialtone_recorded).to.equal(`mailbox-${ids.box205}-unavailable`);
        let greeting: number | null = null;
        for (let i = 0; i < 60 && greeting === null; i++) {
          await sleep(100);
          const box = (await t().services.snapshot(t().pbx.id)).mailboxes.find((m) => m.id === ids.box205);
          greeting = box?.unavailableGreetingId ?? null;
        }
        expect(greeting, 'the mailbox got the recording as its greeting').to.be.a('number');
        const file = await t().services.orm.em.fork().findOneOrFail(AudioFileSchema, { id: greeting! });
        expect(file.storedName).to.equal(`phone-mailbox-${ids.box205}-unavailable-${record.channel!.uuid}.wav`);
        const caller = await t().call({ ...fromCarrier('3125550903'), holdMs: 2500 });
        expect(caller.variables.voicemail_greeting_path).to.equal(record.variables.dialtone_recorded_file);
        expect(t().dialtone!.problems).to.deep.equal([]);
      });
    });
  },
);
