// The small interface each phone vendor implements: only what the firmware-profile data cannot say.

import type { VendorBootRequest } from './boot-request';
import type { VendorName } from './firmware-profile';
import type { SafePath } from './safe-path';

/** What a User-Agent says about the phone that sent it. */
export interface ParsedUserAgent {
  vendor: VendorName;
  /** The model as the phone names itself, separators removed and upper-cased: "VVX450", "T54W", "SPIP335". */
  model: string;
  /**
   * The version in the User-Agent. Polycom's Updater stage reports the updater's version, not the application's:
   * check `stage` before treating it as the installed firmware.
   */
  firmwareVersion: string;
  /** MAC carried in the User-Agent (canonical 12 lowercase hex), when present and a valid device MAC. */
  mac?: string;
  /** Polycom only: the boot stage named by "Type/Updater" or "Type/Application", when present. */
  stage?: 'updater' | 'application';
}

export interface Vendor {
  readonly name: VendorName;
  /** MAC prefixes (6 lowercase hex) seen on this vendor's phones: a tie-breaker for ambiguous names, never proof. */
  readonly ouis: readonly string[];
  /** null when the User-Agent is not in this vendor's format. */
  parseUserAgent(userAgent: string): ParsedUserAgent | null;
  /** This vendor's reading of an already sanitised path; null when it is not one of this vendor's files. */
  classifyFile(path: SafePath): VendorBootRequest | null;
}
