// Directory users and the PBX's own dialplan context (extensions, features, outbound, 911), voicemail and directory confs.
// Placeholder until the directory/dialplan module lands: produces nothing.
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { GenerateOptions } from '../options';
import type { ConfSection, Fragment } from '../xml';

export function pbxDialplanFiles(_snap: PbxSnapshot, _opts: GenerateOptions): Fragment[] {
  return [];
}

export function pbxConfSections(_snaps: PbxSnapshot[], _opts: GenerateOptions): ConfSection[] {
  return [];
}
