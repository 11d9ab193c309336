// The sound prompts and phrase macros a conf tree plays, and a check that the FreeSWITCH host has them.
//
// FreeSWITCH says nothing when they are missing at load: a `lang` include that matches no file loads no macro, and
// voicemail then greets nobody, records nothing and hangs up, with no error anywhere. So the export checks first.
// Stock prompts are relative to $${sound_prefix} (<soundsDir>/en/us/callie); mod_sndfile looks for
// <dir>/<rate>/<file> first, then <dir>/<file>, so either place counts. Phrase macros come from <langDir>/en/en.xml
// and the files it includes; each macro the tree uses must exist and every literal file it plays must be there.
import { posix } from 'node:path';

export interface SoundPaths {
  soundsDir: string;
  langDir: string;
}

/** The voice Dialtone's prompts and the packaged phrase files use, below the sounds directory. */
export const VOICE = 'en/us/callie';
export const soundPrefix = (p: SoundPaths): string => `${p.soundsDir}/${VOICE}`;

/** What a tree plays: stock prompt files (relative to the sound prefix) and phrase macro names. */
export interface SoundNeeds {
  prompts: Set<string>;
  macros: Set<string>;
  /** The default hold-music stream plays this folder of the sounds directory (freeswitch-music-default). */
  musicDir: boolean;
}

/** Read access to the FreeSWITCH host's files (local disk, or SFTP when the tree is pushed). */
export interface HostFiles {
  isFile(path: string): Promise<boolean>;
  /** Text of a file, or null when it does not exist. */
  read(path: string): Promise<string | null>;
  /** Names in a directory, or null when it does not exist. */
  list(dir: string): Promise<string[] | null>;
}

// A relative prompt path (`ivr/ivr-foo.wav`, also each part of file_string://a!b); absolute and $${…} paths are not.
const PROMPT = /^(?:[a-z0-9_-]+\/)+[A-Za-z0-9_.-]+\.wav$/;
const PHRASE = /\bphrase:([A-Za-z0-9_]+)/g;

/**
 * Macros FreeSWITCH modules play by name themselves when the tree uses them: every macro of theirs in the phrase
 * files (`prefix*`), since which one plays depends on the caller's keys. At least one must exist.
 */
const MODULE_MACROS: Array<[RegExp, string[]]> = [
  [/application="voicemail"/, ['voicemail_*']],
  [/application="directory"/, ['directory_*']],
  [/application="valet_park"/, ['valet_*']],
];

/**
 * What mod_say_en and the core say from (file names in mod_say_en.so): message counts, dates and times of messages,
 * park slots, extensions, and the terminator keys the voicemail prompts spell (# is ascii/35, * ascii/42). A missing
 * one is not an error that stops anything at load: mod_voicemail ends its menu at the first prompt it cannot play.
 */
const SAY_APPS = /application="(voicemail|valet_park|directory)"/;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const SAY_FILES = [
  ...range(0, 19).map((n) => `digits/${n}`),
  ...range(2, 9).map((n) => `digits/${n}0`),
  ...range(1, 19).map((n) => `digits/h-${n}`),
  ...range(2, 9).map((n) => `digits/h-${n}0`),
  'digits/hundred',
  'digits/thousand',
  'digits/million',
  'digits/dot',
  ...range(0, 6).map((n) => `time/day-${n}`),
  ...range(0, 11).map((n) => `time/mon-${n}`),
  ...['hour', 'hours', 'minute', 'minutes', 'second', 'seconds', 'today', 'yesterday', 'at', 'oh', 'oclock'].map(
    (w) => `time/${w}`,
  ),
  'time/a-m',
  'time/p-m',
  'ascii/35',
  'ascii/42',
  'phonetic-ascii/35',
  'phonetic-ascii/42',
].map((f) => `${f}.wav`);

/** Prompts mod_voicemail's macros build from arguments (voicemail/vm-$1.wav): message kinds and acknowledgements. */
const VOICEMAIL_ARGUMENT_PROMPTS = [
  'new',
  'saved',
  'urgent-new',
  'urgent-saved',
  'deleted',
  'emailed',
  'marked-urgent',
  'message_number',
].map((w) => `voicemail/vm-${w}.wav`);

/** Every prompt and macro the tree's XML names. */
export function soundsUsed(tree: Map<string, string>): SoundNeeds {
  const needs: SoundNeeds = { prompts: new Set(), macros: new Set(), musicDir: false };
  for (const [path, text] of tree) {
    if (!path.endsWith('.xml')) continue;
    for (const token of text.split(/[\s"'!=<>]+/)) {
      const path = token.replace(/^file_string:\/\//, '');
      if (PROMPT.test(path)) needs.prompts.add(path);
    }
    for (const m of text.matchAll(PHRASE)) needs.macros.add(m[1]);
    for (const [used, macros] of MODULE_MACROS) if (used.test(text)) for (const name of macros) needs.macros.add(name);
    if (SAY_APPS.test(text)) for (const f of SAY_FILES) needs.prompts.add(f);
    if (/application="voicemail"/.test(text)) for (const f of VOICEMAIL_ARGUMENT_PROMPTS) needs.prompts.add(f);
    if (path === 'autoload_configs/local_stream.conf.xml' && /\/music\/8000"/.test(text)) needs.musicDir = true;
  }
  return needs;
}

/** `<macro name=…>` bodies of the phrase files, following en.xml's includes (relative to the including file). */
async function readMacros(host: HostFiles, langDir: string): Promise<Map<string, string> | null> {
  const macros = new Map<string, string>();
  const seen = new Set<string>();
  const visit = async (file: string, depth: number): Promise<boolean> => {
    if (seen.has(file) || depth > 6) return true;
    seen.add(file);
    const text = await host.read(file);
    if (text === null) return false;
    for (const m of text.matchAll(/<macro\s+name="([^"]+)"[^>]*>([\s\S]*?)<\/macro>/g)) macros.set(m[1], m[2]);
    for (const inc of text.matchAll(/<X-PRE-PROCESS\s+cmd="include"\s+data="([^"]+)"/g)) {
      const target = posix.join(posix.dirname(file), inc[1]);
      const base = posix.basename(target);
      if (!base.includes('*')) {
        await visit(target, depth + 1);
        continue;
      }
      const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      for (const name of ((await host.list(posix.dirname(target))) ?? []).sort())
        if (re.test(name)) await visit(posix.join(posix.dirname(target), name), depth + 1);
    }
    return true;
  };
  return (await visit(`${langDir}/en/en.xml`, 0)) ? macros : null;
}

/** The body of macro `name`, or of every macro starting with `prefix` for `prefix*`. */
function macroBodies(macros: Map<string, string>, name: string): string[] {
  if (!name.endsWith('*')) return macros.has(name) ? [macros.get(name)!] : [];
  const prefix = name.slice(0, -1);
  return [...macros].filter(([n]) => n.startsWith(prefix)).map(([, body]) => body);
}

/** Literal files a macro plays (play-file actions without $1-style arguments or variables). */
function macroFiles(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/function="play-file"\s+data="([^"$]+)"/g))
    if (/\.wav$/.test(m[1]) && !m[1].startsWith('/')) out.push(m[1]);
  return out;
}

async function promptExists(host: HostFiles, prefix: string, prompt: string): Promise<boolean> {
  const dir = posix.dirname(prompt);
  const file = posix.basename(prompt);
  for (const candidate of [`${prefix}/${dir}/8000/${file}`, `${prefix}/${prompt}`])
    if (await host.isFile(candidate)) return true;
  return false;
}

/**
 * What the host lacks for `needs`, as one message per problem (empty when everything is there). Phrase files first:
 * without them no macro can be checked.
 */
export async function missingSounds(needs: SoundNeeds, paths: SoundPaths, host: HostFiles): Promise<string[]> {
  const problems: string[] = [];
  const prefix = soundPrefix(paths);
  const prompts = new Set(needs.prompts);
  if (needs.macros.size) {
    const macros = await readMacros(host, paths.langDir);
    if (!macros) problems.push(`phrase files: ${paths.langDir}/en/en.xml does not exist (set the language directory)`);
    else
      for (const name of [...needs.macros].sort()) {
        const bodies = macroBodies(macros, name);
        if (!bodies.length) problems.push(`phrase macro ${name}: not defined below ${paths.langDir}/en`);
        for (const body of bodies) for (const f of macroFiles(body)) prompts.add(f);
      }
  }
  const missing: string[] = [];
  for (const p of [...prompts].sort()) if (!(await promptExists(host, prefix, p))) missing.push(p);
  if (missing.length)
    problems.push(
      `${missing.length} prompt(s) missing below ${prefix}: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`,
    );
  if (needs.musicDir && !((await host.list(`${paths.soundsDir}/music/8000`)) ?? []).length)
    problems.push(`default hold music: ${paths.soundsDir}/music/8000 has no files (freeswitch-music-default)`);
  return problems;
}

/** The prompt files `needs` plays (its own and those of its macros), for a test or a setup script to provide. */
export async function promptsNeeded(needs: SoundNeeds, paths: SoundPaths, host: HostFiles): Promise<string[]> {
  const prompts = new Set(needs.prompts);
  const macros = needs.macros.size ? await readMacros(host, paths.langDir) : null;
  for (const name of needs.macros)
    for (const body of macros ? macroBodies(macros, name) : []) for (const f of macroFiles(body)) prompts.add(f);
  return [...prompts].sort();
}
