// Builds the complete FreeSWITCH conf tree (base + generated) from the database: what `dialtone freeswitch export` writes.
import { ConflictError, ValidationError } from '../domain/errors';
import type { PbxSnapshot } from '../domain/snapshot';
import { type FreeswitchSettings, renderBaseConfig } from '../freeswitch/base-config';
import { resolveFreeswitchSettings } from '../freeswitch/base-config-settings';
import { type GenerateOptions, generate } from '../freeswitch/generator';
import { type HostFiles, missingSounds, type SoundNeeds, soundsUsed } from '../freeswitch/host-sounds';
import { type FileText, packTreePieces, textTree } from '../freeswitch/pack-tree';
import type { Services } from './index';
import { readSnapshots } from './snapshot-reader';

export interface FreeswitchTreeOptions {
  /** Only this PBX (one FreeSWITCH per tenant); default every PBX. */
  pbxContext?: string;
  /** Snapshots already read (for the same pbxContext), e.g. to deliver their audio with the tree. */
  snapshots?: PbxSnapshot[];
  /** settings.mode decides what is written: see freeswitchExport. */
  settings: FreeswitchSettings;
  generate: GenerateOptions;
}

export interface FreeswitchExport {
  /** The files to write, packed (pack-tree.ts); a packed file as its pieces. */
  tree: Map<string, FileText>;
  /** Prompts and phrase macros the PBXs' call flows play (in live mode too, where Dialtone serves the XML). */
  sounds: SoundNeeds;
}

export async function loadSnapshots(services: Services, pbxContext?: string | string[]): Promise<PbxSnapshot[]> {
  if (typeof pbxContext === 'string') await services.pbx.byContext(pbxContext); // a clear NotFoundError for a typo
  const contexts = pbxContext === undefined ? undefined : ([] as string[]).concat(pbxContext);
  return readSnapshots(services.orm.em.fork(), contexts ? { contexts } : {});
}

/** Generated files a live tree still needs: sofia reads its gateways from files when the profile starts. */
const LIVE_FILES = /^sip_profiles\/external\//;

/**
 * The tree `freeswitch export` writes. Static mode: base + every generated file, and FreeSWITCH never asks Dialtone.
 * Live mode: the base (binding mod_xml_curl to Dialtone) + the trunks' gateway files; directory users, dialplans and
 * module configurations are Dialtone's answers at the moment of each lookup, so no stale copy sits on disk.
 * Base files and generated files never overlap; if they did, the export would silently drop someone's work.
 */
export async function freeswitchExport(services: Services, opts: FreeswitchTreeOptions): Promise<FreeswitchExport> {
  const base = renderBaseConfig(opts.settings);
  // The generated tree plays stock sounds from the directory the base config names: one value for both.
  const resolved = resolveFreeswitchSettings(opts.settings);
  const snaps = opts.snapshots ?? (await loadSnapshots(services, opts.pbxContext));
  const generated = generate(snaps, { ...opts.generate, soundsDir: resolved.soundsDir });
  const full = new Map(base);
  for (const [path, text] of generated) {
    if (full.has(path)) throw new ConflictError(`generated file ${path} would overwrite a base file`);
    full.set(path, text);
  }
  const sounds = soundsUsed(full);
  if (resolved.mode === 'static') return { tree: packTreePieces(full), sounds };
  const tree = new Map(base);
  for (const [path, text] of generated) if (LIVE_FILES.test(path)) tree.set(path, text);
  return { tree: packTreePieces(tree), sounds };
}

export async function buildFreeswitchTree(
  services: Services,
  opts: FreeswitchTreeOptions,
): Promise<Map<string, string>> {
  return textTree((await freeswitchExport(services, opts)).tree);
}

/**
 * Refuses a tree whose prompts or phrase files are not on the FreeSWITCH host (`host`), listing what is missing:
 * FreeSWITCH would load it without a word and callers would hear nothing.
 */
export async function checkHostSounds(
  sounds: SoundNeeds,
  settings: FreeswitchSettings,
  host: HostFiles,
): Promise<void> {
  const { soundsDir, langDir } = resolveFreeswitchSettings(settings);
  const problems = await missingSounds(sounds, { soundsDir, langDir }, host);
  if (problems.length)
    throw new ValidationError(
      { sounds: problems.join('; ') },
      `the FreeSWITCH host lacks sounds the tree plays: ${problems.join('; ')} (set --sounds-dir / --lang-dir, install the en/us/callie sounds and music, or pass --no-sounds-check)`,
    );
}
