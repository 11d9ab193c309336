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
import { renderModulesConf } from './base-modules';

export type { FreeswitchSettings, ResolvedFreeswitchSettings } from './base-config-settings';
export { resolveFreeswitchSettings } from './base-config-settings';
export { FREESWITCH_MODES, type FreeswitchMode, loadedModules } from './base-modules';

/** The repository's static base tree. */
export const DEFAULT_BASE_DIR = fileURLToPath(new URL('../../freeswitch/conf', import.meta.url));

/** Base files generated from the settings rather than copied. */
export const VARS_PATH = 'vars.xml';
export const MODULES_PATH = 'autoload_configs/modules.conf.xml';

/** Base files written only in live mode (a static tree never binds mod_xml_curl). */
export const LIVE_ONLY_PATHS: ReadonlySet<string> = new Set(['autoload_configs/xml_curl.conf.xml']);

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
  files.set(MODULES_PATH, renderModulesConf(resolved.mode));
  for (const path of listFiles(baseDir)) {
    if (path === VARS_PATH || path === MODULES_PATH)
      throw new BaseConfigError(`${path} is generated; remove it from ${baseDir}`);
    if (path === 'README.md') continue;
    if (LIVE_ONLY_PATHS.has(path) && resolved.mode !== 'live') continue;
    if (path !== 'dialplan/public.xml' && generatorMatchers.some((m) => m.test(path))) {
      throw new BaseConfigError(`${path} belongs to the generator and must not be in the base tree`);
    }
    files.set(path, readFileSync(join(baseDir, path), 'utf8'));
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The preprocessor variables the static files reference as $${name}, in the order vars.xml sets them. */
export function baseVariables(s: ResolvedFreeswitchSettings): Array<[string, string]> {
  const xmlCurl: Array<[string, string]> =
    s.mode === 'live'
      ? [
          ['dialtone_xml_curl_url', s.xmlCurlUrl],
          ['dialtone_xml_curl_credentials', `${s.xmlCurlUsername}:${s.xmlCurlPassword}`],
          ['dialtone_xml_curl_timeout', String(s.xmlCurlTimeoutSec)],
        ]
      : [];
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
    ...xmlCurl,
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
    // A call whose far end stops sending audio is hung up after 5 minutes (30 on hold). Global variables are every
    // channel's default; FreeSWITCH 1.10 deprecates the profiles' rtp-timeout-sec / rtp-hold-timeout-sec (in ms here).
    ['media_timeout', '300000'],
    ['media_hold_timeout', '1800000'],
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
