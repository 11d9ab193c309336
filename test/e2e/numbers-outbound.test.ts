// Phone numbers and outbound calls on a real FreeSWITCH (static tree, Dialtone down): a number to every destination
// kind, holidays and time frames in the PBX time zone, privacy screening, caller-ID presentation, hold music, call
// blocking both ways, outbound rules (NANP, 7-digit, N11, international barred), E911 and the call-path limit.
import { expect } from 'chai';
import { describeE2e, header, nameAndUser } from './support';
import { sleep } from './support/freeswitch';

/** A zone whose date differs from UTC's right now: a rule matching there proves the PBX zone is used, not UTC. */
const ZONE = new Date().getUTCHours() >= 12 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
const local = (part: 'date' | 'weekday') => {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
  });
  const parts = Object.fromEntries(f.formatToParts(new Date()).map((p) => [p.type, p.value]));
  return part === 'date'
    ? `${parts.year}-${parts.month}-${parts.day}`
    : String(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday));
};

const ids: Record<string, number> = {};
const ext = (n: string) => ({ kind: 'extension', id: ids[n] });
const fromCarrier = (to: string, number = '8155550123') => ({ from: { trunk: true as const, number }, to });

/** DID per destination kind, and how FreeSWITCH shows it reached that destination. */
const KINDS: Array<[string, string]> = [
  ['extension', '3125550601'],
  ['sip_trunk', '3125550602'],
  ['phone_number', '3125550603'],
  ['mailbox', '3125550604'],
  ['group', '3125550605'],
  ['auto_attendant', '3125550606'],
  ['time_frame', '3125550607'],
  ['conference', '3125550608'],
  ['conference_hub', '3125550609'],
  ['queue', '3125550610'],
  ['outside_number', '3125550611'],
  ['company_directory', '3125550612'],
  ['check_voicemail', '3125550613'],
  ['custom', '3125550614'],
];

describeE2e(
  'e2e: phone numbers and outbound calls (static tree)',
  {
    mode: 'static',
    pbx: { timezone: ZONE, prepaidPaths: 1, onDemandPaths: 0, sevenDigitDialing: true, internationalCalling: false },
    setup: async (b) => {
      for (const n of ['201', '202', '203', '204', '205', '206']) ids[n] = (await b.extension(n)).id;
      const box210 = await b.extension('210');
      ids.mailbox210 = box210.mailboxId;
      ids.trunk = await b.create('trunks', { name: 'carrier', host: '127.0.0.1', port: b.carrierPort });
      ids.group = await b.create('groups', {
        name: 'G',
        strategy: 'simultaneous',
        secondsToRing: 5,
        memberIds: [ids['202']],
        afterRing: { kind: 'hangup' },
      });
      ids.attendant = await b.create('attendants', { name: 'Menu', timeoutSec: 5, digitTimeoutSec: 1, buttons: {} });
      ids.today = await b.create('time-frames', {
        name: 'Open today',
        rules: [{ days: [Number(local('weekday'))], allDay: true }],
        during: ext('203'),
        after: ext('204'),
      });
      ids.notToday = await b.create('time-frames', {
        name: 'Open another day',
        rules: [{ days: [(Number(local('weekday')) + 3) % 7], allDay: true }],
        during: ext('203'),
        after: ext('204'),
      });
      await b.create('holidays', { name: 'Today', date: local('date') });
      ids.room = await b.create('conferences', { number: '800', password: '2468' });
      ids.hub = await b.create('conference-hubs', { name: 'Hub' });
      ids.queue = await b.create('queues', {
        name: 'Q',
        number: '600',
        agentIds: [ids['205']],
        timeout: { kind: 'hangup' },
      });
      const target: Record<string, Record<string, unknown>> = {
        extension: ext('202'),
        sip_trunk: { kind: 'sip_trunk', id: ids.trunk },
        phone_number: { kind: 'phone_number', id: b.mainNumber.id },
        mailbox: { kind: 'mailbox', id: ids.mailbox210 },
        group: { kind: 'group', id: ids.group },
        auto_attendant: { kind: 'auto_attendant', id: ids.attendant },
        time_frame: { kind: 'time_frame', id: ids.today },
        conference: { kind: 'conference', id: ids.room },
        conference_hub: { kind: 'conference_hub', id: ids.hub },
        queue: { kind: 'queue', id: ids.queue },
        outside_number: { kind: 'outside_number', number: '7735550142' },
        company_directory: { kind: 'company_directory' },
        check_voicemail: { kind: 'check_voicemail' },
        custom: { kind: 'custom', value: '203' },
      };
      for (const [kind, number] of KINDS) ids[kind] = await b.create('numbers', { number, routeTo: target[kind] });
      await b.update('numbers', b.mainNumber.id, { routeTo: ext('206') });
      ids.main = b.mainNumber.id;
      // 203 presents another number on outside calls: 911 must still present the E911 callback number.
      await b.update('extensions', ids['203'], { outgoingCallerIdNumberId: ids.extension });
      await b.create('numbers', { number: '3125550701', routeTo: { kind: 'time_frame', id: ids.notToday } });
      await b.create('numbers', { number: '3125550702', routeTo: ext('206'), ifHoliday: ext('205') });
      await b.create('numbers', { number: '3125550703', routeTo: ext('202'), privacyScreening: true });
      await b.create('numbers', {
        number: '3125550704',
        routeTo: ext('202'),
        showCallerId: false,
        callerIdName: 'ACME SALES',
      });
      await b.create('call-blocks', { number: '8005550199', direction: 'inbound' });
      await b.create('call-blocks', { number: '3125550177', direction: 'outbound' });
    },
  },
  (t) => {
    it('loads the tree with zero [ERR]/[CRIT]/deprecation lines while Dialtone is down', () => {
      expect(t().startupProblems()).to.deep.equal([]);
    });

    it('a phone number reaches every kind of destination', async () => {
      for (const n of ['202', '203', '206']) await t().phone(n);
      await t().carrier.answer('answer');
      const seen: Record<string, boolean> = {};
      // Five calls at a time: they share nothing but the carrier and the phones that answer them.
      const check = async ([kind, number]: [string, string]) => {
        const call = await t().call({ ...fromCarrier(number), holdMs: 1200 });
        const reached: Record<string, () => boolean> = {
          extension: () => call.ran('transfer', '202 XML acme') && call.ran('bridge', 'user/202@acme.e2e.test'),
          sip_trunk: () => call.ran('bridge', `sofia/gateway/acme_carrier/${number}`),
          phone_number: () =>
            call.ran('transfer', `dt_did_${ids.main} XML acme`) && call.ran('bridge', 'user/206@acme.e2e.test'),
          mailbox: () => call.ran('voicemail', 'default acme.e2e.test 210'),
          group: () => call.ran('bridge', '[leg_timeout=5]user/202@acme.e2e.test'),
          auto_attendant: () => call.ran('ivr', `acme_${ids.attendant}`),
          time_frame: () => call.ran('transfer', `dt_tf_${ids.today} XML acme`),
          conference: () => call.ran('conference', 'acme_800@acme_800'),
          conference_hub: () => call.ran('transfer', `dt_hub_${ids.hub} XML acme`) && call.ran('play_and_get_digits'),
          queue: () => call.ran('callcenter', 'acme_600@acme.e2e.test'),
          outside_number: () => call.ran('bridge', 'sofia/gateway/acme_carrier/17735550142'),
          company_directory: () => call.ran('directory', 'default acme.e2e.test acme'),
          check_voicemail: () => call.ran('voicemail', /^check default acme\.e2e\.test/),
          custom: () => call.ran('transfer', '203 XML acme') && call.ran('bridge', 'user/203@acme.e2e.test'),
        };
        seen[kind] = reached[kind]();
      };
      for (let i = 0; i < KINDS.length; i += 5) await Promise.all(KINDS.slice(i, i + 5).map(check));
      expect(seen).to.deep.equal(Object.fromEntries(KINDS.map(([k]) => [k, true])));
      const carried = t()
        .carrier.invites()
        .map((m) => m.uri?.replace(/@.*/, ''));
      expect(carried).to.include.members(['sip:3125550602', 'sip:17735550142']);
    });

    it('holidays: on a holiday of the PBX time zone the number takes its If Holiday route', async () => {
      const call = await t().call({ ...fromCarrier('3125550702'), holdMs: 800 });
      expect(call.ran('set', `timezone=${ZONE}`)).to.equal(true);
      expect(call.ran('transfer', '205 XML acme')).to.equal(true);
      expect(call.ran('transfer', '206 XML acme')).to.equal(false);
    });

    it('time frames: today in the PBX time zone is during hours, another weekday is after hours', async () => {
      const during = await t().call({ ...fromCarrier(KINDS[6][1]), holdMs: 800 });
      expect(during.ran('transfer', '203 XML acme')).to.equal(true);
      const after = await t().call({ ...fromCarrier('3125550701'), holdMs: 800 });
      expect(after.ran('set', `timezone=${ZONE}`)).to.equal(true);
      expect(after.ran('transfer', '204 XML acme')).to.equal(true);
    });

    it('privacy screening: a caller without a 10-digit caller ID keys one in and rings with it', async () => {
      const p202 = await t().phone('202');
      const before = p202.invites().length;
      const screened = await t().call({
        ...fromCarrier('3125550703', 'anonymous'),
        steps: [{ wait: 1000 }, { dtmf: '7735550199#' }],
        holdMs: 2000,
      });
      expect(screened.ran('play_and_get_digits', /dt_screen_cid/)).to.equal(true);
      expect(p202.invites()).to.have.length(before + 1);
      expect(nameAndUser(header(p202.invites().at(-1)!, 'from')).user).to.equal('7735550199');
      const plain = await t().call({ ...fromCarrier('3125550703', '7735550100'), holdMs: 1200 });
      expect(plain.ran('play_and_get_digits')).to.equal(false);
      expect(nameAndUser(header(p202.invites().at(-1)!, 'from')).user).to.equal('7735550100');
    });

    it('Show Caller ID off: the phone shows the called number and its CNAM instead of the caller', async () => {
      const p202 = await t().phone('202');
      await t().call({ ...fromCarrier('3125550704'), holdMs: 1000 });
      expect(nameAndUser(header(p202.invites().at(-1)!, 'from'))).to.deep.equal({
        name: 'ACME SALES',
        user: '3125550704',
      });
    });

    it('hold music: a caller on a number is given the PBX hold-music stream, which FreeSWITCH plays', async () => {
      const call = await t().call({ ...fromCarrier('3125550601'), holdMs: 800 });
      expect(call.ran('export', 'hold_music=local_stream://default')).to.equal(true);
      expect(call.legs[0].variables.hold_music).to.equal('local_stream://default');
      expect(await t().api('local_stream show default')).to.contain(`${t().settings.paths?.soundsDir}/music/8000`);
    });

    it('call blocking: a blocked caller is refused, a blocked number is never dialed', async () => {
      const blockedIn = await t().call({ ...fromCarrier('3125550601', '8005550199'), holdMs: 500 });
      expect(blockedIn.status).to.equal(603);
      expect(blockedIn.ran('hangup', 'CALL_REJECTED')).to.equal(true);
      const carried = t().carrier.invites().length;
      const blockedOut = await t().call({ from: '201', to: '3125550177', holdMs: 500 });
      expect(blockedOut.status).to.equal(603);
      expect(blockedOut.variables.dialtone_blocked).to.equal('outbound');
      expect(t().carrier.invites()).to.have.length(carried);
    });

    describe('outbound rules', () => {
      const lastCarried = () => t().carrier.invites().at(-1)!;

      it('10-digit numbers go out as 1+10 digits with the outbound caller ID', async () => {
        await t().carrier.answer('answer');
        const call = await t().call({ from: '201', to: '7735550142', holdMs: 800 });
        expect(call.status).to.equal(200);
        expect(lastCarried().uri).to.match(/^sip:17735550142@127\.0\.0\.1/);
        expect(nameAndUser(header(lastCarried(), 'from'))).to.deep.equal({ name: 'ACME', user: '3125550100' });
        expect(call.variables.dialtone_direction).to.equal('outbound');
      });

      it('7-digit dialing adds the PBX area code; N11 goes out as dialed', async () => {
        await t().call({ from: '201', to: '5550142', holdMs: 800 });
        expect(lastCarried().uri).to.match(/^sip:13125550142@/);
        await t().call({ from: '201', to: '411', holdMs: 800 });
        expect(lastCarried().uri).to.match(/^sip:411@/);
      });

      it('international calls are barred while the PBX does not allow them', async () => {
        const carried = t().carrier.invites().length;
        const call = await t().call({ from: '201', to: '011442071234567', holdMs: 500 });
        expect(call.ran('hangup', 'OUTGOING_CALL_BARRED')).to.equal(true);
        expect(t().carrier.invites()).to.have.length(carried);
      });

      it('the call-path limit refuses a second concurrent outside call; 911 always goes through, with the E911 callback number', async () => {
        const first = t().call({ from: '201', to: '7735550142', holdMs: 6000 });
        await sleep(2500);
        const second = await t().call({ from: '202', to: '7735550143', holdMs: 500 });
        expect(second.ran('limit', 'hash acme paths 1 !NORMAL_CIRCUIT_CONGESTION')).to.equal(true);
        expect(second.hangupCause).to.equal('NORMAL_CIRCUIT_CONGESTION');
        expect(second.status).to.equal(503);
        const emergency = await t().call({ from: '203', to: '911', holdMs: 800 });
        expect(emergency.status).to.equal(200);
        expect(emergency.variables.dialtone_emergency).to.equal('true');
        expect(emergency.ran('limit')).to.equal(false);
        expect(lastCarried().uri).to.match(/^sip:911@/);
        expect(nameAndUser(header(lastCarried(), 'from')).user).to.equal('3125550100');
        expect((await first).status).to.equal(200);
        await t().call({ from: '203', to: '7735550144', holdMs: 500 });
        expect(nameAndUser(header(lastCarried(), 'from')).user, "203's own outbound caller ID").to.equal('3125550601');
      });
    });
  },
);
