// Yealink (T3x/T4x/T5x, firmware v8x) rendering: view model for the templates and the .cfg text files.
//
// Yealink reads y0000000000XX.cfg (per model code) and then <mac>.cfg; a parameter set twice takes the LATER value.
// A file is `#!version:1.0.0.1` then `name = value` lines. Values absent from a file keep their previous setting on the
// phone, so unused accounts and keys are cleared explicitly with %NULL% (the only place a %…% sequence is written).

import type { FirmwareProfile } from '../../vendors/firmware-profile';
import { unsupportedMailboxNote } from '../extra-mailboxes';
import type { PhoneConfig } from '../phone-config';
import { PhoneConfigError } from './errors';
import type { Param } from './param-list';
import { urlProblem } from './sanitize';
import { type ProvisioningTemplates, renderParams } from './templates';
import { type DstTransition, type ZoneRules, zoneRule } from './time-zone';
import type { BootstrapConfig, RenderedFile } from './types';
import { checkPhoneConfig } from './validate-config';

const CFG_TYPE = 'text/plain; charset=utf-8';

/** File names a Yealink phone with this MAC and profile fetches from us. */
export function yealinkFileNames(mac: string, profile: FirmwareProfile) {
  if (profile.modelCode === null || !/^[0-9]{2,3}$/.test(profile.modelCode)) {
    throw new PhoneConfigError({ 'profile.modelCode': `${profile.id} has no Yealink model code` });
  }
  return { common: `y${profile.modelCode.padStart(12, '0')}.cfg`, phone: `${mac}.cfg` };
}

/** Yealink lets `static.security.user_password = <user>:<password>` repeat, once per user. */
function keyOf(param: Param): string {
  return param.name === 'static.security.user_password' ? `${param.name} ${param.value.split(':')[0]}` : param.name;
}

function cfg(params: readonly Param[]): string {
  return `#!version:1.0.0.1\n${params.map((p) => `${p.name} = ${p.value}`).join('\n')}\n`;
}

function checkedUrl(url: string, field: string): string {
  const problem = urlProblem(url);
  if (problem) throw new PhoneConfigError({ [field]: problem });
  return url;
}

/** "+H" / "-H:MM" as in Yealink's time zone list (e.g. "-5", "+5:30", "+0"). */
function zoneOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  const rest = abs % 60;
  return rest === 0 ? `${sign}${hours}` : `${sign}${hours}:${String(rest).padStart(2, '0')}`;
}

/** "Month/Week of Month/Day of Week/Hour" with week 5 = last and day 1 = Monday … 7 = Sunday (Yealink DST by week). */
function dstByWeek(t: DstTransition): string {
  return `${t.month}/${t.week}/${t.weekday === 0 ? 7 : t.weekday}/${t.hour}`;
}

type Key = {
  index: number;
  kind: 'line' | 'blf' | 'park' | 'speeddial' | 'xml' | 'none';
  line: number;
  value: string;
  label: string;
};

/** Everything the Yealink templates need; line-key layout: lines, busy lamps, agent key, phone apps, then cleared keys. */
export function yealinkView(
  templates: ProvisioningTemplates,
  config: PhoneConfig,
  profile: FirmwareProfile,
  zones: ZoneRules = zoneRule,
) {
  const omitted: string[] = [];
  const lines = config.lines.map((line, i) => ({ ...line, index: i + 1 }));
  const unusedAccounts = Array.from({ length: Math.max(0, profile.lines - lines.length) }, (_, i) => ({
    index: lines.length + i + 1,
  }));
  // MWI is per account (subscribe_mwi / subscribe_mwi_to_vm) and every account registers: a second account for a
  // mailbox would be a second registration of the line (calls ring twice). Every Yealink profile says
  // extraMailboxMwi: false, and the device screen warns (extra-mailboxes.ts); nothing is written.
  for (const box of config.voicemail.extraMailboxes) omitted.push(unsupportedMailboxNote(profile, box.mailbox));

  const wanted: Omit<Key, 'index'>[] = lines.map((line) => ({
    kind: 'line',
    line: line.index,
    value: line.extension,
    label: line.label,
  }));
  for (const buddy of config.buddies) {
    if (!profile.features.blf) omitted.push(`busy lamp '${buddy.label}' (${buddy.watch}): ${profile.model} has no BLF`);
    else if (buddy.kind === 'park') wanted.push({ kind: 'park', line: 1, value: buddy.dial, label: buddy.label });
    else wanted.push({ kind: 'blf', line: 1, value: buddy.watch, label: buddy.label });
  }
  for (const sd of config.speedDials) wanted.push({ kind: 'speeddial', line: 1, value: sd.dial, label: sd.label });
  const apps = config.phoneApps && profile.features.xmlBrowser ? config.phoneApps : null;
  if (config.phoneApps && !apps) omitted.push(`phone apps: ${profile.model} has no XML browser`);
  if (apps && config.agent?.key)
    wanted.push({ kind: 'xml', line: 1, value: apps.agentStatusUrl, label: config.agent.keyLabel });
  if (apps) wanted.push({ kind: 'xml', line: 1, value: apps.voicemailUrl, label: 'Voicemail' });
  if (apps) wanted.push({ kind: 'xml', line: 1, value: apps.directoryUrl, label: 'Directory' });
  for (const key of wanted.slice(profile.lineKeys))
    omitted.push(`key '${key.label}': ${profile.model} has only ${profile.lineKeys} line keys`);
  const keys: Key[] = Array.from({ length: profile.lineKeys }, (_, i) => ({
    index: i + 1,
    ...(wanted[i] ?? { kind: 'none', line: 1, value: '', label: '' }),
  }));

  const intercom = config.intercom.enabled && profile.features.intercomAutoAnswer;
  if (config.intercom.enabled && !intercom) omitted.push(`intercom auto-answer: not supported by ${profile.model}`);
  const push =
    apps && config.agent?.idleScreenStatus && profile.features.pushedStatus ? { server: apps.pushServerHost } : null;
  if (config.agent?.idleScreenStatus && !push)
    omitted.push(`agent status on idle screen: ${profile.model} cannot receive pushed status`);

  const zone = zones(config.time.timeZone, config.time.referenceYear);
  if (zone.note) omitted.push(zone.note);
  const names = (templates.data.get('yealink/time-zone-names.json') ?? {}) as Record<string, string>;

  // The AOR host is the SIP domain; when REGISTERs go elsewhere the registrar becomes the outbound proxy.
  const proxy =
    config.sip.registrarHost === config.sip.domain ? null : { host: config.sip.registrarHost, port: config.sip.port };

  const view = {
    lines,
    unusedAccounts,
    sip: { ...config.sip, transportType: { udp: 0, tcp: 1, tls: 2 }[config.sip.transport], proxy },
    mwi: { subscribe: config.voicemail.subscribeMwi, accessNumber: config.voicemail.accessNumber },
    keys,
    intercom: { enabled: intercom, prefix: config.intercom.prefix },
    pickup: config.pickup,
    push,
    time: {
      zone: zoneOffset(zone.standardOffsetMinutes),
      zoneName: names[config.time.timeZone] ?? null,
      dst: zone.dst
        ? { start: dstByWeek(zone.dst.start), end: dstByWeek(zone.dst.end), offset: zone.dst.saveMinutes }
        : null,
      ntp: config.time.ntpServer,
    },
    adminPassword: config.adminPassword,
    callWaiting: config.callWaiting,
    missedCallList: config.missedCallList,
    prov: { url: `${config.provisioning.baseUrl}/`, credentials: config.provisioning.credentials },
    firmwareUrl: config.firmwareBaseUrl === null ? null : `${config.firmwareBaseUrl}/${profile.firmware.files[0]}`,
  };
  return { view, omitted };
}

export function renderYealinkCommon(templates: ProvisioningTemplates, profile: FirmwareProfile): RenderedFile {
  yealinkFileNames('000000000000', profile);
  const params = renderParams(templates, 'yealink', 'common', profile, { profile }, 'last-wins', keyOf);
  return { body: cfg(params), contentType: CFG_TYPE, containsSecrets: false, omitted: [] };
}

export function renderYealinkPhone(
  templates: ProvisioningTemplates,
  config: PhoneConfig,
  profile: FirmwareProfile,
  zones: ZoneRules = zoneRule,
): RenderedFile {
  const { view, omitted } = yealinkView(templates, checkPhoneConfig(config, profile), profile, zones);
  const params = renderParams(templates, 'yealink', 'phone', profile, view, 'last-wins', keyOf);
  return { body: cfg(params), contentType: CFG_TYPE, containsSecrets: true, omitted };
}

export function renderYealinkBootstrap(
  templates: ProvisioningTemplates,
  bootstrap: BootstrapConfig,
  profile: FirmwareProfile | null,
): RenderedFile {
  const url = checkedUrl(bootstrap.provisioningBaseUrl, 'provisioningBaseUrl');
  if (url.endsWith('/')) throw new PhoneConfigError({ provisioningBaseUrl: 'must not end with /' });
  const params = renderParams(
    templates,
    'yealink',
    'bootstrap',
    profile,
    { prov: { url: `${url}/` } },
    'last-wins',
    keyOf,
  );
  return { body: cfg(params), contentType: CFG_TYPE, containsSecrets: false, omitted: [] };
}
