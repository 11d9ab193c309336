// Voicemail notifications (the manual's Email to Notify and SMS email to Notify): when FreeSWITCH reports a new
// message (vm::maintenance leave-message), the WAV is mailed to each Email-to-Notify address and a short notice
// without audio to the SMS-email address, each delivery retried on its own and logged once; with "delete after
// email" the message leaves the mailbox once every email with the WAV was accepted.
import type { Mailbox } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { AudioFileSource } from '../freeswitch/audio-file-source';
import { type ApiRunner, type LeftMessage, voicemailDelete } from '../freeswitch/event-socket';
import { voicemailId } from '../freeswitch/generator/dialplan/identity';
import type { Logger } from '../log';
import { addressesOf, MailError, type MailSender, type OutgoingMail } from './mail';
import { localTime } from './pbx-time';
import { VOICEMAIL_AUDIO_MAX_BYTES } from './voicemail';
import { isMessagePath } from './voicemail-view';

export interface VoicemailNotifierDeps {
  snapshots: { byDomain(domain: string): Promise<{ snap: PbxSnapshot } | null> };
  audio: AudioFileSource;
  mail: MailSender;
  freeswitch: ApiRunner;
  /** Sender address; default `voicemail@<the PBX's SIP domain>`. */
  from?: string;
  /** Where people open the portal (a link to the mailbox in the email), e.g. https://pbx.example.com. */
  publicUrl?: string;
  log?: Logger;
  /** Tries per delivery (default 5) and the wait before try n+1 (default 2, 4, 8, 16 s … at most 5 min). */
  attempts?: number;
  retryDelayMs?: (attempt: number) => number;
}

type Delivery = { kind: 'email' | 'sms'; mail: OutgoingMail };

/** Text from FreeSWITCH (a caller's name) made safe for a mail header or a one-line notice. */
const oneLine = (s: string, max: number) =>
  s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, max);

export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class VoicemailNotifier {
  private readonly running = new Set<Promise<void>>();
  private readonly log: Logger;
  private stopped = false;

  constructor(private readonly deps: VoicemailNotifierDeps) {
    this.log = deps.log ?? (() => {});
  }

  /** Handles a leave-message event in the background (the event loop of the socket never waits on SMTP). */
  messageLeft(msg: LeftMessage): void {
    if (this.stopped) return;
    const p = this.notify(msg).catch((err) =>
      this.log('error', 'voicemail notification: failed', { box: `${msg.user}@${msg.domain}`, message: msg.uuid, err }),
    );
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Resolves when every notification started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** No new notifications; waits (at most `waitMs`) for those under way. */
  async stop(waitMs = 10_000): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle(),
      new Promise((r) => {
        timer = setTimeout(r, waitMs);
      }),
    ]);
    clearTimeout(timer);
    this.deps.mail.close();
  }

  private async notify(msg: LeftMessage): Promise<void> {
    const entry = await this.deps.snapshots.byDomain(msg.domain);
    if (!entry) return; // not one of our PBXs
    const snap = entry.snap;
    const box = snap.mailboxes.find((m) => voicemailId(snap, m) === msg.user);
    if (!box) return;
    const emails = addressesOf(box.email);
    const sms = addressesOf(box.smsEmail);
    if (!emails.length && !sms.length) return;
    const deliveries: Delivery[] = [];
    const text = this.describe(snap, box, msg);
    const from = this.deps.from ?? `Voicemail <voicemail@${snap.pbx.domain}>`;
    if (emails.length) {
      const wav = await this.readWav(msg);
      for (const to of emails)
        deliveries.push({
          kind: 'email',
          mail: {
            from,
            to,
            subject: text.subject,
            text: text.body + (wav ? '' : '\nThe recording could not be attached; listen to it in the portal.\n'),
            attachments: wav ? [{ filename: text.fileName, content: wav, contentType: 'audio/wav' }] : undefined,
          },
        });
    }
    for (const to of sms)
      deliveries.push({ kind: 'sms', mail: { from, to, subject: text.smsSubject, text: text.sms } });
    const results = await Promise.all(deliveries.map((d) => this.deliver(d, box, msg)));
    const mailedWav = deliveries.some((d, i) => d.kind === 'email' && d.mail.attachments && results[i]);
    const allEmails = deliveries.every((d, i) => d.kind !== 'email' || (d.mail.attachments && results[i]));
    if (box.deleteAfterEmail && mailedWav && allEmails) {
      await voicemailDelete(this.deps.freeswitch, { user: msg.user, domain: msg.domain }, msg.uuid);
      this.log('info', 'voicemail notification: message deleted after email', {
        box: `${msg.user}@${msg.domain}`,
        message: msg.uuid,
      });
    }
  }

  /** Tries one delivery up to `attempts` times (not after a permanent refusal); logs its outcome once. */
  private async deliver(d: Delivery, box: Mailbox, msg: LeftMessage): Promise<boolean> {
    const attempts = Math.max(1, this.deps.attempts ?? 5);
    const delay = this.deps.retryDelayMs ?? ((n: number) => Math.min(300_000, 1000 * 2 ** n));
    const fields = {
      kind: d.kind,
      to: d.mail.to,
      mailbox: box.number,
      box: `${msg.user}@${msg.domain}`,
      message: msg.uuid,
    };
    let last: unknown;
    for (let n = 1; n <= attempts; n++) {
      try {
        await this.deps.mail.send(d.mail);
        this.log('info', 'voicemail notification: delivered', { ...fields, attempts: n });
        return true;
      } catch (err) {
        last = err;
        if ((err instanceof MailError && err.permanent) || n === attempts || this.stopped) break;
        await new Promise((r) => setTimeout(r, delay(n)));
      }
    }
    this.log('error', 'voicemail notification: not delivered', {
      ...fields,
      error: last instanceof Error ? last.message : String(last),
    });
    return false;
  }

  private async readWav(msg: LeftMessage): Promise<Buffer | null> {
    if (!isMessagePath(msg.filePath, { user: msg.user, domain: msg.domain })) {
      this.log('warn', 'voicemail notification: message path outside its mailbox, not attached', {
        path: msg.filePath.slice(0, 200),
      });
      return null;
    }
    try {
      const file = await this.deps.audio.open(msg.filePath, VOICEMAIL_AUDIO_MAX_BYTES);
      if (!file) return null;
      try {
        if (file.size === 0) return null;
        const chunks: Buffer[] = [];
        for await (const c of file.stream()) chunks.push(c as Buffer);
        return Buffer.concat(chunks);
      } finally {
        await file.close();
      }
    } catch (err) {
      this.log('warn', 'voicemail notification: recording not readable, not attached', { err });
      return null;
    }
  }

  private describe(snap: PbxSnapshot, box: Mailbox, msg: LeftMessage) {
    const name = oneLine(msg.callerName, 60);
    const number = oneLine(msg.callerNumber, 32);
    const caller = name && number && name !== number ? `${name} (${number})` : name || number || 'an unknown caller';
    const at = localTime((msg.timestamp || Math.floor(Date.now() / 1000)) * 1000, snap.pbx.timezone);
    const length = durationText(msg.seconds);
    const boxName = oneLine(box.name, 50);
    const link = this.deps.publicUrl ? `${this.deps.publicUrl}/voicemail/mailboxes/${box.id}?folder=new` : null;
    return {
      subject: `New voicemail from ${caller} in mailbox ${box.number}`,
      body: [
        `You have a new voicemail message in mailbox ${box.number}${boxName ? ` (${boxName})` : ''}.`,
        '',
        `From:     ${caller}`,
        `Received: ${at.weekday} ${at.date} ${at.time} (${snap.pbx.timezone})`,
        `Length:   ${length}`,
        '',
        'The message is attached as a WAV file.',
        ...(link ? [`Listen to it, save or delete it in the portal: ${link}`] : []),
        '',
      ].join('\n'),
      fileName: `voicemail-${box.number}-${at.date}-${at.time.replace(':', '')}.wav`.replace(/[^A-Za-z0-9._-]/g, ''),
      smsSubject: `Voicemail ${box.number}`,
      sms: `New voicemail (${length}) from ${caller} in mailbox ${box.number}, ${at.weekday} ${at.time}.`.slice(0, 160),
    };
  }
}
