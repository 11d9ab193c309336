// Directory users and the PBX's own dialplan context (extensions, features, mailboxes, outbound, 911),
// plus the shared voicemail.conf and directory.conf. File prefixes in dialplan/<context>/: this module uses
// 00-49 and 80-99; flows/ uses 50-79 (call flows sit after extensions and before call blocks and outbound routes).
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { GenerateOptions } from '../options';
import type { Build, ConfSection, Fragment, XMLBuilder } from '../xml';
import { contextFragment, hashTransferFile, setupFile } from './context';
import { directoryFiles } from './directory';
import { buildExtensions, type ContextFile } from './dsl';
import { extensionFiles } from './extensions';
import { featureFiles } from './features';
import { directoryConf } from './mod-directory';
import { callBlocksFile, emergencyFile, outboundFile } from './outbound';
import { type Scope, scopeOf } from './scope';
import { voicemailConf, voicemailFiles } from './voicemail';

export { intercomAlertInfo, intercomCallInfo } from '../../../domain/intercom-headers';
export { agentName } from './agents';
export { directoryDomainBuild, directoryUserBuild, e911Callback, outboundCallerId } from './directory';

import { pbxContext } from './identity';

export {
  type DirectoryUser,
  dialableExtensionNumbers,
  dialableFromAttendant,
  directoryUsers,
  findDirectoryUser,
  pbxContext,
  pbxDomain,
  voicemailAccount,
  voicemailId,
} from './identity';
export { gatewayName } from './outbound';
export { recordEntry, recordedFile } from './recording';

/** Every file of the PBX context, in hunting order. */
export function contextFiles(s: Scope): ContextFile[] {
  const files: Array<ContextFile | null> = [
    emergencyFile(s),
    setupFile(s),
    hashTransferFile(s),
    ...featureFiles(s),
    ...extensionFiles(s),
    ...voicemailFiles(s),
    callBlocksFile(s),
    outboundFile(s),
  ];
  return files
    .filter((f): f is ContextFile => f !== null)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export function pbxDialplanFiles(snap: PbxSnapshot, opts: GenerateOptions): Fragment[] {
  const s = scopeOf(snap, opts);
  return [
    ...directoryFiles(snap, opts),
    contextFragment(s),
    ...contextFiles(s).map((f) => new ContextFragment(s.ctx, f)),
  ];
}

/** A context file as an include file: path, comment and entries made when it is rendered (no closure per file). */
class ContextFragment implements Fragment {
  constructor(
    private readonly ctx: string,
    private readonly f: ContextFile,
  ) {}
  get path(): string {
    return `dialplan/${this.ctx}/${this.f.file}.xml`;
  }
  get comment(): string {
    return this.f.comment;
  }
  build(parent: XMLBuilder): void {
    buildExtensions(parent, this.f.extensions);
  }
}

export function pbxConfSections(snaps: PbxSnapshot[], _opts: GenerateOptions): ConfSection[] {
  return [voicemailConf(snaps), directoryConf(snaps)];
}

/**
 * The PBX context for a live (mod_xml_curl) dialplan answer: `<context name>` with every fragment of
 * dialplan/<context>/ inline, in file-name order (what the static tree's X-PRE-PROCESS include produces).
 * Pass all of the PBX's fragments (both modules', e.g. pbxFragments() of the generator core).
 */
export function contextBuild(snap: PbxSnapshot, fragments: Fragment[]): Build {
  const ctx = pbxContext(snap);
  const prefix = `dialplan/${ctx}/`;
  // Each path once (fragments make theirs on demand), then sorted: the dialplan module's files and the call flows'
  // interleave by number (20_did_ between 19_ and 20_ext_, 90_outbound after every flow).
  const mine = fragments
    .map((f) => [f.path, f] as const)
    .filter(([path]) => path.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, f]) => f);
  return (parent) => {
    const context = parent.ele('context', { name: ctx });
    for (const f of mine) f.build(context);
  };
}
