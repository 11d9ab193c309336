// Environment -> typed, frozen Config. Parsed once at start-up, fails fast; nobody else reads process.env.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  /** HTTP port for portal, API, provisioning and xml_curl. */
  port: number;
  /** Processes serving HTTP (node:cluster workers sharing the port); default one per core. */
  workers: number;
  /** Addresses/CIDRs allowed to read /metrics (Prometheus text). */
  metricsAllow: string[];
  /** Address the HTTP and TFTP servers bind to. */
  host: string;
  /** UDP port of the TFTP server; 0 disables TFTP. */
  tftpPort: number;
  dataDir: string;
  /** postgres://… switches to PostgreSQL; otherwise SQLite at DATA_DIR/dialtone.sqlite. */
  databaseUrl: string | null;
  seedDemo: boolean;
  /** URL phones and FreeSWITCH use to reach us, e.g. http://pbx.example.com:8080 (no trailing slash). */
  publicUrl: string;
  eventSocket: { host: string; port: number; password: string };
  xmlCurl: { username: string; password: string; allow: string[] };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** What phones are told about the SIP registrar (null host = each PBX's SIP domain), and NTP. */
  sip: { registrarHost: string | null; port: number; transport: 'udp' | 'tcp' | 'tls' };
  ntpServer: string | null;
  /** Source addresses/CIDRs never rate-limited by provisioning (a customer's NAT rebooting many phones). */
  provisioningAllow: string[];
  /** Directory on the FreeSWITCH host holding Dialtone audio (greetings, hold music), for live xml_curl answers. */
  freeswitchAudioDir: string;
  /** FreeSWITCH's sound packs and phrase files on its host (the export and the live answers play from them). */
  freeswitchSoundsDir: string;
  freeswitchLangDir: string;
  /**
   * How Dialtone reads greetings recorded by phone from that directory: null = on this machine's file system (same
   * host, or the directory shared); otherwise over SFTP with a private key and the host key pinned.
   */
  freeswitchSftp: {
    username: string;
    host: string;
    port: number;
    keyFile: string;
    hostKeySha256: string;
  } | null;
  cdr: {
    /** FreeSWITCH's CDR err-log-dir as this machine sees it (null: no import job); `dialtone cdr import` takes any. */
    importDir: string | null;
    /** Bounds of DATA_DIR/cdr-dead-letter/ (refused posts kept there; oldest dropped first). */
    deadLetterMaxFiles: number;
    deadLetterMaxBytes: number;
  };
  /** Scheduled jobs (retention, CDR import) run in this process; in a cluster each run happens on one node. */
  jobsEnabled: boolean;
  /** SMTP relay for voicemail notifications (null: none are sent) and the sender (null: voicemail@<PBX domain>). */
  smtp: { url: string | null; from: string | null };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)');
  }
  const publicUrl = (env.PUBLIC_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~/-]*)?$/.test(publicUrl)) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL without query or credentials, got "${publicUrl}"`);
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new ConfigError('LOG_LEVEL must be debug|info|warn|error');
  return Object.freeze({
    port,
    workers: int(env, 'WORKERS', availableParallelism(), 1, 256),
    metricsAllow: cidrList(env, 'METRICS_ALLOW', '127.0.0.1,::1'),
    host,
    tftpPort: int(env, 'TFTP_PORT', 69, 0, 65535),
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl,
    seedDemo: bool(env, 'SEED_DEMO', true),
    publicUrl,
    eventSocket: Object.freeze({
      host: env.ESL_HOST || '127.0.0.1',
      port: int(env, 'ESL_PORT', 8021, 1, 65535),
      password: env.ESL_PASSWORD || 'ClueCon',
    }),
    xmlCurl: Object.freeze({
      username: env.XML_CURL_USER || 'freeswitch',
      password: env.XML_CURL_PASSWORD || '',
      allow: (env.XML_CURL_ALLOW || '127.0.0.1,::1')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }),
    logLevel,
    sip: Object.freeze({
      registrarHost: hostOrNull(env, 'SIP_REGISTRAR'),
      port: int(env, 'SIP_PORT', 5060, 1, 65535),
      transport: oneOf(env, 'SIP_TRANSPORT', ['udp', 'tcp', 'tls'] as const, 'udp'),
    }),
    ntpServer: hostOrNull(env, 'NTP_SERVER'),
    provisioningAllow: cidrList(env, 'PROVISIONING_ALLOW', ''),
    freeswitchAudioDir: audioDirOr(env, 'FREESWITCH_AUDIO_DIR', '/var/lib/dialtone/audio'),
    freeswitchSoundsDir: pathOr(env, 'FREESWITCH_SOUNDS_DIR', '/usr/share/freeswitch/sounds'),
    freeswitchLangDir: pathOr(env, 'FREESWITCH_LANG_DIR', '/usr/share/freeswitch/lang'),
    freeswitchSftp: sftpTarget(env),
    cdr: Object.freeze({
      importDir: env.CDR_IMPORT_DIR ? pathOr(env, 'CDR_IMPORT_DIR', '') : null,
      deadLetterMaxFiles: int(env, 'CDR_DEAD_LETTER_MAX_FILES', 1000, 1, 1_000_000),
      deadLetterMaxBytes: int(env, 'CDR_DEAD_LETTER_MAX_MB', 100, 1, 100_000) * 1024 * 1024,
    }),
    jobsEnabled: bool(env, 'JOBS_ENABLED', true),
    smtp: Object.freeze({ url: smtpUrl(env), from: smtpFrom(env) }),
  });
}

function smtpUrl(env: Env): string | null {
  const v = env.SMTP_URL;
  if (!v) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError('SMTP_URL must look like smtp://[user:password@]host[:port] (or smtps://)');
  }
  if (!['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname)
    throw new ConfigError('SMTP_URL must look like smtp://[user:password@]host[:port] (or smtps://)');
  return v;
}

function smtpFrom(env: Env): string | null {
  const v = env.SMTP_FROM;
  if (!v) return null;
  if (!/^(?:[^<>\r\n]{0,60}<[^@\s<>]{1,64}@[A-Za-z0-9.-]{1,253}>|[^@\s<>]{1,64}@[A-Za-z0-9.-]{1,253})$/.test(v))
    throw new ConfigError(`SMTP_FROM must be an email address or "Name <address>", got "${v.slice(0, 100)}"`);
  return v;
}

function sftpTarget(env: Env): Config['freeswitchSftp'] {
  const v = env.FREESWITCH_SFTP;
  if (!v) return null;
  const m = /^([A-Za-z0-9._-]{1,32})@([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/.exec(v);
  if (!m) throw new ConfigError('FREESWITCH_SFTP must look like user@host[:port]');
  const port = m[3] ? Number(m[3]) : 22;
  if (port < 1 || port > 65535) throw new ConfigError('FREESWITCH_SFTP: port must be 1-65535');
  if (!env.FREESWITCH_SFTP_KEY) throw new ConfigError('FREESWITCH_SFTP needs FREESWITCH_SFTP_KEY (a private key file)');
  // An unattended server must know whom it talks to: whoever answered could otherwise supply a tenant's greeting.
  const hostKey = env.FREESWITCH_SFTP_HOST_KEY_SHA256 || '';
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(hostKey))
    throw new ConfigError(
      'FREESWITCH_SFTP needs FREESWITCH_SFTP_HOST_KEY_SHA256: the host key fingerprint (base64 SHA-256, as ssh-keygen -lf prints it without "SHA256:")',
    );
  return Object.freeze({
    username: m[1] as string,
    host: (m[2] as string).replace(/^\[|\]$/g, ''),
    port,
    keyFile: resolve(env.FREESWITCH_SFTP_KEY),
    hostKeySha256: hostKey,
  });
}

function list(env: Env, name: string, fallback = ''): string[] {
  return (env[name] || fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function cidrList(env: Env, name: string, fallback: string): string[] {
  return list(env, name, fallback).map((c) => {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(c)) throw new ConfigError(`${name}: "${c}" is not an address or CIDR`);
    return c;
  });
}

function hostOrNull(env: Env, name: string): string | null {
  const v = env[name];
  if (!v) return null;
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(v))
    throw new ConfigError(`${name} must be a host name or IPv4 address, got "${v}"`);
  return v;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = env[name];
  if (!v) return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** FreeSWITCH's mod_local_stream reads any file whose path contains ".loc" as a playlist: hold music would break. */
function audioDirOr(env: Env, name: string, fallback: string): string {
  const v = pathOr(env, name, fallback);
  if (/\.loc/i.test(v))
    throw new ConfigError(`${name} must not contain ".loc" (FreeSWITCH reads such files as playlists)`);
  return v;
}

function pathOr(env: Env, name: string, fallback: string): string {
  const v = env[name];
  if (!v) return fallback;
  if (!/^(\/[A-Za-z0-9._-]+)+$/.test(v))
    throw new ConfigError(`${name} must be an absolute path of letters, digits and . _ -`);
  return v;
}
