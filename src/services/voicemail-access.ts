// Who may see which voice mailboxes: the operator and a PBX's administrators every mailbox of it, an employee the
// mailbox of their own extension, a phone (known by its app token) the mailboxes of its lines' extensions.
// Another tenant's PBX, or a mailbox one may not see, is "not found" exactly like a missing one.
import { ForbiddenError, NotFoundError } from '../domain/errors';
import type { Extension, Mailbox } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import { memoOn } from '../domain/snapshot-memo';
import type { Actor } from './actor';

/** A desk phone using the phone apps: what its device record says, never what the request says. */
export interface DeviceViewer {
  readonly kind: 'device';
  readonly pbxId: number;
  readonly deviceId: number;
  /** The device's line extensions, line 1 first. */
  readonly extensionIds: readonly number[];
}

export type VoicemailViewer = Actor | DeviceViewer;

/** Throws NotFoundError for another tenant, ForbiddenError for a portal user without the voicemail module. */
export function checkTenant(viewer: VoicemailViewer, pbxId: number): void {
  if (viewer.kind === 'system') return;
  if (viewer.pbxId !== pbxId) throw new NotFoundError('no such PBX');
  if (viewer.kind === 'user' && !viewer.permissions.includes('voicemail'))
    throw new ForbiddenError('no permission for voicemail');
}

/** Extensions whose own mailboxes the viewer sees, or 'all' (the operator, an administrator). */
export function viewerExtensions(viewer: VoicemailViewer, snap: PbxSnapshot): Extension[] | 'all' {
  checkTenant(viewer, snap.pbx.id);
  if (viewer.kind === 'system' || (viewer.kind === 'user' && viewer.type === 'admin')) return 'all';
  const ids = viewer.kind === 'device' ? viewer.extensionIds : viewer.extensionId === null ? [] : [viewer.extensionId];
  const byId = memoOn(snap, 'voicemail.extensionById', (x) => new Map(x.extensions.map((e) => [e.id, e])), [
    'extensions',
  ]);
  return ids.map((id) => byId.get(id)).filter((e): e is Extension => e !== undefined);
}

/**
 * The mailboxes of the viewer's own lines: a portal user's extension (an administrator's too), a phone's line
 * extensions. What "you have N new messages" counts — never the whole PBX, which for an administrator of a
 * 10,000-mailbox PBX would be 10,000 FreeSWITCH queries behind every page's menu badge.
 */
export function ownMailboxes(viewer: VoicemailViewer, snap: PbxSnapshot): Mailbox[] {
  checkTenant(viewer, snap.pbx.id);
  if (viewer.kind === 'system') return [];
  const ids = viewer.kind === 'device' ? viewer.extensionIds : viewer.extensionId === null ? [] : [viewer.extensionId];
  const extById = memoOn(snap, 'voicemail.extensionById', (x) => new Map(x.extensions.map((e) => [e.id, e])), [
    'extensions',
  ]);
  const boxById = memoOn(snap, 'voicemail.mailboxById', (x) => new Map(x.mailboxes.map((m) => [m.id, m])), [
    'mailboxes',
  ]);
  const out: Mailbox[] = [];
  for (const id of ids) {
    const e = extById.get(id);
    const m = e?.mailboxId == null ? undefined : boxById.get(e.mailboxId as number);
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/** The mailboxes the viewer may open, in a stable order (own lines first, else by number). */
export function visibleMailboxes(viewer: VoicemailViewer, snap: PbxSnapshot): Mailbox[] {
  const exts = viewerExtensions(viewer, snap);
  if (exts === 'all')
    return memoOn(
      snap,
      'voicemail.mailboxesByNumber',
      (x) => [...x.mailboxes].sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true })),
      ['mailboxes'],
    );
  const byId = memoOn(snap, 'voicemail.mailboxById', (x) => new Map(x.mailboxes.map((m) => [m.id, m])), ['mailboxes']);
  const out: Mailbox[] = [];
  for (const e of exts) {
    const m = e.mailboxId == null ? undefined : byId.get(e.mailboxId as number);
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/** The mailbox with this id if the viewer may open it, else NotFoundError (the same answer as a missing one). */
export function visibleMailbox(viewer: VoicemailViewer, snap: PbxSnapshot, mailboxId: number): Mailbox {
  const box = visibleMailboxes(viewer, snap).find((m) => m.id === mailboxId);
  if (!box) throw new NotFoundError('no such mailbox');
  return box;
}

/** Whether the viewer may have a message played to this extension's phone (its own line, or any for an admin). */
export function mayUseExtension(viewer: VoicemailViewer, snap: PbxSnapshot, extensionId: number): boolean {
  const exts = viewerExtensions(viewer, snap);
  return exts === 'all' ? snap.extensions.some((e) => e.id === extensionId) : exts.some((e) => e.id === extensionId);
}
