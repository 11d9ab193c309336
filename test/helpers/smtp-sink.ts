// A real SMTP server on 127.0.0.1:0 (smtp-server) that keeps what it received, parsed by mailparser, and can be told
// to refuse the next messages (4xx: try again later, 5xx: for good) — what a relay does.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly envelopeTo: string[];
  readonly parsed: ParsedMail;
  readonly raw: Buffer;
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Response codes for the next messages (shifted one per message), e.g. [451, 451] then accepted. */
  refuse: number[] = [];
  /** Every DATA attempt, accepted or not. */
  attempts = 0;
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    let sink: SmtpSink | null = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 50 * 1024 * 1024,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const s = sink as SmtpSink;
          s.attempts++;
          const code = s.refuse.shift();
          if (code) {
            const err = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), {
              responseCode: code,
            });
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks);
          s.received.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed: await simpleParser(raw),
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
    sink = new SmtpSink(server, port);
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
