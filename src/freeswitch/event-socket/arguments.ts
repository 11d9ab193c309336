// Validators for everything Dialtone splices into an API command, so user-typed text can't add a command or argument.

import { EslArgumentError } from './errors';

// FreeSWITCH APIs split their argument string on spaces (some on `|`, `@`, `/`, `,` or quotes), so every piece
// we pass is a single token from a small alphabet. Anything else is refused, never escaped.
const USER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
}

/** A directory user id / extension / mailbox id: letters, digits, `_ . -`, not starting with punctuation. */
export function userId(value: string, argument = 'user'): string {
  if (typeof value !== 'string' || !USER.test(value)) {
    throw new EslArgumentError(argument, `not a valid user id ${describe(value)}`);
  }
  return value;
}

/** A DNS-style domain name (the PBX domain), at most 253 characters. */
export function domainName(value: string, argument = 'domain'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) {
    throw new EslArgumentError(argument, `not a valid domain ${describe(value)}`);
  }
  if (!value.split('.').every((label) => DOMAIN_LABEL.test(label))) {
    throw new EslArgumentError(argument, `not a valid domain ${describe(value)}`);
  }
  return value;
}

/** `user@domain`, both halves checked. */
export function userAtDomain(user: string, domain: string): string {
  return `${userId(user)}@${domainName(domain)}`;
}

/** A callcenter agent or queue name Dialtone created: `name@domain`. */
export function qualifiedName(value: string, argument: string): string {
  if (typeof value !== 'string') throw new EslArgumentError(argument, `not a name ${describe(value)}`);
  const at = value.indexOf('@');
  if (at <= 0 || value.indexOf('@', at + 1) >= 0) {
    throw new EslArgumentError(argument, `expected name@domain, got ${describe(value)}`);
  }
  userId(value.slice(0, at), argument);
  domainName(value.slice(at + 1), argument);
  return value;
}

/** A sofia or voicemail profile name (`internal`, `default`). */
export function profileName(value: string, argument = 'profile'): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new EslArgumentError(argument, `not a valid profile name ${describe(value)}`);
  }
  return value;
}

/** A channel or message uuid in canonical 8-4-4-4-12 form. */
export function uuid(value: string, argument = 'uuid'): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new EslArgumentError(argument, `not a uuid ${describe(value)}`);
  }
  return value.toLowerCase();
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(value: T, allowed: readonly T[], argument: string): T {
  if (!allowed.includes(value)) {
    throw new EslArgumentError(argument, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value;
}
