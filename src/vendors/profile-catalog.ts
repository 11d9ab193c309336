// Lookup over the loaded firmware profiles: by id, vendor, Yealink model code, firmware file, and User-Agent.

import type { FirmwareProfile, VendorName } from './firmware-profile';
import { checkProfileSet, loadFirmwareProfiles } from './load-profiles';

// Longer User-Agents are not phones; refusing them keeps regex work bounded for hostile headers.
const MAX_USER_AGENT = 512;

export class ProfileCatalog {
  readonly all: readonly FirmwareProfile[];
  private readonly ids = new Map<string, FirmwareProfile>();
  private readonly codes = new Map<string, FirmwareProfile>();
  private readonly patterns: ReadonlyArray<readonly [RegExp, FirmwareProfile]>;

  /** Takes validated profiles (loadFirmwareProfiles output); re-checks the cross-profile rules. */
  constructor(profiles: readonly FirmwareProfile[]) {
    checkProfileSet(profiles);
    this.all = Object.freeze([...profiles]);
    for (const p of profiles) {
      this.ids.set(p.id, p);
      if (p.modelCode !== null) this.codes.set(`${p.vendor}:${p.modelCode}`, p);
    }
    this.patterns = profiles.map((p) => [new RegExp(p.userAgentPattern, 'i'), p] as const);
  }

  byId(id: string): FirmwareProfile | undefined {
    return this.ids.get(id);
  }

  byVendor(vendor: VendorName): FirmwareProfile[] {
    return this.all.filter((p) => p.vendor === vendor);
  }

  /** Yealink: the profile whose y0000000000XX.cfg code is `code` ("96", "108"; leading zeros ignored). */
  byModelCode(code: string, vendor: VendorName = 'yealink'): FirmwareProfile | undefined {
    if (!/^\d{1,12}$/.test(code)) return undefined;
    return this.codes.get(`${vendor}:${String(Number(code)).padStart(2, '0')}`);
  }

  /** Profiles that list `fileName` as firmware (Yealink ships one .rom for several models). */
  byFirmwareFile(fileName: string): FirmwareProfile[] {
    return this.all.filter((p) => p.firmware.files.includes(fileName));
  }

  /** The one profile whose userAgentPattern matches; undefined when none or (never guessing) more than one does. */
  identify(userAgent: string): FirmwareProfile | undefined {
    if (userAgent.length === 0 || userAgent.length > MAX_USER_AGENT) return undefined;
    const hits = this.patterns.filter(([re]) => re.test(userAgent));
    return hits.length === 1 ? hits[0][1] : undefined;
  }
}

/** Start-up helper: load the directory and build the catalog in one step. */
export function loadProfileCatalog(dir: string): ProfileCatalog {
  return new ProfileCatalog(loadFirmwareProfiles(dir));
}

/**
 * True when the version a phone reports is the one the profile serves. A profile version may be shorter than the
 * phone's ("6.4.6" covers "6.4.6.2152"): it then matches every build under it.
 */
export function isProfileFirmware(profile: FirmwareProfile, reportedVersion: string): boolean {
  const want = profile.firmware.version.split('.');
  const got = reportedVersion.split('.');
  return got.length >= want.length && want.every((part, i) => Number(part) === Number(got[i]) && /^\d+$/.test(got[i]));
}
