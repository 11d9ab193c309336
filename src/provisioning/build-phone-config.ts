// PhoneConfig builder: one device of a PBX snapshot + its firmware profile + server settings -> the vendor-neutral PhoneConfig.
//
// Pure: no clock, no randomness, no I/O. Everything that varies (the phone-app token, credentials the phone must learn,
// the reference year for time-zone rules) is passed in, so the same input always renders the same bytes.
// Per-extension settings (call waiting, missed calls, buddy list, agent status) come from the extension of line 1.

import { intercomAlertInfoFields } from '../domain/intercom-headers';
import type { Device, Extension } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import { memoOn } from '../domain/snapshot-memo';
import type { FirmwareProfile } from '../vendors/firmware-profile';
import { extraMailboxes } from './extra-mailboxes';
import type { BuddyEntry, PhoneConfig, PhoneLine, SipTransport } from './phone-config';

/** Server-wide provisioning settings (from Config at start-up). */
export interface PhoneConfigSettings {
  /** Absolute http(s) URL of the provisioning folder, no trailing slash, e.g. "https://pbx.example.net/provisioning". */
  provisioningBaseUrl: string;
  /** Absolute URL of the firmware folder, no trailing slash, or null to leave firmware alone. */
  firmwareBaseUrl: string | null;
  sip: {
    /** Where phones send REGISTER; null = the PBX's SIP domain (resolved by DNS). */
    registrarHost: string | null;
    port: number;
    transport: SipTransport;
    registerExpiresSeconds: number;
  };
  /** NTP server for every phone, or null to keep what DHCP gives. */
  ntpServer: string | null;
  /** Year whose DST transitions become the phones' yearly rule (passed in so output is deterministic). */
  referenceYear: number;
  /** Host of the intercom Alert-Info URI; must be the generator's `alertInfoHost` (see src/domain/intercom-headers.ts). */
  alertInfoHost: string;
  /** Base URL of the phone apps, no trailing slash (URLs become `<base>/<token>/voicemail` …), or null when disabled. */
  phoneAppsBaseUrl: string | null;
  /** Host allowed to push XML to Yealink phones, or null (pushes only by SIP NOTIFY). */
  pushServerHost: string | null;
  /** Polycom idle-browser refresh of the agent-status screen, seconds (0 or 5–3600). */
  agentIdleRefreshSeconds: number;
}

export interface BuildPhoneConfigInput {
  snapshot: PbxSnapshot;
  device: Device;
  profile: FirmwareProfile;
  settings: PhoneConfigSettings;
  /** The device's phone-app token (see app-token.ts), or null to leave phone apps out. */
  appToken: string | null;
  /** Provisioning credentials the phone must learn now (first fetch in an armed window), else null. */
  provisioningCredentials: { user: string; password: string } | null;
}

export interface BuiltPhoneConfig {
  config: PhoneConfig;
  /** What was configured but could not be put in the PhoneConfig, in words for the installer. */
  notes: string[];
}

/** The device cannot be turned into a config at all (its data contradicts the snapshot or the profile). */
export class PhoneConfigBuildError extends Error {
  override name = 'PhoneConfigBuildError';
}

export const AGENT_KEY_LABEL = 'Agent';
export const PICKUP_KEY_LABEL = 'Pickup';

/** BLF watch id of a parking slot: mod_valet_parking publishes presence for `park+<slot>`. */
export function parkSlotWatch(slot: number): string {
  return `park+${slot}`;
}

// Built once per snapshot: at 10,000 extensions a fresh Map per call cost more than the rest of the config.
function extensionIndex(snapshot: PbxSnapshot): Map<number, Extension> {
  return memoOn(snapshot, 'provisioning.extensionById', (s) => new Map(s.extensions.map((e) => [e.id, e])), [
    'extensions',
  ]);
}

const extensionById = (snapshot: PbxSnapshot, id: number): Extension | undefined => extensionIndex(snapshot).get(id);

export function buildPhoneConfig(input: BuildPhoneConfigInput): BuiltPhoneConfig {
  const { snapshot, device, profile, settings } = input;
  const { pbx } = snapshot;
  const notes: string[] = [];
  if (device.pbxId !== pbx.id) throw new PhoneConfigBuildError(`device ${device.mac} is not in PBX ${pbx.context}`);
  if (device.profileId !== profile.id)
    throw new PhoneConfigBuildError(`device ${device.mac} uses profile ${device.profileId}, not ${profile.id}`);

  const extById = extensionIndex(snapshot);
  const lineExts: Extension[] = [];
  for (const id of device.extensionIds) {
    const ext = extById.get(id);
    if (!ext) throw new PhoneConfigBuildError(`device ${device.mac}: extension #${id} does not exist`);
    if (lineExts.length >= profile.lines) notes.push(`extension ${ext.number}: ${profile.model} has no free line`);
    else if (lineExts.includes(ext)) notes.push(`extension ${ext.number}: already line ${lineExts.indexOf(ext) + 1}`);
    else lineExts.push(ext);
  }
  const primary = lineExts[0];
  if (!primary) throw new PhoneConfigBuildError(`device ${device.mac} has no line`);

  const lines: PhoneLine[] = lineExts.map((ext) => ({
    extension: ext.number,
    authUser: ext.number,
    password: ext.sipPassword,
    displayName: ext.name,
    label: `${ext.number} ${ext.name}`,
  }));

  const phoneApps =
    settings.phoneAppsBaseUrl !== null && input.appToken !== null
      ? {
          voicemailUrl: `${settings.phoneAppsBaseUrl}/${input.appToken}/voicemail`,
          directoryUrl: `${settings.phoneAppsBaseUrl}/${input.appToken}/directory`,
          agentStatusUrl: `${settings.phoneAppsBaseUrl}/${input.appToken}/agent`,
          pushServerHost: settings.pushServerHost,
        }
      : null;

  const isAgent = snapshot.queues.some((q) => q.agentIds.includes(primary.id));
  if (isAgent && !phoneApps) notes.push('agent key: phone apps are disabled');
  const agent =
    isAgent && phoneApps
      ? {
          key: true,
          keyLabel: AGENT_KEY_LABEL,
          idleScreenStatus: primary.agentStatusDisplay === true,
          idleRefreshSeconds: settings.agentIdleRefreshSeconds,
        }
      : null;

  return {
    config: {
      device: { mac: device.mac, profileId: profile.id, label: device.label ?? '' },
      provisioning: { baseUrl: settings.provisioningBaseUrl, credentials: input.provisioningCredentials },
      firmwareBaseUrl: settings.firmwareBaseUrl,
      sip: {
        domain: pbx.domain,
        registrarHost: settings.sip.registrarHost ?? pbx.domain,
        port: settings.sip.port,
        transport: settings.sip.transport,
        registerExpiresSeconds: settings.sip.registerExpiresSeconds,
      },
      lines,
      voicemail: {
        subscribeMwi: lineExts.some((e) => e.mailboxId !== null) || lineExts.some((e) => e.mwiMailboxes.length > 0),
        accessNumber: pbx.featureCodes.checkVoicemail,
        extraMailboxes: extraMailboxes(snapshot, lineExts, notes),
      },
      buddies: buddies(snapshot, device, profile, lineExts, notes),
      buddyListEnabled: primary.buddyList === true,
      speedDials: device.lineKeys.flatMap((k) =>
        k.type === 'speed_dial' ? [{ label: k.label ?? k.number, dial: k.number }] : [],
      ),
      pickup: { enabled: pbx.directedPickup, prefix: pbx.featureCodes.directedPickup, keyLabel: PICKUP_KEY_LABEL },
      intercom: {
        enabled: pbx.intercom,
        prefix: pbx.featureCodes.intercom,
        alertInfoFields: intercomAlertInfoFields(settings.alertInfoHost),
      },
      agent,
      phoneApps,
      time: { timeZone: pbx.timezone, referenceYear: settings.referenceYear, ntpServer: settings.ntpServer },
      adminPassword: pbx.phoneAdminPassword,
      callWaiting: primary.disableCallWaiting !== true,
      missedCallList: primary.disableMissedCallList !== true,
    },
    notes,
  };
}

/**
 * Busy lamps: the device's BLF and park keys in order. With the buddy list on and no BLF key chosen, the default is
 * every other extension of the PBX in number order, as many as the phone's own free line keys hold.
 */
function buddies(
  snapshot: PbxSnapshot,
  device: Device,
  profile: FirmwareProfile,
  lineExts: Extension[],
  notes: string[],
): BuddyEntry[] {
  const out: BuddyEntry[] = [];
  for (const key of device.lineKeys) {
    if (key.type === 'blf') {
      const ext = extensionById(snapshot, key.extensionId);
      if (!ext) notes.push(`busy lamp for extension #${key.extensionId}: no such extension`);
      else out.push({ kind: 'extension', label: key.label ?? ext.name, watch: ext.number, dial: ext.number });
    } else if (key.type === 'park') {
      out.push({
        kind: 'park',
        label: key.label ?? `Park ${key.slot}`,
        watch: parkSlotWatch(key.slot),
        dial: `${key.slot}`,
      });
    }
  }
  const primary = lineExts[0] as Extension;
  if (primary.buddyList === true && profile.features.blf && !device.lineKeys.some((k) => k.type === 'blf')) {
    const free = Math.max(0, profile.lineKeys - lineExts.length - out.length);
    // Sorted once per snapshot: sorting 10,000 extensions for each of 10,000 phones made a first boot quadratic.
    const byNumber = memoOn(
      snapshot,
      'provisioning.extensionsByNumber',
      (s) => [...s.extensions].sort((a, b) => Number(a.number) - Number(b.number) || a.number.localeCompare(b.number)),
      ['extensions'],
    );
    let added = 0;
    for (const ext of byNumber) {
      if (added >= free) break;
      if (lineExts.includes(ext)) continue;
      out.push({ kind: 'extension', label: ext.name, watch: ext.number, dial: ext.number });
      added++;
    }
  }
  return out;
}
