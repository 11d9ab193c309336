// Reads firmware-profiles/*.json once at start-up; any broken or ambiguous profile stops start-up with a ProfileError.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FirmwareProfile } from './firmware-profile';
import { ProfileError } from './profile-error';
import { parseFirmwareProfile } from './profile-schema';

const MAX_FILE_BYTES = 64 * 1024;

/** Loads and strictly validates every `*.json` in `dir` (sorted by name). Throws ProfileError on the first problem. */
export function loadFirmwareProfiles(dir: string): FirmwareProfile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch (e) {
    throw new ProfileError(dir, '(directory)', `cannot be read (${(e as Error).message})`);
  }
  names.sort();
  if (names.length === 0) throw new ProfileError(dir, '(directory)', 'holds no *.json firmware profiles');

  const profiles = names.map((name) => {
    const file = join(dir, name);
    const profile = parseFirmwareProfile(readJson(file), file);
    if (profile.id !== name.slice(0, -'.json'.length)) {
      throw new ProfileError(file, 'id', `"${profile.id}" must equal the file name without .json`);
    }
    return profile;
  });
  checkProfileSet(profiles, (p) => join(dir, `${p.id}.json`));
  return Object.freeze(profiles) as FirmwareProfile[];
}

/**
 * Rules that span profiles: unique ids, unique vendor+model, unique Yealink model codes, and no User-Agent pattern
 * matching another profile's examples (which would make identification depend on file order).
 */
export function checkProfileSet(
  profiles: readonly FirmwareProfile[],
  fileOf: (p: FirmwareProfile) => string = (p) => `${p.id}.json`,
): void {
  const seen = new Map<string, FirmwareProfile>();
  const claim = (key: string, p: FirmwareProfile, field: string, what: string) => {
    const other = seen.get(key);
    if (other) throw new ProfileError(fileOf(p), field, `${what} is also used by ${basename(fileOf(other))}`);
    seen.set(key, p);
  };
  for (const p of profiles) {
    claim(`id:${p.id}`, p, 'id', `id "${p.id}"`);
    claim(`model:${p.vendor}:${p.model.toLowerCase()}`, p, 'model', `${p.vendor} model "${p.model}"`);
    if (p.modelCode !== null) claim(`code:${p.vendor}:${p.modelCode}`, p, 'modelCode', `model code ${p.modelCode}`);
  }
  for (const p of profiles) {
    const pattern = new RegExp(p.userAgentPattern, 'i');
    for (const other of profiles) {
      if (other === p) continue;
      const hit = other.userAgentExamples.find((ua) => pattern.test(ua));
      if (hit !== undefined) {
        throw new ProfileError(
          fileOf(p),
          'userAgentPattern',
          `also matches ${other.id}'s User-Agent "${hit}", so identification would be ambiguous`,
        );
      }
    }
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProfileError(file, '(file)', `cannot be read (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProfileError(file, '(json)', `is not valid JSON (${(e as Error).message})`);
  }
}
