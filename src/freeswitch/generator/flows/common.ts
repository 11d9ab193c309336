// Shared dialplan building blocks for the call-flow entry points: extensions, conditions, transfers, media paths.
import type { PbxSnapshot } from '../../../domain/snapshot';
import { exactRegex, fsId } from '../escape';

export { alternatives } from '../number-regex';

import { audioFileOnHost, audioRoot, safeFileName } from '../audio-path';

export { audioRoot, safeFileName };

import type { GenerateOptions } from '../options';
import { type Action, actions, type XMLBuilder } from '../xml';

/** One `<condition>`: a field test, date/time attributes, or neither (always true). */
export interface Condition {
  field?: string;
  expression?: string;
  /** Date/time attributes (wday, time-of-day, year, mon, mday), evaluated in the channel's `timezone`. */
  time?: Record<string, string>;
  break?: 'on-true' | 'on-false' | 'always' | 'never';
  actions?: Action[];
  antiActions?: Action[];
}

/** Appends `<extension name=…>` with its conditions in order (attribute order is fixed for stable output). */
export function extension(parent: XMLBuilder, name: string, conditions: Condition[]): void {
  const ext = parent.ele('extension', { name });
  for (const c of conditions) {
    const attrs: Record<string, string> = {};
    if (c.field !== undefined) {
      attrs.field = c.field;
      attrs.expression = c.expression ?? '';
    }
    Object.assign(attrs, c.time ?? {});
    if (c.break) attrs.break = c.break;
    const el = ext.ele('condition', attrs);
    actions(el, c.actions ?? []);
    actions(el, c.antiActions ?? [], 'anti-action');
  }
}

/** The condition that selects an entry point by its exact name. */
export function entryCondition(name: string, acts: Action[] = []): Condition {
  return { field: 'destination_number', expression: exactRegex(name), actions: acts };
}

export const ctxOf = (snap: PbxSnapshot): string => fsId(snap.pbx.context);
/** SIP domain reduced to host characters (lower case), the same way the dialplan module writes it. */
export const domainOf = (snap: PbxSnapshot): string => snap.pbx.domain.replace(/[^a-zA-Z0-9.-]/g, '').toLowerCase();

export function transfer(target: string, context: string): Action {
  return { app: 'transfer', data: `${target} XML ${context}` };
}

export const set = (name: string, value: string | number, inline = false): Action =>
  inline ? { app: 'set', data: `${name}=${value}`, inline } : { app: 'set', data: `${name}=${value}` };

/** Digits only (no * or #): numbers that become part of names, paths and regexes. */
export const digitsOnly = (v: string): string => v.replace(/[^0-9]/g, '');

/**
 * Stock FreeSWITCH prompts, relative to the channel's sound_prefix (the en/us/callie set the host installs with
 * FreeSWITCH; file names and wording from FreeSWITCH's docs/phrase/phrase_en.xml). Dialtone ships no audio of its
 * own: what the manual says a default plays is the closest stock prompt.
 */
export const STOCK_SOUNDS = {
  invalid: 'ivr/ivr-that_was_an_invalid_entry.wav',
  goodbye: 'voicemail/vm-goodbye.wav',
  /** "If you know your party's extension, please enter it now": an attendant without its own greeting. */
  attendantDialExtension: 'ivr/ivr-enter_ext_pound.wav',
  /** "Thank you for calling.": an attendant without its own greeting where extensions cannot be dialed. */
  attendantNoDialing: 'ivr/ivr-thank_you_for_calling.wav',
  /** "Please enter the phone number." (privacy screening asks for the caller's number). */
  privacyEnterNumber: 'ivr/ivr-please_enter_the_phone_number.wav',
  /** "Please enter the conference number, followed by the pound key" (conference hub). */
  hubEnterRoom: 'conference/conf-enter_conf_number.wav',
} as const;

/** Default hold music: the freeswitch-music-default package's 8 kHz folder below the host's sounds directory. */
export function stockMusicDir(opts: GenerateOptions): string {
  const dir = opts.soundsDir.replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir) || dir.split('/').includes('..'))
    throw new Error(`soundsDir must be an absolute path of letters, digits and . _ / - (got ${JSON.stringify(dir)})`);
  return `${dir}/music/8000`;
}

/** `<audioDir>/<context>/<stored name>` of an uploaded file of this PBX, or undefined when it does not exist. */
export function audioFilePath(snap: PbxSnapshot, opts: GenerateOptions, audioId: number | null): string | undefined {
  if (audioId === null) return undefined;
  const file = snap.audioFiles.find((a) => a.id === audioId);
  return file ? audioFileOnHost(opts, ctxOf(snap), file.storedName) : undefined;
}
