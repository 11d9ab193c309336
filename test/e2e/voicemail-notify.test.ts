// End to end on a real FreeSWITCH 1.10.12 running Dialtone's generated tree: sipp (102) leaves a message for 101;
// FreeSWITCH's vm::maintenance event reaches Dialtone, which mails the WAV FreeSWITCH stored to Email to Notify and
// a notice to the SMS email through a real SMTP server on loopback; the portal's voicemail service lists the message
// and deletes it, and vm_list agrees. Fails when FreeSWITCH or sipp is missing on CI (process.env.CI), skips otherwise.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { type Orm, openDatabase } from '../../src/db';
import { localAudioFileSource } from '../../src/freeswitch/audio-file-source';
import { EslFreeswitchControl, leftMessage, VOICEMAIL_EVENTS, voicemailList } from '../../src/freeswitch/event-socket';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { smtpSender } from '../../src/services/mail';
import { VoicemailService } from '../../src/services/voicemail';
import { VoicemailNotifier } from '../../src/services/voicemail-notify';
import { SmtpSink } from '../helpers/smtp-sink';
import {
  eventually,
  missingTools,
  PCAP,
  type RunningFreeswitch,
  type Sipp,
  sipp,
  startFreeswitch,
} from './phone-apps-freeswitch';

const DOMAIN = 'demo.dialtone.test';

describe('voicemail notifications on a real FreeSWITCH (e2e)', function () {
  this.timeout(180_000);
  let orm: Orm;
  let services: Services;
  let fs: RunningFreeswitch | undefined;
  let esl: EslFreeswitchControl | undefined;
  let smtp: SmtpSink | undefined;
  let notifier: VoicemailNotifier | undefined;
  const phones: Sipp[] = [];
  let pbxId = 0;
  let box101 = 0;
  let sip102 = { number: '102', password: '' };

  before(async function () {
    const missing = missingTools();
    if (missing) {
      if (process.env.CI) throw new Error(`voicemail e2e cannot run: ${missing}`);
      this.skip();
    }
    orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
    services = createServices(orm, { profileIds: new Set() });
    pbxId = (await seedDemo(services, 'demo')).pbx.id;
    const snap = await services.snapshot(pbxId);
    box101 = snap.mailboxes.find((m) => m.number === '101')!.id as number;
    sip102 = { number: '102', password: snap.extensions.find((e) => e.number === '102')!.sipPassword };
    await services.objects.update(SYSTEM, pbxId, 'mailboxes', box101, {
      email: 'alice@dental.test',
      smsEmail: '2125550142@sms.carrier.test',
    });
    fs = await startFreeswitch(services);
    esl = new EslFreeswitchControl({ host: '127.0.0.1', port: fs.eslPort, password: fs.eslPassword, reconnect: false });
    smtp = await SmtpSink.start();
    const live = new LiveSnapshots(orm);
    notifier = new VoicemailNotifier({
      snapshots: live,
      audio: localAudioFileSource(),
      mail: smtpSender(smtp.url),
      freeswitch: esl,
      attempts: 2,
      retryDelayMs: () => 50,
    });
    await esl.onEvent(VOICEMAIL_EVENTS, (e) => {
      const left = leftMessage(e);
      if (left) notifier!.messageLeft(left);
    });
  });

  after(async () => {
    for (const p of phones) await p.kill();
    await notifier?.stop();
    await esl?.close();
    await smtp?.close();
    await fs?.stop();
    await orm?.close(true);
  });

  it('sipp leaves a message; the WAV FreeSWITCH stored arrives by email, the notice by SMS email', async () => {
    const caller = await sipp(fs!, 'leave-message', sip102, {
      domain: DOMAIN,
      dest: '101',
      caller_name: 'Bob',
      pcap: PCAP,
    });
    phones.push(caller);
    expect(await caller.done, `sipp caller\n${caller.trace().slice(-2000)}`).to.equal(0);
    await eventually(() => smtp!.received.length === 2, 'two mails');
    await notifier!.idle();
    const [entry] = (await voicemailList(esl!, { user: '101', domain: DOMAIN })).entries;
    expect(entry).to.not.equal(undefined);
    const email = smtp!.received.find((m) => m.envelopeTo.includes('alice@dental.test'))!;
    const sms = smtp!.received.find((m) => m.envelopeTo.includes('2125550142@sms.carrier.test'))!;
    expect(email.parsed.subject).to.equal('New voicemail from Bob Hygienist (102) in mailbox 101');
    expect(email.parsed.attachments).to.have.length(1);
    const wav = email.parsed.attachments[0]!.content;
    expect(wav.subarray(0, 4).toString('latin1')).to.equal('RIFF');
    expect(wav.equals(readFileSync(entry!.filePath))).to.equal(true);
    expect(sms.parsed.attachments).to.have.length(0);
    expect(sms.parsed.text).to.match(/^New voicemail \(0:0\d\) from Bob Hygienist \(102\) in mailbox 101/);

    // The portal's service sees the same message and deletes it; vm_list agrees.
    const vm = new VoicemailService({
      snapshots: new LiveSnapshots(orm),
      freeswitch: esl!,
      audio: localAudioFileSource(),
    });
    const [listed] = await vm.messages(SYSTEM, pbxId, box101, 'new');
    expect(listed!.id).to.equal(entry!.uuid);
    await vm.delete(SYSTEM, pbxId, box101, listed!.id);
    expect((await voicemailList(esl!, { user: '101', domain: DOMAIN })).entries).to.deep.equal([]);
  });
});
