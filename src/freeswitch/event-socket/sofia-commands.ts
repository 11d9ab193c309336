// mod_sofia questions and nudges: where is a phone registered, who is registered, tell a phone to re-sync.

import { type ApiRunner, expectOk, integerField, parseJsonBody } from './api-reply';
import { profileName, userAtDomain } from './arguments';
import { EslApiError, EslReplyFormatError } from './errors';

export function sofiaContactCommand(user: string, domain: string, profile?: string): string {
  const prefix = profile === undefined ? '' : `${profileName(profile)}/`;
  return `sofia_contact ${prefix}${userAtDomain(user, domain)}`;
}

/**
 * Dial strings of a user's registrations (`sofia/internal/sip:1000@127.0.0.1:25070;transport=UDP`, comma-separated
 * when there are several), or [] for `error/user_not_registered`. The body has no trailing newline.
 */
export function parseSofiaContact(body: string): string[] {
  const text = body.trim();
  if (text === 'error/user_not_registered') return [];
  if (text.startsWith('error/') || text.startsWith('-ERR') || text.length === 0) {
    throw new EslApiError('sofia_contact', body);
  }
  return text.split(',').filter((contact) => contact.length > 0);
}

export async function sofiaContact(fs: ApiRunner, user: string, domain: string, profile?: string): Promise<string[]> {
  return parseSofiaContact(await fs.api(sofiaContactCommand(user, domain, profile)));
}

/** One row of `show registrations as json`. */
export interface Registration {
  readonly user: string;
  readonly realm: string;
  /** The REGISTER's Call-ID. */
  readonly token: string;
  /** Dial string, as sofia_contact gives it. */
  readonly url: string;
  /** Epoch seconds when the registration lapses. */
  readonly expires: number;
  readonly networkIp: string;
  readonly networkPort: number;
  readonly networkProto: string;
  readonly hostname: string;
  readonly metadata: string;
}

export const SHOW_REGISTRATIONS_COMMAND = 'show registrations as json';

/** `{"row_count": 0}` when empty (no rows member), else `{"row_count":N,"rows":[...]}`. */
export function parseRegistrations(body: string): Registration[] {
  const command = SHOW_REGISTRATIONS_COMMAND;
  const parsed = parseJsonBody(command, body);
  const count = integerField(command, body, 'row_count', parsed.row_count);
  const rows = parsed.rows ?? [];
  if (!Array.isArray(rows) || rows.length !== count) {
    throw new EslReplyFormatError(`${command}: row_count ${count} does not match the rows`, body);
  }
  return rows.map((row: Record<string, unknown>) => {
    const text = (name: string): string => {
      const value = row[name];
      if (typeof value !== 'string') throw new EslReplyFormatError(`${command}: ${name} missing`, body);
      return value;
    };
    return {
      user: text('reg_user'),
      realm: text('realm'),
      token: text('token'),
      url: text('url'),
      expires: integerField(command, body, 'expires', row.expires),
      networkIp: text('network_ip'),
      networkPort: integerField(command, body, 'network_port', row.network_port),
      networkProto: text('network_proto'),
      hostname: text('hostname'),
      metadata: typeof row.metadata === 'string' ? row.metadata : '',
    };
  });
}

export async function listRegistrations(fs: ApiRunner): Promise<Registration[]> {
  return parseRegistrations(await fs.api(SHOW_REGISTRATIONS_COMMAND));
}

export function checkSyncCommand(user: string, domain: string, profile = 'internal'): string {
  return `sofia profile ${profileName(profile)} check_sync ${userAtDomain(user, domain)}`;
}

/**
 * Sends the phone an unsolicited NOTIFY `Event: check-sync` inside its registration, so it re-fetches its config.
 * Success is `+OK syncing all registrations matching specified call_id`; anything else throws EslApiError.
 */
export async function checkSync(fs: ApiRunner, user: string, domain: string, profile = 'internal'): Promise<void> {
  const command = checkSyncCommand(user, domain, profile);
  expectOk(command, await fs.api(command));
}

/** What sendevent needs (the NOTIFY event, not the API): FreeswitchControl.sendEvent. */
export interface EventSender {
  sendEvent(name: string, headers: readonly { name: string; value: string }[], body?: string): Promise<string>;
}

export interface PhoneNotify {
  /** Directory user and domain of the registration that receives it. */
  readonly user: string;
  readonly domain: string;
  /** SIP Event header, e.g. `Yealink-xml`. */
  readonly event: string;
  readonly contentType: string;
  readonly body: string;
  /** Sofia profile the phone registered to (default `internal`). */
  readonly profile?: string;
}

/**
 * A NOTIFY event: mod_sofia sends an out-of-dialog SIP NOTIFY with that Event and body to the user's registered
 * contact (captured: `esl-sendevent-NOTIFY-Yealink-xml.txt`). FreeSWITCH answers `+OK <uuid>` whether or not the
 * user is registered at that moment.
 */
export function phoneNotifyHeaders(notify: PhoneNotify): { name: string; value: string }[] {
  if (!/^[A-Za-z0-9.-]{1,64}$/.test(notify.event))
    throw new EslApiError('sendevent NOTIFY', `bad event ${notify.event}`);
  if (!/^[a-z]+\/[a-z0-9.+-]+$/.test(notify.contentType))
    throw new EslApiError('sendevent NOTIFY', `bad content type ${notify.contentType}`);
  const [user, domain] = userAtDomain(notify.user, notify.domain).split('@') as [string, string];
  return [
    { name: 'profile', value: profileName(notify.profile ?? 'internal') },
    { name: 'event-string', value: notify.event },
    { name: 'user', value: user },
    { name: 'host', value: domain },
    { name: 'content-type', value: notify.contentType },
  ];
}

export async function notifyPhone(fs: EventSender, notify: PhoneNotify): Promise<void> {
  await fs.sendEvent('NOTIFY', phoneNotifyHeaders(notify), notify.body);
}
