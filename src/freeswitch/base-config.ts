// The base FreeSWITCH configuration a host installs once: the static tree in freeswitch/conf plus a generated vars.xml.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from 'xmlbuilder2';
import {
  type FreeswitchSettings,
  type ResolvedFreeswitchSettings,
  resolveFreeswitchSettings,
} from './base-config-settings';

export type { FreeswitchSettings, ResolvedFreeswitchSettings } from './base-config-settings';
export { resolveFreeswitchSettings } from './base-config-settings';

/** The repository's static base tree. */
export const DEFAULT_BASE_DIR = fileURLToPath(new URL('../../freeswitch/conf', import.meta.url));

/** The only base file that is generated rather than copied. */
export const VARS_PATH = 'vars.xml';

/**
 * Paths the per-PBX generator writes (glob patterns, `*` = one path segment part). The base never ships a file
 * matching these, except `dialplan/public.xml`, which the base owns (see ownerOf).
 */
export const GENERATOR_OWNED_PATTERNS: readonly string[] = [
  'directory/*.xml',
  'directory/*/*.xml',
  'dialplan/*.xml',
  'dialplan/*/*.xml',
  'autoload_configs/conference.conf.xml',
  'autoload_configs/callcenter.conf.xml',
  'autoload_configs/local_stream.conf.xml',
  'autoload_configs/ivr.conf.xml',
  'autoload_configs/voicemail.conf.xml',
  'autoload_configs/directory.conf.xml',
  'sip_profiles/external/*.xml',
];

/** Context names the base uses; a PBX context must not take one of them. */
export const RESERVED_CONTEXTS: readonly string[] = ['public'];

export class BaseConfigError extends Error {
  override name = 'BaseConfigError';
}

/** Converts a FreeSWITCH include glob (only `*` and `?` are used) to an anchored RegExp over relative paths. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

const generatorMatchers = GENERATOR_OWNED_PATTERNS.map(globToRegExp);

/** Who writes a file of the conf tree: the base (this module), the generator, or nobody we know of. */
export function ownerOf(path: string, basePaths: ReadonlySet<string>): 'base' | 'generator' | undefined {
  if (basePaths.has(path)) return 'base';
  return generatorMatchers.some((m) => m.test(path)) ? 'generator' : undefined;
}

/**
 * Renders the whole base tree: relative path -> file text, sorted by path, vars.xml generated from `settings`.
 * Same settings and same static files give the same bytes. Throws ValidationError for refused settings.
 */
export function renderBaseConfig(
  settings: FreeswitchSettings,
  baseDir: string = DEFAULT_BASE_DIR,
): Map<string, string> {
  const resolved = resolveFreeswitchSettings(settings);
  const files = new Map<string, string>();
  files.set(VARS_PATH, renderVarsXml(resolved));
  for (const path of listFiles(baseDir)) {
    if (path === VARS_PATH) throw new BaseConfigError(`${VARS_PATH} is generated; remove it from ${baseDir}`);
    if (path === 'README.md') continue;
    if (path !== 'dialplan/public.xml' && generatorMatchers.some((m) => m.test(path))) {
      throw new BaseConfigError(`${path} belongs to the generator and must not be in the base tree`);
    }
    files.set(path, readFileSync(join(baseDir, path), 'utf8'));
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The preprocessor variables the static files reference as $${name}, in the order vars.xml sets them. */
export function baseVariables(s: ResolvedFreeswitchSettings): Array<[string, string]> {
  return [
    ['dialtone_bind_ip', s.bindIp],
    ['dialtone_external_ip', s.externalIp],
    ['dialtone_internal_sip_port', String(s.internalSipPort)],
    ['dialtone_external_sip_port', String(s.externalSipPort)],
    ['dialtone_rtp_start_port', String(s.rtpStartPort)],
    ['dialtone_rtp_end_port', String(s.rtpEndPort)],
    ['global_codec_prefs', 'G722,PCMU,PCMA'],
    ['outbound_codec_prefs', 'PCMU,PCMA'],
    ['dialtone_esl_listen_ip', s.eslListenIp],
    ['dialtone_esl_listen_port', String(s.eslListenPort)],
    ['dialtone_esl_password', s.eslPassword],
    ['dialtone_esl_allow_cidr', s.eslAllowCidr],
    ['dialtone_xml_curl_url', s.xmlCurlUrl],
    ['dialtone_xml_curl_credentials', `${s.xmlCurlUsername}:${s.xmlCurlPassword}`],
    ['dialtone_xml_curl_timeout', String(s.xmlCurlTimeoutSec)],
    ['dialtone_cdr_url', s.cdrUrl],
    ['dialtone_cdr_credentials', `${s.cdrUsername}:${s.cdrPassword}`],
    ['dialtone_cdr_retries', String(s.cdrRetries)],
    ['dialtone_cdr_delay', String(s.cdrDelaySec)],
    ['dialtone_cdr_err_log_dir', s.cdrErrorLogDir],
    ['dialtone_sounds_dir', s.soundsDir],
    ['sound_prefix', `${s.soundsDir}/en/us/callie`],
    ['dialtone_lang_dir', s.langDir],
    ['dialtone_recordings_dir', s.recordingsDir],
    ['dialtone_storage_dir', s.storageDir],
    ['dialtone_hold_music_dir', s.holdMusicDir],
  ];
}

// The preprocessor takes the data attribute as raw bytes up to the next quote, so a value must need no XML
// escaping at all; validation already guarantees this, and this check keeps it true if the rules ever loosen.
const SAFE_VALUE = /^[A-Za-z0-9._~!@%^*+=,:?/\-[\]]*$/;

function renderVarsXml(s: ResolvedFreeswitchSettings): string {
  const root = create().ele('include');
  root.com(' Generated by Dialtone from its FreeSWITCH settings; do not edit, change the settings instead. ');
  for (const [name, value] of baseVariables(s)) {
    if (!SAFE_VALUE.test(value)) throw new BaseConfigError(`value of ${name} has characters vars.xml cannot carry`);
    root.ele('X-PRE-PROCESS', { cmd: 'set', data: `${name}=${value}` });
  }
  return `${root.end({ prettyPrint: true, headless: true, indent: '  ' })}\n`;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string, depth: number) => {
    if (depth > 8) throw new BaseConfigError(`base tree nested too deep at ${current}`);
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir, 0);
  return out.sort();
}
