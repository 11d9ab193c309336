// Outgoing mail through the SMTP relay of SMTP_URL (nodemailer): one transport, pooled connections, and a plain
// "was this refusal permanent?" so callers retry only what a retry can fix.
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface MailSender {
  /** Resolves once the relay accepted the mail; throws MailError otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export class MailError extends Error {
  override name = 'MailError';
  constructor(
    message: string,
    /** The relay refused for good (5xx: no such address, message refused): trying again changes nothing. */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** A sender for `smtp://[user:pass@]host[:port]` or `smtps://…` (TLS from the start). */
export function smtpSender(url: string, opts: { timeoutMs?: number } = {}): MailSender {
  const timeout = opts.timeoutMs ?? 30_000;
  const transport: Transporter = nodemailer.createTransport(url, {
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  } as never);
  return {
    async send(mail) {
      try {
        await transport.sendMail({ ...mail, disableUrlAccess: true, disableFileAccess: true });
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        const code = typeof e.responseCode === 'number' ? e.responseCode : 0;
        // Only the relay's own words, never the URL (it may hold the relay's password).
        const reason = code ? `SMTP ${code}: ${String(e.message ?? '').slice(0, 200)}` : String(e.message ?? err);
        throw new MailError(reason.replace(/\/\/[^@/\s]*@/g, '//…@'), code >= 500 && code < 600);
      }
    },
    close: () => transport.close(),
  };
}

/** Email addresses of one field: the manual's Email to Notify may hold several, separated by commas or semicolons. */
export function addressesOf(field: string | null | undefined): string[] {
  return [
    ...new Set(
      String(field ?? '')
        .split(/[,;\s]+/)
        .map((a) => a.trim())
        .filter((a) => /^[^@\s<>"]{1,64}@[A-Za-z0-9.-]{1,253}$/.test(a)),
    ),
  ];
}
