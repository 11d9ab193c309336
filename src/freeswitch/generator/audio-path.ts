// Where uploaded and phone-recorded audio sits on the FreeSWITCH host: `<audioDir>/<context>/<stored name>`. One place
// for the dialplan (greetings) and the flows (announcements, hold music), and for the export that delivers the files.
import type { GenerateOptions } from './options';

/** FreeSWITCH splits application data on spaces and expands `$`: the audio root must be a plain absolute path. */
export function audioRoot(opts: GenerateOptions): string {
  const dir = opts.audioDir.replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir) || dir.split('/').includes('..'))
    throw new Error(`audioDir must be an absolute path of letters, digits and . _ / - (got ${JSON.stringify(dir)})`);
  // mod_local_stream takes any file whose path contains ".loc" (any case) for a playlist: hold music would break.
  if (/\.loc/i.test(dir)) throw new Error(`audioDir must not contain ".loc" (got ${JSON.stringify(dir)})`);
  return dir;
}

/** Stored names are chosen by Dialtone; reduce them anyway so no path or FreeSWITCH syntax can come through. */
export function safeFileName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '').replace(/^\.+/, '');
  return s === '' ? 'missing' : s;
}

/** `<audioDir>/<context>/<stored name>` of one of the PBX's audio files. */
export function audioFileOnHost(opts: GenerateOptions, context: string, storedName: string): string {
  return `${audioRoot(opts)}/${context}/${safeFileName(storedName)}`;
}
