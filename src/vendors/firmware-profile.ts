// The shape of one firmware-profiles/<id>.json file: everything we know about a phone model, as data.
// Documented field by field in firmware-profiles/README.md; validated at start-up by load-profiles.ts.

export type VendorName = 'polycom' | 'yealink';

export interface FirmwareProfile {
  /** File stem and stable key, e.g. "polycom-vvx450", "yealink-t54w". Devices store this id as their model. */
  id: string;
  vendor: VendorName;
  /** Human model name as printed on the phone, e.g. "VVX 450", "T54W". */
  model: string;
  /** Product family, e.g. "vvx", "t3x", "t4x", "t5x": picks the template override folder when no model override exists. */
  family: string;
  /** Regular expression (JavaScript syntax, case-insensitive) that recognises this model in a User-Agent. */
  userAgentPattern: string;
  /**
   * Real (or, where none was found, documented-format) User-Agents of this model. The loader checks that
   * userAgentPattern matches every one and that no other profile's pattern does, so an ambiguous pattern stops start-up.
   */
  userAgentExamples: string[];
  /**
   * Yealink only: the model code of the per-model common file y0000000000XX.cfg, as a decimal string of 2-3 digits
   * ("96" for T54W -> y000000000096.cfg, "108" for T46U -> y000000000108.cfg). null for Polycom.
   */
  modelCode: string | null;
  firmware: {
    /** Firmware version we serve, e.g. "96.86.0.45" or "6.4.6" (a shorter version matches any build under it). */
    version: string;
    /** File names under /provisioning/firmware/ the phone will request (Polycom: *.sip.ld; Yealink: one .rom). */
    files: string[];
  };
  /** Number of SIP registrations (accounts/lines) the model supports. */
  lines: number;
  /** Number of programmable line keys on the phone itself (all pages). */
  lineKeys: number;
  expansionModules: { max: number; keysPerModule: number; models: string[] };
  features: {
    blf: boolean;
    intercomAutoAnswer: boolean;
    xmlBrowser: boolean;
    idleBrowser: boolean;
    pushedStatus: boolean;
    /**
     * The phone can show message waiting for mailboxes other than its lines' own (the extension's "message waiting"
     * list): one spare line each that subscribes to the mailbox without registering (Polycom reg.N.server.1.register=0).
     */
    extraMailboxMwi: boolean;
  };
  /** What the phone apps' screens must fit (firmware-profiles/README.md, "Screen"). */
  screen: {
    /** Display size in pixels. */
    width: number;
    height: number;
    /** Colour display (false: monochrome, so no colour is used to carry meaning). */
    color: boolean;
    /** Menu items the apps put on one page before a "More" key (Yealink's TextMenu holds at most 30). */
    itemsPerPage: number;
    /** Characters of one line before the apps clip it. */
    lineChars: number;
  };
}
