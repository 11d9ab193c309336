// Polycom UC Software (VVX) rendering: view model for the templates, master files, per-phone/common/bootstrap XML, directory.
//
// Polycom reads a master file (<mac>.cfg or 000000000000.cfg) whose CONFIG_FILES lists configuration files read left to
// right, FIRST occurrence of a parameter winning; every configuration file is XML whose attribute names are the
// parameter names (element names do not matter, so we write one <polycomConfig> element).

import { create } from 'xmlbuilder2';
import type { FirmwareProfile } from '../../vendors/firmware-profile';
import { unsupportedMailboxNote } from '../extra-mailboxes';
import type { PhoneConfig } from '../phone-config';
import { PhoneConfigError } from './errors';
import type { Param } from './param-list';
import { urlProblem } from './sanitize';
import { type ProvisioningTemplates, renderParams } from './templates';
import { type ZoneRules, zoneRule } from './time-zone';
import type { BootstrapConfig, RenderedFile } from './types';
import { checkPhoneConfig } from './validate-config';

const XML_TYPE = 'application/xml; charset=utf-8';
const XML_OPTIONS = { prettyPrint: true, width: 1, indent: '  ', newline: '\n', wellFormed: true } as const;

export const POLYCOM_GENERIC_MASTER = '000000000000.cfg';
export const POLYCOM_GENERIC_COMMON = 'common.cfg';
export const POLYCOM_BOOTSTRAP = 'bootstrap.cfg';

/** File names a Polycom phone with this MAC and profile fetches from us. */
export function polycomFileNames(mac: string, profile: FirmwareProfile) {
  return {
    master: `${mac}.cfg`,
    phone: `${mac}-user.cfg`,
    common: `common-${profile.id}.cfg`,
    directory: `${mac}-directory.xml`,
  };
}

const TRANSPORT = { udp: 'UDPOnly', tcp: 'TCPOnly', tls: 'TLS' } as const;

function document(params: readonly Param[]): string {
  const attributes = Object.fromEntries(params.map((p) => [p.name, p.value]));
  return `${create({ version: '1.0', encoding: 'UTF-8', standalone: true }).ele('polycomConfig', attributes).end(XML_OPTIONS)}\n`;
}

function master(appFilePath: string, configFiles: readonly string[]): string {
  const attributes = {
    APP_FILE_PATH: appFilePath,
    CONFIG_FILES: configFiles.join(', '),
    MISC_FILES: '',
    LOG_FILE_DIRECTORY: '',
    OVERRIDES_DIRECTORY: '',
    CONTACTS_DIRECTORY: '',
    LICENSE_DIRECTORY: '',
  };
  return `${create({ version: '1.0', encoding: 'UTF-8', standalone: true }).ele('APPLICATION', attributes).end(XML_OPTIONS)}\n`;
}

/** Splits an http(s) base URL into Polycom's device.prov.serverType word and serverName (host[:port]/path, no scheme). */
function provServer(baseUrl: string, field: string): { serverType: string; serverName: string } {
  const problem = urlProblem(baseUrl);
  if (problem) throw new PhoneConfigError({ [field]: problem });
  const url = new URL(baseUrl);
  return {
    serverType: url.protocol === 'https:' ? 'HTTPS' : 'HTTP',
    serverName: `${url.host}${url.pathname.replace(/\/$/, '')}`,
  };
}

/**
 * Alert-Info values the intercom ring class matches: for each field the phone receives, the whole field, the part in
 * `<…>` (a bare token such as "Ring Answer" for the second field) and its info parameter; see the comment in
 * templates/provisioning/polycom/base/phone.hbs.
 */
function alertInfoCandidates(fields: readonly string[]): string[] {
  return [
    ...new Set(
      fields.flatMap((field) => {
        const uri = /^<([^>]+)>/.exec(field)?.[1] ?? field;
        const info = /;info=([^;]+)/.exec(field)?.[1];
        return [field, uri, ...(info ? [info] : [])];
      }),
    ),
  ];
}

/** Everything the Polycom templates need, computed once; numbering of registrations, soft keys and prompts happens here. */
export function polycomView(config: PhoneConfig, profile: FirmwareProfile, zones: ZoneRules = zoneRule) {
  const omitted: string[] = [];
  const { domain } = config.sip;
  const first = config.lines[0] as PhoneConfig['lines'][number];
  const lines = config.lines.map((line, i) => ({ ...line, index: i + 1, address: `${line.extension}@${domain}` }));

  // Extra mailboxes: one non-registering registration each, authenticated as line 1, subscribing to the account
  // FreeSWITCH sends the mailbox's message-waiting for (not `<mailbox number>@domain`, which it never notifies).
  const freeRegs = profile.features.extraMailboxMwi ? profile.lines - lines.length : 0;
  const mwiOnly = config.voicemail.extraMailboxes.slice(0, Math.max(0, freeRegs)).map((box, i) => ({
    index: lines.length + i + 1,
    label: box.label,
    address: `${first.extension}@${domain}`,
    authUser: first.authUser,
    password: first.password,
    subscribe: box.account,
  }));
  for (const box of config.voicemail.extraMailboxes.slice(mwiOnly.length))
    omitted.push(
      profile.features.extraMailboxMwi
        ? `mailbox ${box.mailbox}: no free registration for message waiting`
        : unsupportedMailboxNote(profile, box.mailbox),
    );

  // Busy lamps fill the line keys left after registrations (one key each) — on the phone and its expansion modules.
  const keysLeft = profile.features.blf
    ? profile.lineKeys +
      profile.expansionModules.max * profile.expansionModules.keysPerModule -
      lines.length -
      mwiOnly.length
    : 0;
  const buddies = config.buddies.slice(0, Math.max(0, keysLeft)).map((buddy, i) => ({
    index: i + 1,
    label: buddy.label,
    address: `${buddy.watch}@${domain}`,
    callAddress: buddy.dial === buddy.watch ? '' : `${buddy.dial}@${domain}`,
    type: buddy.kind === 'park' ? 'automata' : 'normal',
  }));
  for (const buddy of config.buddies.slice(buddies.length))
    omitted.push(
      `busy lamp '${buddy.label}' (${buddy.watch}): ${profile.features.blf ? 'no free line key' : `${profile.model} has no BLF`}`,
    );

  // Soft keys and enhanced-feature-key prompts are numbered in a fixed order so the output is stable.
  const softkeys: { index: number; label: string; action: string; prompt: number | null; promptLabel: string }[] = [];
  let prompt = 0;
  const addSoftkey = (label: string, action: string, promptLabel = '') => {
    const promptIndex = promptLabel === '' ? null : ++prompt;
    softkeys.push({ index: softkeys.length + 1, label, action, prompt: promptIndex, promptLabel });
  };
  const apps = config.phoneApps && profile.features.xmlBrowser ? config.phoneApps : null;
  if (config.phoneApps && !apps) omitted.push(`phone apps: ${profile.model} has no XML browser`);
  if (apps) addSoftkey('Voicemail', apps.voicemailUrl);
  if (apps) addSoftkey('Directory', apps.directoryUrl);
  if (apps && config.agent?.key) addSoftkey(config.agent.keyLabel, apps.agentStatusUrl);
  if (config.intercom.enabled)
    addSoftkey('Intercom', `^${config.intercom.prefix}$P${prompt + 1}N6$$Tinvite$`, 'Intercom extension');
  if (config.pickup.enabled)
    addSoftkey(config.pickup.keyLabel, `^${config.pickup.prefix}$P${prompt + 1}N6$$Tinvite$`, 'Pick up extension');

  const intercom = config.intercom.enabled && profile.features.intercomAutoAnswer;
  if (config.intercom.enabled && !intercom) omitted.push(`intercom auto-answer: not supported by ${profile.model}`);
  const idle =
    apps && config.agent?.idleScreenStatus && profile.features.idleBrowser
      ? // The idle browser cannot navigate: it gets the small, link-free status page below the agent app.
        { url: `${apps.agentStatusUrl}/idle`, refresh: config.agent.idleRefreshSeconds }
      : null;
  if (config.agent?.idleScreenStatus && !idle)
    omitted.push(`agent status on idle screen: ${profile.model} has no idle browser`);

  const zone = zones(config.time.timeZone, config.time.referenceYear);
  if (zone.note) omitted.push(zone.note);
  const dstChange = (t: NonNullable<typeof zone.dst>['start']) => ({
    month: t.month,
    // Polycom: with fixedDayEnable=0, `date` is where the search for the weekday starts (1, 8, 15, 22).
    date: t.week === 5 ? 1 : (t.week - 1) * 7 + 1,
    time: t.hour,
    dayOfWeek: t.weekday + 1, // Polycom: 1 = Sunday … 7 = Saturday
    lastInMonth: t.week === 5 ? 1 : 0,
  });

  const view = {
    mac: config.device.mac,
    sip: { ...config.sip, transport: TRANSPORT[config.sip.transport] },
    lines,
    mwiOnly,
    mwi: { subscribe: config.voicemail.subscribeMwi, accessNumber: config.voicemail.accessNumber },
    buddies,
    buddyList: config.buddyListEnabled && profile.features.blf,
    pickup: config.pickup,
    intercom: {
      enabled: intercom,
      alertInfo: alertInfoCandidates(config.intercom.alertInfoFields).map((value, i) => ({ index: i + 1, value })),
    },
    softkeys,
    apps,
    idle,
    time: {
      gmtOffsetSeconds: zone.standardOffsetMinutes * 60,
      dst: zone.dst ? { start: dstChange(zone.dst.start), stop: dstChange(zone.dst.end) } : null,
      ntp: config.time.ntpServer,
    },
    adminPassword: config.adminPassword,
    callWaiting: config.callWaiting,
    missedCallList: config.missedCallList,
    prov: {
      ...provServer(config.provisioning.baseUrl, 'provisioning.baseUrl'),
      credentials: config.provisioning.credentials,
    },
  };
  return { view, omitted };
}

export function renderPolycomGenericMaster(): RenderedFile {
  return {
    body: master('sip.ld', [POLYCOM_GENERIC_COMMON]),
    contentType: XML_TYPE,
    containsSecrets: false,
    omitted: [],
  };
}

export function renderPolycomBootstrapMaster(): RenderedFile {
  return { body: master('sip.ld', [POLYCOM_BOOTSTRAP]), contentType: XML_TYPE, containsSecrets: false, omitted: [] };
}

export function renderPolycomCommon(templates: ProvisioningTemplates, profile: FirmwareProfile | null): RenderedFile {
  const params = renderParams(templates, 'polycom', 'common', profile, { profile }, 'first-wins');
  return { body: document(params), contentType: XML_TYPE, containsSecrets: false, omitted: [] };
}

export function renderPolycomBootstrap(templates: ProvisioningTemplates, bootstrap: BootstrapConfig): RenderedFile {
  const view = { prov: provServer(bootstrap.provisioningBaseUrl, 'provisioningBaseUrl') };
  const params = renderParams(templates, 'polycom', 'bootstrap', null, view, 'first-wins');
  return { body: document(params), contentType: XML_TYPE, containsSecrets: false, omitted: [] };
}

export function renderPolycomMaster(config: PhoneConfig, profile: FirmwareProfile): RenderedFile {
  const safe = checkPhoneConfig(config, profile);
  const names = polycomFileNames(safe.device.mac, profile);
  // "sip.ld" is Polycom's generic application name: a phone running split firmware requests "<its part number>.sip.ld"
  // next to it (profile.firmware.files), so naming the part file here would make it ask for "<part>.<part>.sip.ld".
  const firmware = safe.firmwareBaseUrl === null ? 'sip.ld' : `${safe.firmwareBaseUrl}/sip.ld`;
  return {
    body: master(firmware, [names.phone, names.common]),
    contentType: XML_TYPE,
    containsSecrets: false,
    omitted: [],
  };
}

export function renderPolycomPhone(
  templates: ProvisioningTemplates,
  config: PhoneConfig,
  profile: FirmwareProfile,
  zones: ZoneRules = zoneRule,
): RenderedFile {
  const { view, omitted } = polycomView(checkPhoneConfig(config, profile), profile, zones);
  const params = renderParams(templates, 'polycom', 'phone', profile, view, 'first-wins');
  return { body: document(params), contentType: XML_TYPE, containsSecrets: true, omitted };
}

/**
 * <mac>-directory.xml: one contact per busy-lamp entry, then one per speed dial; `sd` (speed-dial index) puts them
 * on the free line keys in that order, `bw` (buddy watch) is set for extensions when the buddy list is on.
 */
export function renderPolycomDirectory(config: PhoneConfig, profile: FirmwareProfile): RenderedFile {
  const safe = checkPhoneConfig(config, profile);
  const watch = safe.buddyListEnabled && profile.features.blf;
  const root = create({ version: '1.0', encoding: 'UTF-8', standalone: true }).ele('directory');
  const list = root.ele('item_list');
  safe.buddies.forEach((buddy, i) => {
    const item = list.ele('item');
    item.ele('fn').txt(buddy.label);
    item.ele('ct').txt(buddy.dial);
    item.ele('sd').txt(String(i + 1));
    item.ele('bw').txt(watch && buddy.kind === 'extension' ? '1' : '0');
    item.ele('bb').txt('0');
  });
  safe.speedDials.forEach((sd, i) => {
    const item = list.ele('item');
    item.ele('fn').txt(sd.label);
    item.ele('ct').txt(sd.dial);
    item.ele('sd').txt(String(safe.buddies.length + i + 1));
    item.ele('bw').txt('0');
    item.ele('bb').txt('0');
  });
  return {
    body: `${root.end({ prettyPrint: true, indent: '  ', newline: '\n', wellFormed: true })}\n`,
    contentType: XML_TYPE,
    containsSecrets: false,
    omitted: [],
  };
}
