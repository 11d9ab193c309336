// Voicemail and busy lamps on a real FreeSWITCH (static tree, Dialtone down): leaving and retrieving messages,
// message-waiting NOTIFYs for the phone's own mailbox and for other mailboxes it subscribes to, dialog and presence
// NOTIFYs for busy lamps, announcement-only mailboxes, dialing during the announcement, skipping the instructions,
// recording a mailbox greeting and the attendant greeting by phone.
import { expect } from 'chai';
import { voicemailAccount } from '../../src/freeswitch/generator/dialplan';
import { describeE2e, header } from './support';
import { captureDir, rawEsl, saveCapture } from './support/capture';
import { sleep } from './support/freeswitch';

const ids: Record<string, number> = {};
const fromCarrier = (to: string) => ({ from: { trunk: true as const, number: '8155550123' }, to });
/** The caller speaks for 5 s, most of it after the greeting and the beep, then hangs up (the message is kept). */
const leaveMessage = [{ wait: 2500 }, { speak: true as const, ms: 5000 }];
/** `vm_list` lines: created:read:user:domain:folder:path:uuid:caller name:caller number:seconds. */
function parseVmList(body: string) {
  if (body.startsWith('-ERR')) return [];
  return body
    .split('\n')
    .filter((l) => /^\d+:\d+:/.test(l))
    .map((l) => {
      const p = l.split(':');
      return {
        createdEpoch: Number(p[0]),
        readEpoch: Number(p[1]),
        folder: p[4],
        path: p[5],
        uuid: p[6],
        callerIdName: p.slice(7, -2).join(':'),
        callerIdNumber: p.at(-2),
        durationSec: Number(p.at(-1)),
      };
    });
}
const mwi = (body: string) =>
  Object.fromEntries(
    body
      .split(/\r?\n/)
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );

describeE2e(
  'e2e: voicemail and busy lamps (static tree)',
  {
    mode: 'static',
    setup: async (b) => {
      for (const n of ['201', '202', '203', '210']) {
        const e = await b.extension(n);
        ids[n] = e.id;
        ids[`box${n}`] = e.mailboxId;
      }
      ids.box300 = await b.create('mailboxes', { number: '300', name: 'Shared Box', password: '5309' });
      ids['211'] = (await b.extension('211', { mwiMailboxes: ['300'] })).id;
      ids.box400 = await b.create('mailboxes', {
        number: '400',
        name: 'Hours',
        password: '5309',
        announcementOnly: true,
      });
      ids.box402 = await b.create('mailboxes', {
        number: '402',
        name: 'Terse',
        password: '5309',
        skipInstructions: true,
      });
      await b.create('numbers', { number: '3125550804', routeTo: { kind: 'mailbox', id: ids.box402 } });
      ids.box401 = await b.create('mailboxes', {
        number: '401',
        name: 'Front',
        password: '5309',
        dialDuringAnnouncement: true,
      });
      ids.attendant = await b.create('attendants', {
        name: 'Menu',
        timeoutSec: 10,
        digitTimeoutSec: 1,
        buttons: { '4': { kind: 'mailbox', id: ids.box400 } },
      });
      await b.create('numbers', { number: '3125550801', routeTo: { kind: 'auto_attendant', id: ids.attendant } });
      await b.create('numbers', { number: '3125550802', routeTo: { kind: 'mailbox', id: ids.box401 } });
      await b.create('numbers', { number: '3125550803', routeTo: { kind: 'mailbox', id: ids.box300 } });
    },
  },
  (t) => {
    const list = async (box: string) => parseVmList(await t().api(`vm_list ${box}@acme.e2e.test`));

    it('loads the tree with zero [ERR]/[CRIT]/deprecation lines while Dialtone is down', () => {
      expect(t().startupProblems()).to.deep.equal([]);
    });

    it("leaving a message: it is stored in the mailbox and the phone's message-waiting lamp is told", async () => {
      const p210 = await t().phone('210', 'busy');
      const notifies = p210.received('NOTIFY').length;
      const call = await t().call({ from: '201', to: '210', steps: leaveMessage, holdMs: 1000 });
      expect(call.ran('voicemail', 'default acme.e2e.test 210')).to.equal(true);
      const messages = await list('210');
      expect(messages).to.have.length(1);
      expect(messages[0].callerIdNumber).to.equal('201');
      expect(messages[0].durationSec).to.be.within(3, 12);
      const left = await t().events.waitFor(
        (e) => e.headers['Event-Subclass'] === 'vm::maintenance' && e.headers['VM-Action'] === 'leave-message',
        'the leave-message event',
      );
      expect(left.headers['VM-User']).to.equal('210');
      await p210.waitFor('NOTIFY', notifies + 1);
      const lamp = p210
        .received('NOTIFY')
        .filter((n) => header(n, 'event') === 'message-summary')
        .at(-1)!;
      expect(mwi(lamp.body)).to.include({
        'Messages-Waiting': 'yes',
        'Message-Account': 'sip:210@acme.e2e.test',
        'Voice-Message': '1/0',
      });
      saveCapture('sip/sip-notify-mwi-own-box-after-deposit.txt', lamp.raw);
    });

    it('retrieving messages: *98 opens the own mailbox with its password and a message listened to is read', async () => {
      const before = await list('210');
      expect(before[0].readEpoch).to.equal(0);
      const call = await t().call({
        from: '210',
        to: '*98',
        steps: [
          { wait: 3000 },
          { dtmf: '4321#' },
          { wait: 4000 },
          { dtmf: '1' },
          { wait: 14_000 },
          { dtmf: '2' },
          { wait: 2000 },
        ],
        holdMs: 500,
        timeoutSec: 60,
      });
      expect(call.ran('voicemail', 'check default acme.e2e.test 210')).to.equal(true);
      const auth = await t().events.waitFor(
        (e) => e.headers['Event-Subclass'] === 'vm::maintenance' && e.headers['VM-Action'] === 'authentication',
        'voicemail authentication',
      );
      expect(auth.headers['VM-Auth-Result']).to.equal('success');
      const after = await list('210');
      expect(after[0].readEpoch).to.be.greaterThan(0);
    });

    it('message-waiting for other mailboxes: a phone subscribed to another box hears about its messages', async () => {
      const snap = await t().services.snapshot(t().pbx.id);
      const account = voicemailAccount(snap, snap.mailboxes.find((m) => m.number === '300')!);
      expect(account).to.equal('vm_300@acme.e2e.test');
      const sub = await t().subscribe('211', account, 'message-summary');
      const initial = await sub.waitFor((n) => /Messages-Waiting: no/.test(n.body), 'the empty box');
      expect(header(initial, 'event')).to.equal('message-summary');
      await t().call({ ...fromCarrier('3125550803'), steps: leaveMessage, holdMs: 1000 });
      expect(await list('vm_300')).to.have.length(1);
      const lamp = await sub.waitFor((n) => /Messages-Waiting: yes/.test(n.body), 'a message in vm_300');
      expect(mwi(lamp.body)).to.include({ 'Message-Account': `sip:${account}`, 'Voice-Message': '1/0' });
      saveCapture('sip/sip-notify-mwi-subscribed-other-box.txt', lamp.raw);
      await sub.stop();
      if (captureDir()) {
        const esl = await rawEsl(t().ports.esl, t().fs.eslPassword);
        saveCapture('esl/esl-api-vm_list-mailbox-only-box.txt', await esl.send(`api vm_list ${account}`));
        saveCapture('esl/esl-api-vm_boxcount-mailbox-only-box.txt', await esl.send(`api vm_boxcount ${account}|all`));
        esl.close();
      }
    });

    it("busy lamps: a phone subscribed to a colleague's line gets dialog and presence NOTIFYs through a call", async () => {
      await t().phone('202');
      const dialog = await t().subscribe('203', '202@acme.e2e.test', 'dialog');
      const presence = await t().subscribe('203', '202@acme.e2e.test', 'presence');
      await dialog.waitFor(() => true, 'the first dialog NOTIFY');
      const call = t().call({ from: '201', to: '202', holdMs: 3000 });
      const busy = await dialog.waitFor((n) => /<state[^>]*>confirmed<\/state>/.test(n.body), 'a confirmed dialog');
      expect(header(busy, 'content-type')).to.equal('application/dialog-info+xml');
      expect(busy.body).to.match(/entity="sip:202@acme\.e2e\.test"/);
      const onThePhone = await presence.waitFor(
        (n) => /<rpid:on-the-phone\/>/.test(n.body),
        'presence while on a call',
      );
      expect(header(onThePhone, 'content-type')).to.equal('application/pidf+xml');
      await call;
      await dialog.waitFor(
        (n) =>
          /<state[^>]*>terminated<\/state>/.test(n.body) ||
          /<dialog-info[^>]*\/>|<dialog-info[^>]*>\s*<\/dialog-info>/.test(n.body),
        'the call ended',
      );
      saveCapture('sip/sip-notify-blf-dialog-confirmed.txt', busy.raw);
      await dialog.stop();
      await presence.stop();
    });

    it('announcement-only mailboxes play the greeting and return the caller to the attendant, taking no message', async () => {
      const call = await t().call({
        ...fromCarrier('3125550801'),
        steps: [{ wait: 800 }, { dtmf: '4' }, { wait: 4000 }],
        holdMs: 500,
      });
      const ivr = `acme_${ids.attendant}`;
      expect(call.ran('transfer', `dt_vm_${ids.box400} XML acme`)).to.equal(true);
      expect(call.ran('playback', 'phrase:voicemail_play_greeting:400')).to.equal(true);
      expect(call.ran('voicemail')).to.equal(false);
      expect(call.ran('transfer', `dt_ivr_${ids.attendant} XML acme`)).to.equal(true);
      expect(call.apps.filter((a) => a.app === 'ivr' && a.data === ivr)).to.have.length(2);
    });

    it('dialing during the announcement: an extension keyed during the greeting is rung', async () => {
      const p203 = await t().phone('203');
      const before = p203.invites().length;
      const call = await t().call({
        ...fromCarrier('3125550802'),
        steps: [{ wait: 600 }, { dtmf: '203' }, { wait: 3500 }],
        holdMs: 500,
      });
      expect(call.ran('play_and_get_digits', /dt_vm_dialed/)).to.equal(true);
      expect(call.ran('transfer', '203 XML acme')).to.equal(true);
      expect(call.ran('voicemail')).to.equal(false);
      expect(p203.invites()).to.have.length(before + 1);
    });

    it('skip voicemail instructions: the box records right after the greeting', async () => {
      const call = await t().call({ ...fromCarrier('3125550804'), steps: leaveMessage, holdMs: 1000 });
      expect(call.ran('set', 'skip_instructions=true')).to.equal(true);
      expect(call.ran('voicemail', 'default acme.e2e.test vm_402')).to.equal(true);
      expect(await list('vm_402')).to.have.length(1);
    });

    it('recording the attendant greeting by phone (*323): the PBX PIN, then the recording is named for the attendant', async () => {
      const call = await t().call({
        from: '201',
        to: '*323',
        steps: [{ wait: 1200 }, { dtmf: `${t().pbx.pin}#` }, { wait: 1500 }, { speak: true }],
        holdMs: 800,
        timeoutSec: 40,
      });
      expect(call.variables.dialtone_record_auth).to.equal('attendants');
      expect(call.variables.dialtone_recorded).to.equal(`attendant-${ids.attendant}`);
      const file = `${t().generateOptions.audioDir}/acme/phone-attendant-${ids.attendant}-${call.channel!.uuid}.wav`;
      expect(call.ran('record', `${file} 180 200 5`)).to.equal(true);
      const wrong = await t().call({
        from: '202',
        to: '*323',
        steps: [{ wait: 1200 }, { dtmf: '000000#' }],
        holdMs: 2500,
      });
      expect(wrong.ran('record')).to.equal(false);
      expect(wrong.ran('transfer', 'dt_record_denied XML acme')).to.equal(true);
    });

    it('recording a greeting by phone (* + mailbox): the owner records, and the call record says what and where', async () => {
      const posts = t().cdr.posts.length;
      const call = await t().call({
        from: '210',
        to: '*210',
        steps: [{ wait: 1500 }, { dtmf: '1' }, { wait: 1500 }, { speak: true }],
        holdMs: 800,
        timeoutSec: 40,
      });
      expect(call.ran('record')).to.equal(true);
      const file = call.variables.dialtone_recorded_file;
      expect(call.variables.dialtone_recorded).to.equal(`mailbox-${ids.box210}-unavailable`);
      expect(file).to.equal(
        `${t().generateOptions.audioDir}/acme/phone-mailbox-${ids.box210}-unavailable-${call.channel!.uuid}.wav`,
      );
      expect(Number(call.variables.record_ms)).to.be.greaterThan(2500);
      await sleep(500);
      const post = t()
        .cdr.posts.slice(posts)
        .find((p) => p.url.includes(call.channel!.uuid));
      expect(post, 'the a-leg call record').to.not.equal(undefined);
      const record = JSON.parse(post!.body.toString('utf8'));
      expect(record.variables.dialtone_recorded).to.equal(`mailbox-${ids.box210}-unavailable`);
      expect(record.variables.record_ms).to.equal(call.variables.record_ms);
      saveCapture('cdr/cdr-record-greeting-json_cdr-a-leg.http', post!.raw);
    });
  },
);
