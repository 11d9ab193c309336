// Call flows: public context per phone number, attendants (IVR), time frames, ring groups, conferences, queues,
// hold music streams and SIP trunk gateways. Placeholder until the call-flow module lands: produces nothing.
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { GenerateOptions } from '../options';
import type { ConfSection, Fragment } from '../xml';

export function flowFiles(_snap: PbxSnapshot, _opts: GenerateOptions): Fragment[] {
  return [];
}

export function flowConfSections(_snaps: PbxSnapshot[], _opts: GenerateOptions): ConfSection[] {
  return [];
}
