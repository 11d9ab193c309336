// Mailbox greetings and announcements on a real FreeSWITCH (static tree, Dialtone down): announcement-only mailboxes,
// dialing during the announcement, skipping the instructions, recording a mailbox greeting and the attendant greeting
// by phone. A file of its own (the PBX of voicemail.test.ts) so the two run side by side.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { describeE2e } from './support';
import { saveCapture } from './support/capture';
import { sleep } from './support/freeswitch';
import { fromCarrier, type Ids, leaveMessage, parseVmList, setupVoicemailPbx } from './support/voicemail-pbx';

const ids: Ids = {};

describeE2e(
  'e2e: mailbox greetings and announcements (static tree)',
  { mode: 'static', setup: (b) => setupVoicemailPbx(b, ids) },
  (t) => {
    const list = async (box: string) => parseVmList(await t().api(`vm_list ${box}@acme.e2e.test`));

    it('loads the tree with zero [ERR]/[CRIT]/deprecation lines while Dialtone is down', () => {
      expect(t().startupProblems()).to.deep.equal([]);
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
      const { pin } = await t().services.pbx.revealSecrets(SYSTEM, t().pbx.id);
      const call = await t().call({
        from: '201',
        to: '*323',
        steps: [{ wait: 1200 }, { dtmf: `${pin}#` }, { wait: 1500 }, { speak: true }],
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
