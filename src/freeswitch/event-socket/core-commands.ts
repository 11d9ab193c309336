// Core API commands Dialtone uses: reloadxml, reload mod_X, user_exists, originate.

import { type ApiRunner, type BackgroundApiRunner, expectOk } from './api-reply';
import { domainName, oneOf, userId, uuid } from './arguments';
import { EslApiError, EslArgumentError, EslReplyFormatError } from './errors';

export async function reloadXml(fs: ApiRunner): Promise<void> {
  expectOk('reloadxml', await fs.api('reloadxml'));
}

/** Modules whose configuration Dialtone generates and may need to reload after an export. */
export const RELOADABLE_MODULES = [
  'mod_callcenter',
  'mod_conference',
  'mod_directory',
  'mod_local_stream',
  'mod_voicemail',
] as const;
export type ReloadableModule = (typeof RELOADABLE_MODULES)[number];

/**
 * `reload mod_X` answers one line per step (`+OK Reloading XML`, `+OK module unloaded`, `+OK module loaded`);
 * every line must be +OK. Note reloading mod_callcenter puts XML-defined agents back to their XML status.
 */
export async function reloadModule(fs: ApiRunner, module: ReloadableModule): Promise<void> {
  const command = `reload ${oneOf(module, RELOADABLE_MODULES, 'module')}`;
  const body = await fs.api(command);
  const lines = body.split('\n').filter((line) => line.length > 0);
  if (lines.length === 0 || !lines.every((line) => line.startsWith('+OK'))) throw new EslApiError(command, body);
}

export function userExistsCommand(user: string, domain: string): string {
  return `user_exists id ${userId(user)} ${domainName(domain)}`;
}

/** `true` / `false`, without a trailing newline. */
export function parseUserExists(body: string): boolean {
  if (body.trim() === 'true') return true;
  if (body.trim() === 'false') return false;
  throw new EslReplyFormatError(`user_exists answered ${JSON.stringify(body.slice(0, 80))}`, body);
}

export async function userExists(fs: ApiRunner, user: string, domain: string): Promise<boolean> {
  return parseUserExists(await fs.api(userExistsCommand(user, domain)));
}

export type OriginateDestination =
  /** `&app(args)`; args are a single token (use an extension for anything richer). */
  | { readonly application: string; readonly args?: string }
  /** `<extension> XML <context>`: run the call through the dialplan. */
  | { readonly extension: string; readonly context: string };

export interface OriginateRequest {
  /** The directory user whose phone(s) ring: `user/<user>@<domain>`. */
  readonly user: string;
  readonly domain: string;
  readonly destination: OriginateDestination;
  /** Fixes the channel uuid up front (origination_uuid) so events and uuid_kill can follow the call. */
  readonly uuid?: string;
  /** Seconds to ring before giving up (originate_timeout). */
  readonly timeoutSeconds?: number;
  /** Extra channel variables; names are lower_snake, values single tokens (no spaces, commas, quotes, `$`). */
  readonly variables?: Readonly<Record<string, string>>;
}

export type OriginateResult =
  | { readonly ok: true; readonly uuid: string }
  | { readonly ok: false; readonly cause: string };

const VARIABLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
// No `,` `{` `}` `'` `"` `$` `^` `|` or spaces: each would end the value, start a new variable or expand something.
const VARIABLE_VALUE = /^[A-Za-z0-9_.@:+*#/-]{0,128}$/;
const APPLICATION = /^[a-z][a-z0-9_]{0,63}$/;
const EXTENSION = /^[A-Za-z0-9_*#+.-]{1,64}$/;
// Multi-tenant contexts are often named after the domain, so dots are allowed.
const CONTEXT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;

export function originateCommand(request: OriginateRequest): string {
  const variables: Array<[string, string]> = [];
  if (request.uuid !== undefined) variables.push(['origination_uuid', uuid(request.uuid, 'uuid')]);
  if (request.timeoutSeconds !== undefined) {
    if (!Number.isInteger(request.timeoutSeconds) || request.timeoutSeconds < 1 || request.timeoutSeconds > 600) {
      throw new EslArgumentError('timeoutSeconds', 'expected a whole number of seconds, 1..600');
    }
    variables.push(['originate_timeout', String(request.timeoutSeconds)]);
  }
  for (const [name, value] of Object.entries(request.variables ?? {})) {
    if (!VARIABLE_NAME.test(name)) throw new EslArgumentError('variables', `bad variable name ${JSON.stringify(name)}`);
    if (typeof value !== 'string' || !VARIABLE_VALUE.test(value)) {
      throw new EslArgumentError(`variables.${name}`, `value must be one token of letters, digits and _.@:+*#/-`);
    }
    variables.push([name, value]);
  }
  const prefix = variables.length ? `{${variables.map(([n, v]) => `${n}=${v}`).join(',')}}` : '';
  const endpoint = `${prefix}user/${userId(request.user)}@${domainName(request.domain)}`;
  return `originate ${endpoint} ${destinationText(request.destination)}`;
}

function destinationText(destination: OriginateDestination): string {
  if ('application' in destination) {
    if (!APPLICATION.test(destination.application)) {
      throw new EslArgumentError(
        'destination.application',
        `bad application ${JSON.stringify(destination.application)}`,
      );
    }
    const args = destination.args ?? '';
    if (!VARIABLE_VALUE.test(args)) {
      throw new EslArgumentError('destination.args', 'application arguments must be one token');
    }
    return `&${destination.application}(${args})`;
  }
  if (!EXTENSION.test(destination.extension)) {
    throw new EslArgumentError('destination.extension', `bad extension ${JSON.stringify(destination.extension)}`);
  }
  if (!CONTEXT.test(destination.context)) {
    throw new EslArgumentError('destination.context', `bad dialplan context ${JSON.stringify(destination.context)}`);
  }
  return `${destination.extension} XML ${destination.context}`;
}

/** `+OK <uuid>` when the far end answered; `-ERR <HANGUP_CAUSE>` (USER_NOT_REGISTERED, SUBSCRIBER_ABSENT, ...). */
export function parseOriginate(body: string): OriginateResult {
  const ok = /^\+OK ([0-9a-fA-F-]{36})\s*$/.exec(body);
  if (ok) return { ok: true, uuid: ok[1]!.toLowerCase() };
  const failed = /^-ERR ([A-Z_]+)\s*$/.exec(body);
  if (failed) return { ok: false, cause: failed[1]! };
  throw new EslApiError('originate', body);
}

/** Runs as bgapi: an originate rings for up to a minute and FreeSWITCH would hold every other reply meanwhile. */
export async function originate(fs: BackgroundApiRunner, request: OriginateRequest): Promise<OriginateResult> {
  return parseOriginate(await fs.bgapi(originateCommand(request)));
}
