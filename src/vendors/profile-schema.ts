// Strict validation of one parsed firmware-profile JSON value into a FirmwareProfile: every field, no extras.

import type { FirmwareProfile, VendorName } from './firmware-profile';
import { ProfileError } from './profile-error';

const VENDORS: readonly VendorName[] = ['polycom', 'yealink'];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FAMILY = /^[a-z0-9]+$/;
const VERSION = /^\d+(?:\.\d+){2,3}$/;
const MODEL_CODE = /^\d{2,3}$/;
// Firmware names are served from disk and written into phone configs: a closed character set, no path separators.
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_(),.-]{0,199}$/;
const FIRMWARE_SUFFIX: Record<VendorName, RegExp> = { polycom: /\.sip\.ld$/, yealink: /\.rom$/ };
const PRINTABLE = /^[\x20-\x7e]+$/;

type Json = Record<string, unknown>;

/** Validates `value` (the parsed JSON of `file`) and returns a fresh, deeply frozen profile. Throws ProfileError. */
export function parseFirmwareProfile(value: unknown, file: string): FirmwareProfile {
  const v = new Checker(file);
  const root = v.object(value, '', [
    'id',
    'vendor',
    'model',
    'family',
    'userAgentPattern',
    'userAgentExamples',
    'modelCode',
    'firmware',
    'lines',
    'lineKeys',
    'expansionModules',
    'features',
    'screen',
  ]);
  const id = v.string(root.id, 'id', ID, 64);
  const vendor = v.string(root.vendor, 'vendor') as VendorName;
  if (!VENDORS.includes(vendor)) v.fail('vendor', `must be one of ${VENDORS.join(', ')}`);
  const model = v.string(root.model, 'model', PRINTABLE, 40);
  const family = v.string(root.family, 'family', FAMILY, 20);

  const userAgentPattern = v.string(root.userAgentPattern, 'userAgentPattern', PRINTABLE, 300);
  let pattern: RegExp;
  try {
    pattern = new RegExp(userAgentPattern, 'i');
  } catch (e) {
    return v.fail('userAgentPattern', `is not a valid regular expression (${(e as Error).message})`);
  }
  if (pattern.test('')) v.fail('userAgentPattern', 'matches an empty User-Agent, so it would match anything');
  const userAgentExamples = v.stringArray(root.userAgentExamples, 'userAgentExamples', PRINTABLE, 300, 1, 10);
  userAgentExamples.forEach((ua, i) => {
    if (!pattern.test(ua)) v.fail(`userAgentExamples[${i}]`, `is not matched by userAgentPattern: "${ua}"`);
  });

  let modelCode: string | null = null;
  if (vendor === 'yealink') modelCode = v.string(root.modelCode, 'modelCode', MODEL_CODE);
  else if (root.modelCode !== null) v.fail('modelCode', `must be null for ${vendor}`);

  const fw = v.object(root.firmware, 'firmware', ['version', 'files']);
  const version = v.string(fw.version, 'firmware.version', VERSION);
  const files = v.stringArray(fw.files, 'firmware.files', FILE_NAME, 200, 1, 8);
  files.forEach((f, i) => {
    const field = `firmware.files[${i}]`;
    if (f.includes('..')) v.fail(field, 'must not contain ".."');
    if (!FIRMWARE_SUFFIX[vendor].test(f))
      v.fail(field, `must end with ${FIRMWARE_SUFFIX[vendor].source} for ${vendor}`);
    // Yealink names carry the version; a mismatch means the file and the version were updated separately.
    if (vendor === 'yealink' && !f.includes(version)) v.fail(field, `does not contain firmware.version ${version}`);
  });

  const lines = v.integer(root.lines, 'lines', 1, 64);
  const lineKeys = v.integer(root.lineKeys, 'lineKeys', 0, 255);

  const em = v.object(root.expansionModules, 'expansionModules', ['max', 'keysPerModule', 'models']);
  const max = v.integer(em.max, 'expansionModules.max', 0, 8);
  const keysPerModule = v.integer(em.keysPerModule, 'expansionModules.keysPerModule', 0, 200);
  const models = v.stringArray(em.models, 'expansionModules.models', PRINTABLE, 60, 0, 10);
  if ((max === 0) !== (keysPerModule === 0) || (max === 0) !== (models.length === 0)) {
    v.fail('expansionModules', 'max, keysPerModule and models must be all zero/empty or all set');
  }

  const ft = v.object(root.features, 'features', [
    'blf',
    'intercomAutoAnswer',
    'xmlBrowser',
    'idleBrowser',
    'pushedStatus',
    'extraMailboxMwi',
  ]);
  const features = {
    blf: v.boolean(ft.blf, 'features.blf'),
    intercomAutoAnswer: v.boolean(ft.intercomAutoAnswer, 'features.intercomAutoAnswer'),
    xmlBrowser: v.boolean(ft.xmlBrowser, 'features.xmlBrowser'),
    idleBrowser: v.boolean(ft.idleBrowser, 'features.idleBrowser'),
    pushedStatus: v.boolean(ft.pushedStatus, 'features.pushedStatus'),
    extraMailboxMwi: v.boolean(ft.extraMailboxMwi, 'features.extraMailboxMwi'),
  };

  const sc = v.object(root.screen, 'screen', ['width', 'height', 'color', 'itemsPerPage', 'lineChars']);
  const screen = {
    width: v.integer(sc.width, 'screen.width', 64, 4096),
    height: v.integer(sc.height, 'screen.height', 32, 4096),
    color: v.boolean(sc.color, 'screen.color'),
    itemsPerPage: v.integer(sc.itemsPerPage, 'screen.itemsPerPage', 1, 30),
    lineChars: v.integer(sc.lineChars, 'screen.lineChars', 8, 80),
  };

  return deepFreeze({
    id,
    vendor,
    model,
    family,
    userAgentPattern,
    userAgentExamples,
    modelCode,
    firmware: { version, files },
    lines,
    lineKeys,
    expansionModules: { max, keysPerModule, models },
    features,
    screen,
  });
}

/** Small strict reader: each method checks one value and throws a ProfileError naming the field. */
class Checker {
  constructor(private readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new ProfileError(this.file, field || '(root)', problem);
  }

  object(value: unknown, field: string, keys: readonly string[]): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'must be an object');
    const obj = value as Json;
    const at = (k: string) => (field ? `${field}.${k}` : k);
    for (const k of Object.keys(obj)) if (!keys.includes(k)) this.fail(at(k), 'unknown field');
    for (const k of keys) if (!(k in obj)) this.fail(at(k), 'is missing');
    return obj;
  }

  string(value: unknown, field: string, shape?: RegExp, maxLength = 100): string {
    if (typeof value !== 'string') return this.fail(field, 'must be a string');
    if (value.length === 0) this.fail(field, 'must not be empty');
    if (value.length > maxLength) this.fail(field, `must be at most ${maxLength} characters`);
    if (shape && !shape.test(value)) this.fail(field, `"${value}" does not match ${shape.source}`);
    return value;
  }

  stringArray(value: unknown, field: string, shape: RegExp, maxLength: number, min: number, max: number): string[] {
    if (!Array.isArray(value)) return this.fail(field, 'must be an array of strings');
    if (value.length < min || value.length > max) this.fail(field, `must have ${min} to ${max} entries`);
    const out = value.map((item, i) => this.string(item, `${field}[${i}]`, shape, maxLength));
    if (new Set(out).size !== out.length) this.fail(field, 'has duplicate entries');
    return out;
  }

  integer(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(field, 'must be an integer');
    if (value < min || value > max) this.fail(field, `must be between ${min} and ${max}`);
    return value;
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') return this.fail(field, 'must be true or false');
    return value;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
