// Per-snapshot memo for derived indexes (sorted extensions, mailbox owners, directory users).
//
// A PbxSnapshot is a value: once read it is never changed (generators, xml_curl and provisioning only read it, and
// LiveSnapshots hands out one object per PBX revision). Deriving the same index again per lookup made the generator
// quadratic (10,000 extensions: minutes), so derived data is computed once per snapshot object and dropped with it.
import type { PbxSnapshot } from './snapshot';

const memos = new WeakMap<PbxSnapshot, Map<string, unknown>>();

/** `derive(snap)` computed once per snapshot object and `key`; callers must treat the result as read-only. */
export function memoOn<T>(snap: PbxSnapshot, key: string, derive: (snap: PbxSnapshot) => T): T {
  let memo = memos.get(snap);
  if (!memo) {
    memo = new Map();
    memos.set(snap, memo);
  }
  if (memo.has(key)) return memo.get(key) as T;
  const value = derive(snap);
  memo.set(key, value);
  return value;
}
