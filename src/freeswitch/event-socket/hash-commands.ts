// mod_hash over the event socket: small values the dialplan reads back with ${hash(select/<realm>/<key>)}.

import { type ApiRunner, expectOk, isErrorReply } from './api-reply';
import { EslApiError, EslArgumentError } from './errors';

// `hash` splits its argument on `/`, and the dialplan reads values inside ${...}: every piece is one plain token.
const TOKEN = /^[A-Za-z0-9_.@:-]{1,200}$/;

function token(value: string, argument: string): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new EslArgumentError(argument, `not a plain token ${JSON.stringify(String(value).slice(0, 80))}`);
  }
  return value;
}

/** `hash insert/<realm>/<key>/<value>`. */
export function hashInsertCommand(realm: string, key: string, value: string): string {
  return `hash insert/${token(realm, 'realm')}/${token(key, 'key')}/${token(value, 'value')}`;
}

export function hashSelectCommand(realm: string, key: string): string {
  return `hash select/${token(realm, 'realm')}/${token(key, 'key')}`;
}

/** Answers `+OK`; a later insert under the same key replaces the value. */
export async function hashInsert(fs: ApiRunner, realm: string, key: string, value: string): Promise<void> {
  const command = hashInsertCommand(realm, key, value);
  expectOk(command, await fs.api(command));
}

/** The value (no trailing newline), or null when the key is not there (`-ERR no reply`). */
export async function hashSelect(fs: ApiRunner, realm: string, key: string): Promise<string | null> {
  const command = hashSelectCommand(realm, key);
  const body = await fs.api(command);
  if (/^-ERR no reply\s*$/.test(body)) return null;
  if (isErrorReply(body)) throw new EslApiError(command, body);
  return body;
}
