// Per-snapshot memo for derived indexes (sorted extensions, mailbox owners, directory users).
//
// A PbxSnapshot is a value: once read it is never changed (generators, xml_curl and provisioning only read it, and
// LiveSnapshots hands out one object per PBX revision). Deriving the same index again per lookup made the generator
// quadratic (10,000 extensions: minutes), so derived data is computed once per snapshot object and dropped with it.
//
// After a change, the next snapshot is the old one with the changed lists replaced (services/snapshot-reader.ts,
// readChangesSince): an index that declares which snapshot keys it reads is handed over to it when none of them
// changed (inheritMemos), instead of being rebuilt by the first lookup after every change (10,000 directory users:
// ~20 ms on the event loop). Declared keys are checked against recomputation in test/domain/snapshot-memo.test.ts.
import type { PbxSnapshot } from './snapshot';

type SnapshotKey = keyof PbxSnapshot;

interface Memo {
  value: unknown;
  /** The snapshot keys the value is derived from, when declared: it may then outlive its snapshot. */
  reads: readonly SnapshotKey[] | null;
}

const memos = new WeakMap<PbxSnapshot, Map<string, Memo>>();

/**
 * `derive(snap)` computed once per snapshot object and `key`; callers must treat the result as read-only. With
 * `reads`, every snapshot key the derivation reads (directly or through other memos): the value then carries over to
 * the next snapshot when those are unchanged.
 */
export function memoOn<T>(
  snap: PbxSnapshot,
  key: string,
  derive: (snap: PbxSnapshot) => T,
  reads: readonly SnapshotKey[] | null = null,
): T {
  let memo = memos.get(snap);
  if (!memo) {
    memo = new Map();
    memos.set(snap, memo);
  }
  const hit = memo.get(key);
  if (hit) return hit.value as T;
  const value = derive(snap);
  memo.set(key, { value, reads });
  return value;
}

/** The PBX row's settings differ (its revision aside: it moves with every change). */
export function pbxSettingsChanged(a: PbxSnapshot['pbx'], b: PbxSnapshot['pbx']): boolean {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof typeof a>) {
    if (k === 'revision') continue;
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x instanceof Date && y instanceof Date && x.getTime() === y.getTime()) continue;
    if (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y)) continue;
    return true;
  }
  return false;
}

/**
 * Hands the declared indexes of `from` over to `to` (a later snapshot of the same PBX) when none of the keys they read
 * changed. Lists are compared by identity (readChangesSince keeps an unchanged list's array), the PBX row by content.
 */
export function inheritMemos(from: PbxSnapshot, to: PbxSnapshot): void {
  const old = memos.get(from);
  if (!old || from.pbx.id !== to.pbx.id) return;
  const changed = new Set<SnapshotKey>();
  for (const k of Object.keys(to) as SnapshotKey[]) {
    if (k === 'pbx' ? pbxSettingsChanged(from.pbx, to.pbx) : from[k] !== to[k]) changed.add(k);
  }
  let next = memos.get(to);
  for (const [key, m] of old) {
    if (!m.reads || m.reads.some((k) => changed.has(k))) continue;
    if (!next) {
      next = new Map();
      memos.set(to, next);
    }
    if (!next.has(key)) next.set(key, m);
  }
}
