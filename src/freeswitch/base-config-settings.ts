// Per-installation FreeSWITCH settings: the typed input, strict allow-list validation, and the defaults.

import { isIPv6 } from 'node:net';
import { type FieldErrors, ValidationError } from '../domain/errors';
import { FREESWITCH_MODES, type FreeswitchMode } from './base-modules';

// Every value here ends up in vars.xml as <X-PRE-PROCESS cmd="set" data="name=value"/>. FreeSWITCH's
// preprocessor reads that line as raw text (no XML entity decoding, the value ends at the next `"`), expands
// `$${...}` in it, and later pastes the value verbatim into other files before they are parsed as XML. So the
// allow-lists below exclude every character that is special to XML, to the preprocessor or to FreeSWITCH
// variable expansion: & < > " ' $ { } | \ ` ; spaces and control characters.

export interface FreeswitchSettings {
  /**
   * static: FreeSWITCH reads only the exported files and never asks Dialtone (runs with Dialtone down).
   * live: mod_xml_curl asks Dialtone for directory users, dialplan contexts and module configurations on each use.
   */
  mode: FreeswitchMode;
  sip: {
    /** IPv4 address both SIP profiles and RTP bind to. */
    bindIp: string;
    /** Address advertised in SIP and SDP when FreeSWITCH is behind NAT; defaults to bindIp. */
    externalIp?: string;
    /** Port of the `internal` profile (phones); default 5060. */
    internalPort?: number;
    /** Port of the `external` profile (trunks); default 5080. */
    externalPort?: number;
    /** RTP port range; defaults 16384-32768. */
    rtpStartPort?: number;
    rtpEndPort?: number;
  };
  eventSocket: {
    /** Default 127.0.0.1. Anything else also needs `allowFrom`. */
    listenIp?: string;
    /** Default 8021. */
    listenPort?: number;
    /** At least 8 characters from the password alphabet (so the well-known default ClueCon is refused). */
    password: string;
    /** CIDR allowed to connect; default the loopback address that matches listenIp. */
    allowFrom?: string;
  };
  /** Live mode only (required there): where FreeSWITCH's lookups go. */
  xmlCurl?: {
    /** Dialtone's mod_xml_curl endpoint, http(s)://host[:port]/path (no query, no user info). */
    url: string;
    username: string;
    password: string;
    /** Seconds FreeSWITCH waits for one lookup before falling back to its files; default 5. */
    timeoutSec?: number;
  };
  cdr: {
    /** Dialtone's call-record intake; mod_json_cdr (and mod_xml_cdr if loaded) post here. */
    url: string;
    username: string;
    password: string;
    /** Extra attempts after a failed post; default 3. */
    retries?: number;
    /** Seconds between attempts; default 5. */
    delaySec?: number;
    /** Where FreeSWITCH keeps records it could not post; default /var/log/freeswitch/json_cdr. */
    errorLogDir?: string;
  };
  /** Absolute directories on the FreeSWITCH host; defaults follow the Debian package layout. */
  paths?: {
    /** Root of the sound packs (the en/us/callie voice is used for prompts). */
    soundsDir?: string;
    /** Root of the packaged phrase files (lang/en/en.xml must exist below it). */
    langDir?: string;
    recordingsDir?: string;
    /** mod_voicemail and other modules keep their files below this. */
    storageDir?: string;
    /** Dialtone's hold-music tracks, one folder per hold-music group, below this. */
    holdMusicDir?: string;
  };
}

/** Settings with every default applied and every value checked. */
export interface ResolvedFreeswitchSettings {
  mode: FreeswitchMode;
  bindIp: string;
  externalIp: string;
  internalSipPort: number;
  externalSipPort: number;
  rtpStartPort: number;
  rtpEndPort: number;
  eslListenIp: string;
  eslListenPort: number;
  eslPassword: string;
  eslAllowCidr: string;
  xmlCurlUrl: string;
  xmlCurlUsername: string;
  xmlCurlPassword: string;
  xmlCurlTimeoutSec: number;
  cdrUrl: string;
  cdrUsername: string;
  cdrPassword: string;
  cdrRetries: number;
  cdrDelaySec: number;
  cdrErrorLogDir: string;
  soundsDir: string;
  langDir: string;
  recordingsDir: string;
  storageDir: string;
  holdMusicDir: string;
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const URL_PATTERN = new RegExp(
  `^https?://(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9A-Fa-f:]+\\])(?::(\\d{1,5}))?(?:/[A-Za-z0-9._~/-]*)?$`,
);
const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const PASSWORD = /^[A-Za-z0-9._~!@%^*+=,:?-]{8,128}$/;
const PATH = /^(?:\/[A-Za-z0-9._-]+)+$/;

function isIp(value: string): boolean {
  return IPV4.test(value) || (/^[0-9A-Fa-f:]+$/.test(value) && isIPv6(value));
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.');
}

/** Checks settings against the allow-lists and fills defaults; throws ValidationError listing every bad field. */
export function resolveFreeswitchSettings(settings: FreeswitchSettings): ResolvedFreeswitchSettings {
  const errors: FieldErrors = {};
  const str = (field: string, value: unknown, ok: (v: string) => boolean, rule: string, fallback?: string): string => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !ok(value)) {
      errors[field] = rule;
      return '';
    }
    return value;
  };
  const int = (field: string, value: unknown, min: number, max: number, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      errors[field] = `must be a whole number from ${min} to ${max}`;
      return fallback;
    }
    return value;
  };
  const url = (field: string, value: unknown): string =>
    str(
      field,
      value,
      (v) => v.length <= 2048 && URL_PATTERN.test(v) && Number(URL_PATTERN.exec(v)?.[1] ?? '80') <= 65535,
      'must be http(s)://host[:port]/path with only letters, digits and . _ ~ / - in the path (no query, no credentials)',
    );
  const path = (field: string, value: unknown, fallback: string): string =>
    str(
      field,
      value,
      (v) => v.length <= 200 && PATH.test(v) && !v.split('/').some((s) => s === '.' || s === '..'),
      'must be an absolute path of letters, digits and . _ - (no "..", no trailing slash)',
      fallback,
    );
  const userName = (field: string, value: unknown) =>
    str(field, value, (v) => USERNAME.test(v), 'must be 1-64 letters, digits, dots, underscores or dashes');
  const password = (field: string, value: unknown) =>
    str(
      field,
      value,
      (v) => PASSWORD.test(v),
      'must be 8-128 characters: letters, digits and . _ ~ ! @ % ^ * + = , : ? -',
    );

  const sip = settings?.sip ?? ({} as FreeswitchSettings['sip']);
  const esl = settings?.eventSocket ?? ({} as FreeswitchSettings['eventSocket']);
  const mode = FREESWITCH_MODES.includes(settings?.mode) ? settings.mode : undefined;
  if (!mode) errors.mode = 'must be static or live';
  // A static tree never talks to Dialtone's xml_curl endpoint: its settings are neither needed nor written.
  const live = mode === 'live';
  const curl = settings?.xmlCurl ?? ({} as NonNullable<FreeswitchSettings['xmlCurl']>);
  const cdr = settings?.cdr ?? ({} as FreeswitchSettings['cdr']);
  const paths = settings?.paths ?? {};

  const bindIp = str(
    'sip.bindIp',
    sip.bindIp,
    (v) => IPV4.test(v) && v !== '0.0.0.0',
    'must be an IPv4 address (not 0.0.0.0)',
  );
  const externalIp = str(
    'sip.externalIp',
    sip.externalIp,
    (v) => IPV4.test(v) && v !== '0.0.0.0',
    'must be an IPv4 address',
    bindIp,
  );
  const internalSipPort = int('sip.internalPort', sip.internalPort, 1, 65535, 5060);
  const externalSipPort = int('sip.externalPort', sip.externalPort, 1, 65535, 5080);
  const rtpStartPort = int('sip.rtpStartPort', sip.rtpStartPort, 1024, 65534, 16384);
  const rtpEndPort = int('sip.rtpEndPort', sip.rtpEndPort, 1025, 65535, 32768);
  if (internalSipPort === externalSipPort) errors['sip.externalPort'] = 'must differ from the internal SIP port';
  if (rtpEndPort <= rtpStartPort) errors['sip.rtpEndPort'] = 'must be above the RTP start port';
  for (const [field, port] of [
    ['sip.internalPort', internalSipPort],
    ['sip.externalPort', externalSipPort],
  ] as const) {
    if (port >= rtpStartPort && port <= rtpEndPort) errors[field] = 'must be outside the RTP port range';
  }

  const eslListenIp = str('eventSocket.listenIp', esl.listenIp, isIp, 'must be an IPv4 or IPv6 address', '127.0.0.1');
  const eslListenPort = int('eventSocket.listenPort', esl.listenPort, 1, 65535, 8021);
  if (eslListenPort === internalSipPort || eslListenPort === externalSipPort) {
    errors['eventSocket.listenPort'] = 'must differ from the SIP ports';
  }
  const eslPassword = password('eventSocket.password', esl.password);
  const loopbackCidr = eslListenIp.includes(':') ? '::1/128' : '127.0.0.1/32';
  if (esl.allowFrom === undefined && eslListenIp && !isLoopback(eslListenIp)) {
    errors['eventSocket.allowFrom'] = 'is required when the event socket listens beyond loopback';
  }
  const eslAllowCidr = str(
    'eventSocket.allowFrom',
    esl.allowFrom,
    (v) => {
      const [ip, bits, extra] = v.split('/');
      const max = ip?.includes(':') ? 128 : 32;
      return extra === undefined && isIp(ip ?? '') && /^\d{1,3}$/.test(bits ?? '') && Number(bits) <= max;
    },
    'must be a CIDR such as 10.0.0.0/24',
    loopbackCidr,
  );

  const resolved: ResolvedFreeswitchSettings = {
    mode: mode ?? 'static',
    bindIp,
    externalIp,
    internalSipPort,
    externalSipPort,
    rtpStartPort,
    rtpEndPort,
    eslListenIp,
    eslListenPort,
    eslPassword,
    eslAllowCidr,
    xmlCurlUrl: live ? url('xmlCurl.url', curl.url) : '',
    xmlCurlUsername: live ? userName('xmlCurl.username', curl.username) : '',
    xmlCurlPassword: live ? password('xmlCurl.password', curl.password) : '',
    xmlCurlTimeoutSec: live ? int('xmlCurl.timeoutSec', curl.timeoutSec, 1, 60, 5) : 5,
    cdrUrl: url('cdr.url', cdr.url),
    cdrUsername: userName('cdr.username', cdr.username),
    cdrPassword: password('cdr.password', cdr.password),
    cdrRetries: int('cdr.retries', cdr.retries, 0, 10, 3),
    cdrDelaySec: int('cdr.delaySec', cdr.delaySec, 1, 300, 5),
    cdrErrorLogDir: path('cdr.errorLogDir', cdr.errorLogDir, '/var/log/freeswitch/json_cdr'),
    soundsDir: path('paths.soundsDir', paths.soundsDir, '/usr/share/freeswitch/sounds'),
    langDir: path('paths.langDir', paths.langDir, '/usr/share/freeswitch/lang'),
    recordingsDir: path('paths.recordingsDir', paths.recordingsDir, '/var/lib/freeswitch/recordings'),
    storageDir: path('paths.storageDir', paths.storageDir, '/var/lib/freeswitch/storage'),
    holdMusicDir: path('paths.holdMusicDir', paths.holdMusicDir, '/var/lib/freeswitch/storage/hold-music'),
  };
  if (Object.keys(errors).length > 0)
    throw new ValidationError(errors, `FreeSWITCH settings refused: ${describe(errors)}`);
  return resolved;
}

function describe(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([field, message]) => `${field} ${message}`)
    .join('; ');
}
