// What every dialplan builder of one PBX needs: the snapshot, host options and the sanitised context and domain.
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { GenerateOptions } from '../options';
import { pbxContext, pbxDomain } from './identity';

export interface Scope {
  snap: PbxSnapshot;
  opts: GenerateOptions;
  ctx: string;
  domain: string;
}

export function scopeOf(snap: PbxSnapshot, opts: GenerateOptions): Scope {
  return { snap, opts, ctx: pbxContext(snap), domain: pbxDomain(snap) };
}
