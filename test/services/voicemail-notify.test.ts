// Voicemail notifications from FreeSWITCH's own leave-message event (the real 1.10.12 capture, pushed by the fake
// event socket) to a real SMTP server on loopback: the WAV attached for Email to Notify, a short notice without
// audio for the SMS email, one log line per delivery, retries after 4xx but not after 5xx, delete after email,
// hostile caller names kept out of the headers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { localAudioFileSource } from '../../src/freeswitch/audio-file-source';
import { EslFreeswitchControl, leftMessage, VOICEMAIL_EVENTS } from '../../src/freeswitch/event-socket';
import { parseEventFrame } from '../../src/freeswitch/event-socket/event';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { addressesOf, smtpSender } from '../../src/services/mail';
import { VoicemailNotifier } from '../../src/services/voicemail-notify';
import { eslFixtureFrames } from '../fakes/esl-fixtures';
import { FakeEslServer } from '../fakes/fake-esl-server';
import { wav } from '../helpers/audio-files';
import { ENGINES } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';
import { SmtpSink } from '../helpers/smtp-sink';

const CAPTURE = 'esl-event-plain-CUSTOM-vm_maintenance-leave-message.txt';
const UUID = '65ab35c7-a066-4ffd-8367-86a3da2604c8';
const captured = () => parseEventFrame(eslFixtureFrames(CAPTURE)[0]!);

describe('voicemail notifications', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let pbx: { id: number };
  let box101: number;
  let esl: FakeEslServer;
  let control: EslFreeswitchControl;
  let smtp: SmtpSink;
  let storage: string;
  let notifier: VoicemailNotifier;
  let logs: Array<{ level: string; msg: string; fields?: Record<string, unknown> }>;
  const audio = wav({ seconds: 1, rate: 8000 });

  before(async () => {
    w = await openWorld(ENGINES[0]);
    pbx = (await seedDemo(w.services, 'demo')).pbx;
    box101 = (await w.services.snapshot(pbx.id)).mailboxes.find((m) => m.number === '101')!.id as number;
    storage = mkdtempSync(join(tmpdir(), 'dialtone-vm-notify-'));
  });
  after(async () => {
    await w?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  beforeEach(async () => {
    esl = await FakeEslServer.start();
    esl.setApiReply(`vm_delete 101@demo.dialtone.test ${UUID}`, { fixture: 'esl-api-vm_delete-demo.txt' });
    control = new EslFreeswitchControl({ host: esl.host, port: esl.port, password: 'ClueCon', reconnect: false });
    smtp = await SmtpSink.start();
    logs = [];
    notifier = new VoicemailNotifier({
      snapshots: new LiveSnapshots(w.orm),
      audio: localAudioFileSource(),
      mail: smtpSender(smtp.url),
      freeswitch: control,
      publicUrl: 'https://pbx.example.com',
      log: (level, msg, fields) => logs.push({ level, msg, fields }),
      attempts: 3,
      retryDelayMs: () => 20,
    });
    await control.onEvent(VOICEMAIL_EVENTS, (e) => {
      const left = leftMessage(e);
      if (left) notifier.messageLeft(left);
    });
    await setBox({ email: 'alice@dental.test', smsEmail: '2125550142@sms.carrier.test', deleteAfterEmail: false });
  });
  afterEach(async () => {
    await notifier.stop();
    await control.close();
    await esl.close();
    await smtp.close();
  });

  async function setBox(fields: Record<string, unknown>): Promise<void> {
    await w.services.objects.update(SYSTEM, pbx.id, 'mailboxes', box101, fields);
  }

  /** The captured event, with its WAV path moved to this test's storage (and other headers changed if asked). */
  function push(change: Record<string, string> = {}): string {
    const path = join(storage, 'voicemail', 'default', 'demo.dialtone.test', '101', `msg_${UUID}.wav`);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, audio);
    const headers = captured().headerList.map((h) => {
      const value = h.name === 'VM-File-Path' ? path : (change[h.name] ?? h.value);
      return [h.name, value] as [string, string];
    });
    expect(esl.pushEvent({ headers })).to.equal(1);
    return path;
  }

  const delivered = () => logs.filter((l) => l.msg === 'voicemail notification: delivered');

  it('reads the real leave-message event; other vm::maintenance events are not messages', () => {
    expect(leftMessage(captured())).to.deep.equal({
      user: '101',
      domain: 'demo.dialtone.test',
      uuid: UUID,
      callerName: 'Bob Hygienist',
      callerNumber: '102',
      filePath:
        '/tmp/dialtone-e2e-pa-c7rpkR/storage/voicemail/default/demo.dialtone.test/101/msg_37590bca-e388-4c9e-8299-d2a538c26ce8.wav',
      seconds: 3,
      timestamp: 1796482207,
    });
    const mwi = parseEventFrame(eslFixtureFrames('esl-event-plain-CUSTOM-vm_maintenance-mwi-update.txt')[0]!);
    expect(leftMessage(mwi)).to.equal(null);
    expect(addressesOf('a@x.test, b@x.test;a@x.test bad')).to.deep.equal(['a@x.test', 'b@x.test']);
  });

  it('mails the WAV to Email to Notify and a notice without audio to the SMS email, one log line each', async () => {
    push();
    await waitFor(() => smtp.received.length === 2);
    await notifier.idle();
    const email = smtp.received.find((m) => m.envelopeTo.includes('alice@dental.test'))!;
    const sms = smtp.received.find((m) => m.envelopeTo.includes('2125550142@sms.carrier.test'))!;
    expect(email.parsed.subject).to.equal('New voicemail from Bob Hygienist (102) in mailbox 101');
    expect(email.parsed.from?.value).to.deep.equal([{ name: 'Voicemail', address: 'voicemail@demo.dialtone.test' }]);
    expect(email.parsed.text).to.include('From:     Bob Hygienist (102)');
    expect(email.parsed.text).to.include('Received: Sat 2026-12-05 09:50 (America/New_York)');
    expect(email.parsed.text).to.include('Length:   0:03');
    expect(email.parsed.text).to.include(`https://pbx.example.com/voicemail/mailboxes/${box101}?folder=new`);
    expect(email.parsed.attachments).to.have.length(1);
    const [att] = email.parsed.attachments;
    expect(att!.filename).to.equal('voicemail-101-2026-12-05-0950.wav');
    expect(att!.contentType).to.equal('audio/wav');
    expect(att!.content.equals(audio)).to.equal(true);
    expect(sms.parsed.attachments).to.have.length(0);
    expect(sms.parsed.text?.trim()).to.equal(
      'New voicemail (0:03) from Bob Hygienist (102) in mailbox 101, Sat 09:50.',
    );
    expect(delivered().map((l) => [l.fields?.kind, l.fields?.to, l.fields?.attempts])).to.have.deep.members([
      ['email', 'alice@dental.test', 1],
      ['sms', '2125550142@sms.carrier.test', 1],
    ]);
    expect(esl.commandTexts().some((c) => c.startsWith('api vm_delete'))).to.equal(false);
  });

  it('retries a relay that says "try again later" and gives up at once on a permanent refusal', async () => {
    await setBox({ smsEmail: null });
    smtp.refuse = [451, 451];
    push();
    await waitFor(() => smtp.received.length === 1);
    await notifier.idle();
    expect(smtp.attempts).to.equal(3);
    expect(delivered().map((l) => l.fields?.attempts)).to.deep.equal([3]);

    smtp.refuse = [550];
    push();
    await waitFor(() => logs.some((l) => l.msg === 'voicemail notification: not delivered'));
    await notifier.idle();
    expect(smtp.attempts).to.equal(4);
    const failed = logs.filter((l) => l.msg === 'voicemail notification: not delivered');
    expect(failed).to.have.length(1);
    expect(failed[0]!.level).to.equal('error');
    expect(String(failed[0]!.fields?.error)).to.match(/^SMTP 550/);
  });

  it('deletes the message after email only once the email with the WAV was accepted', async () => {
    await setBox({ smsEmail: null, deleteAfterEmail: true });
    smtp.refuse = [550];
    push();
    await waitFor(() => logs.some((l) => l.msg === 'voicemail notification: not delivered'));
    await notifier.idle();
    expect(esl.commandTexts().some((c) => c.startsWith('api vm_delete'))).to.equal(false);

    push();
    await waitFor(() => smtp.received.length === 1);
    await notifier.idle();
    expect(esl.commandTexts()).to.include(`api vm_delete 101@demo.dialtone.test ${UUID}`);
    expect(logs.some((l) => l.msg === 'voicemail notification: message deleted after email')).to.equal(true);
  });

  it('keeps a hostile caller name out of the headers, and sends nothing for a mailbox without addresses', async () => {
    await setBox({ smsEmail: null });
    push({ 'VM-Caller-ID-Name': 'Eve\r\nBcc: victim@evil.test\r\nX: <b>&' });
    await waitFor(() => smtp.received.length === 1);
    await notifier.idle();
    const [m] = smtp.received;
    expect(m!.envelopeTo).to.deep.equal(['alice@dental.test']);
    expect(m!.parsed.subject).to.equal('New voicemail from Eve Bcc: victim@evil.test X: <b>& (102) in mailbox 101');
    expect(m!.parsed.headers.has('bcc')).to.equal(false);

    await setBox({ email: null });
    push();
    await new Promise((r) => setTimeout(r, 200));
    await notifier.idle();
    expect(smtp.received).to.have.length(1);
  });
});

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
