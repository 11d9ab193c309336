// Reading FreeSWITCH API bodies: what counts as success, what is an error, for the typed commands built on top.

import { EslApiError, EslReplyFormatError } from './errors';

/** The one capability typed commands need: run `api <command>` and hand back the raw body. */
export interface ApiRunner {
  api(command: string): Promise<string>;
}

/** Runs long APIs (originate) as bgapi so they don't hold up every other reply on the connection. */
export interface BackgroundApiRunner extends ApiRunner {
  bgapi(command: string): Promise<string>;
}

/** `-ERR ...`, `-USAGE: ...` and the bare `Usage: ...` some modules print when arguments are wrong. */
export function isErrorReply(body: string): boolean {
  return /^(-ERR|-USAGE|Usage:)/.test(body);
}

/**
 * Success is `+OK...`; mod_voicemail's vm_fsdb_* commands answer `-OK` on success (sic), so that counts too.
 * Anything else throws EslApiError carrying the body. Returns the text after the OK.
 */
export function expectOk(command: string, body: string): string {
  const match = /^[+-]OK\b ?/.exec(body);
  if (!match) throw new EslApiError(command, body);
  return body.slice(match[0].length).trimEnd();
}

/** Throws EslApiError for an error body, otherwise returns it unchanged. */
export function expectNoError(command: string, body: string): string {
  if (isErrorReply(body)) throw new EslApiError(command, body);
  return body;
}

/** JSON bodies (`show ... as json`, `vm_fsdb_* json`), with error bodies turned into EslApiError first. */
export function parseJsonBody(command: string, body: string): Record<string, unknown> {
  expectNoError(command, body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new EslReplyFormatError(`\`${command}\` did not return JSON`, body);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EslReplyFormatError(`\`${command}\` did not return a JSON object`, body);
  }
  return parsed as Record<string, unknown>;
}

/** A non-negative integer field from a reply, or EslReplyFormatError. */
export function integerField(command: string, body: string, name: string, raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    throw new EslReplyFormatError(`\`${command}\`: ${name} is not a number (${JSON.stringify(raw)})`, body);
  }
  return Number(text);
}
