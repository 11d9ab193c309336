// Builds the complete FreeSWITCH conf tree (base + generated) from the database: what `dialtone freeswitch export` writes.
import { ConflictError } from '../domain/errors';
import type { PbxSnapshot } from '../domain/snapshot';
import { type FreeswitchSettings, renderBaseConfig } from '../freeswitch/base-config';
import { resolveFreeswitchSettings } from '../freeswitch/base-config-settings';
import { type GenerateOptions, generate } from '../freeswitch/generator';
import { packTree } from '../freeswitch/pack-tree';
import type { Services } from './index';
import { readSnapshots } from './snapshot-reader';

export interface FreeswitchTreeOptions {
  /** Only this PBX (one FreeSWITCH per tenant); default every PBX. */
  pbxContext?: string;
  /** Snapshots already read (for the same pbxContext), e.g. to deliver their audio with the tree. */
  snapshots?: PbxSnapshot[];
  settings: FreeswitchSettings;
  generate: GenerateOptions;
}

export async function loadSnapshots(services: Services, pbxContext?: string | string[]): Promise<PbxSnapshot[]> {
  if (typeof pbxContext === 'string') await services.pbx.byContext(pbxContext); // a clear NotFoundError for a typo
  const contexts = pbxContext === undefined ? undefined : ([] as string[]).concat(pbxContext);
  return readSnapshots(services.orm.em.fork(), contexts ? { contexts } : {});
}

/**
 * The tree `freeswitch export` writes: base + generated, per-object include files packed one file per kind.
 * Base files and generated files never overlap; if they did, the export would silently drop someone's work.
 */
export async function buildFreeswitchTree(
  services: Services,
  opts: FreeswitchTreeOptions,
): Promise<Map<string, string>> {
  const base = renderBaseConfig(opts.settings);
  // The generated tree plays stock sounds from the directory the base config names: one value for both.
  const soundsDir = resolveFreeswitchSettings(opts.settings).soundsDir;
  const snaps = opts.snapshots ?? (await loadSnapshots(services, opts.pbxContext));
  const generated = generate(snaps, { ...opts.generate, soundsDir });
  const out = new Map(base);
  for (const [path, text] of generated) {
    if (out.has(path)) throw new ConflictError(`generated file ${path} would overwrite a base file`);
    out.set(path, text);
  }
  return packTree(out);
}
