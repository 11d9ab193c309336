// Voicemail and busy lamps on a real FreeSWITCH (static tree, Dialtone down): leaving and retrieving messages,
// message-waiting NOTIFYs for the phone's own mailbox and for other mailboxes it subscribes to, dialog and presence
// NOTIFYs for busy lamps. (Greetings and announcements: voicemail-greetings.test.ts, on the same PBX.)
import { expect } from 'chai';
import { voicemailAccount } from '../../src/freeswitch/generator/dialplan';
import { describeE2e, header } from './support';
import { captureDir, rawEsl, saveCapture } from './support/capture';
import { fromCarrier, type Ids, leaveMessage, mwi, parseVmList, setupVoicemailPbx } from './support/voicemail-pbx';

const ids: Ids = {};

describeE2e(
  'e2e: voicemail and busy lamps (static tree)',
  { mode: 'static', setup: (b) => setupVoicemailPbx(b, ids) },
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
  },
);
