// Who points at what: destination targets must exist, automatic routing must not loop, and nothing referenced may vanish.
import { type Destination, describeDestination, type ObjectKind } from './destination';
import type { PbxSnapshot, SnapshotList } from './snapshot';

/** The snapshot list holding each destination target kind. */
const TARGET_LISTS: Record<ObjectKind, keyof PbxSnapshot> = {
  extension: 'extensions',
  sip_trunk: 'sipTrunks',
  phone_number: 'phoneNumbers',
  mailbox: 'mailboxes',
  group: 'ringGroups',
  auto_attendant: 'autoAttendants',
  time_frame: 'timeFrames',
  conference: 'conferenceRooms',
  conference_hub: 'conferenceHubs',
  queue: 'queues',
};

export function targetExists(snap: PbxSnapshot, d: Destination): boolean {
  if (!('id' in d)) return true;
  const list = snap[TARGET_LISTS[d.kind]] as Array<{ id: number }>;
  return list.some((o) => o.id === d.id);
}

/** Where a referrer lives: its snapshot list (or the PBX's one listen-live row) and id, so callers can link to it. */
export type ReferrerList = SnapshotList | 'listenLive';

/** Every destination stored in the PBX, labelled with the object and field that holds it. */
export function allDestinations(
  snap: PbxSnapshot,
): Array<{ owner: string; list: ReferrerList; id: number; field: string; d: Destination }> {
  const out: Array<{ owner: string; list: ReferrerList; id: number; field: string; d: Destination }> = [];
  for (const n of snap.phoneNumbers) {
    const owner = { owner: `phone number ${n.number}`, list: 'phoneNumbers' as const, id: n.id };
    out.push({ ...owner, field: 'routeTo', d: n.routeTo });
    if (n.ifHoliday) out.push({ ...owner, field: 'ifHoliday', d: n.ifHoliday });
  }
  for (const e of snap.extensions) {
    const owner = { owner: `extension ${e.number}`, list: 'extensions' as const, id: e.id };
    for (const f of ['tryFirst', 'ifBusy', 'ifNotAnswered', 'ifOffline'] as const)
      out.push({ ...owner, field: f, d: e.routing[f] });
    out.push({ ...owner, field: 'findMe.fallback', d: e.findMe.fallback });
  }
  for (const a of snap.autoAttendants)
    for (const [key, d] of Object.entries(a.buttons))
      if (d)
        out.push({ owner: `auto attendant "${a.name}"`, list: 'autoAttendants', id: a.id, field: `button ${key}`, d });
  for (const t of snap.timeFrames) {
    const owner = { owner: `time frame "${t.name}"`, list: 'timeFrames' as const, id: t.id };
    out.push({ ...owner, field: 'during', d: t.during });
    out.push({ ...owner, field: 'after', d: t.after });
  }
  for (const g of snap.ringGroups)
    out.push({ owner: `group "${g.name}"`, list: 'ringGroups', id: g.id, field: 'afterRing', d: g.afterRing });
  for (const q of snap.queues)
    out.push({ owner: `queue "${q.name}"`, list: 'queues', id: q.id, field: 'timeout', d: q.timeout });
  return out;
}

/** Destinations that point at something missing from the PBX, as field -> message. */
export function missingTargets(
  snap: PbxSnapshot,
  dests: Array<{ field: string; d: Destination }>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field, d } of dests) {
    if (!targetExists(snap, d)) errors[field] = `${describeDestination(d)} does not exist in this PBX`;
  }
  return errors;
}

type Node = `${ObjectKind}:${number}`;

/**
 * Edges a call follows with no caller input: time frame during/after, attendant timeout, group after-ring,
 * queue timeout, phone number routing. Attendant buttons are not edges: a key press breaks the cycle
 * ("press 9 to hear these options again" is fine).
 */
function automaticEdges(snap: PbxSnapshot, node: Node): Destination[] {
  const [kind, idText] = node.split(':') as [ObjectKind, string];
  const id = Number(idText);
  switch (kind) {
    case 'time_frame': {
      const t = snap.timeFrames.find((x) => x.id === id);
      return t ? [t.during, t.after] : [];
    }
    case 'auto_attendant': {
      const a = snap.autoAttendants.find((x) => x.id === id);
      return a?.buttons.timeout ? [a.buttons.timeout] : [];
    }
    case 'group': {
      const g = snap.ringGroups.find((x) => x.id === id);
      return g ? [g.afterRing] : [];
    }
    case 'queue': {
      const q = snap.queues.find((x) => x.id === id);
      return q ? [q.timeout] : [];
    }
    case 'phone_number': {
      const n = snap.phoneNumbers.find((x) => x.id === id);
      return n ? [n.routeTo, ...(n.ifHoliday ? [n.ifHoliday] : [])] : [];
    }
    case 'extension': {
      // "Try first" other than the phone forwards at once, so extension A -> B -> A never rings anything.
      const e = snap.extensions.find((x) => x.id === id);
      return e ? [e.routing.tryFirst] : [];
    }
    default:
      return [];
  }
}

function label(snap: PbxSnapshot, node: Node): string {
  const [kind, idText] = node.split(':') as [ObjectKind, string];
  const id = Number(idText);
  const named = (list: Array<{ id: number; name: string }>) => list.find((x) => x.id === id)?.name ?? `#${id}`;
  switch (kind) {
    case 'time_frame':
      return `time frame "${named(snap.timeFrames)}"`;
    case 'auto_attendant':
      return `auto attendant "${named(snap.autoAttendants)}"`;
    case 'group':
      return `group "${named(snap.ringGroups)}"`;
    case 'queue':
      return `queue "${named(snap.queues)}"`;
    case 'phone_number':
      return `phone number ${snap.phoneNumbers.find((x) => x.id === id)?.number ?? `#${id}`}`;
    case 'extension':
      return `extension ${snap.extensions.find((x) => x.id === id)?.number ?? `#${id}`}`;
    default:
      return `${kind} #${id}`;
  }
}

/** Returns the cycle (as labels, first repeated last) reachable from `start`, or null. */
export function findRoutingLoop(snap: PbxSnapshot, start: { kind: ObjectKind; id: number }): string[] | null {
  const startNode: Node = `${start.kind}:${start.id}`;
  const path: Node[] = [];
  const onPath = new Set<Node>();
  const done = new Set<Node>();
  const visit = (node: Node): Node[] | null => {
    if (onPath.has(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return null;
    onPath.add(node);
    path.push(node);
    for (const d of automaticEdges(snap, node)) {
      if (!('id' in d)) continue;
      const found = visit(`${d.kind}:${d.id}`);
      if (found) return found;
    }
    path.pop();
    onPath.delete(node);
    done.add(node);
    return null;
  };
  const cycle = visit(startNode);
  return cycle ? cycle.map((n) => label(snap, n)) : null;
}

/** One object that refers to another: where it lives, how people call it, and which of its fields points. */
export interface Referrer {
  list: ReferrerList;
  id: number;
  label: string;
  /** The pointing field in words ("member", "routeTo"); empty when the whole object is the link (a user's login). */
  field: string;
}

/** Everything in the PBX that refers to the object (kind,id), as text: "group \"Sales\" (member)". */
export function referrersOf(
  snap: PbxSnapshot,
  kind: ObjectKind | 'e911_location' | 'hold_music_group' | 'audio_file',
  id: number,
): string[] {
  return referringObjects(snap, kind, id).map(describeReferrer);
}

export function describeReferrer(r: Referrer): string {
  return r.field ? `${r.label} (${r.field})` : r.label;
}

/** Everything in the PBX that refers to the object (kind,id): destinations and structural links. */
export function referringObjects(
  snap: PbxSnapshot,
  kind: ObjectKind | 'e911_location' | 'hold_music_group' | 'audio_file',
  id: number,
): Referrer[] {
  const out: Referrer[] = [];
  const ref = (list: ReferrerList, refId: number, label: string, field: string) =>
    out.push({ list, id: refId, label, field });
  if (kind !== 'e911_location' && kind !== 'hold_music_group' && kind !== 'audio_file') {
    for (const r of allDestinations(snap))
      if ('id' in r.d && r.d.kind === kind && r.d.id === id) ref(r.list, r.id, r.owner, r.field);
  }
  if (kind === 'extension') {
    for (const e of snap.extensions)
      e.findMe.locations.forEach((l, i) => {
        if (l.type === 'other_extension' && l.extensionId === id && e.id !== id)
          ref('extensions', e.id, `extension ${e.number}`, `find me location ${i + 1}`);
      });
    for (const g of snap.ringGroups)
      if (g.memberIds.includes(id)) ref('ringGroups', g.id, `group "${g.name}"`, 'member');
    for (const q of snap.queues) if (q.agentIds.includes(id)) ref('queues', q.id, `queue "${q.name}"`, 'agent');
    const ll = snap.listenLive;
    if (ll?.listenerIds.includes(id)) ref('listenLive', ll.id, 'listen live', 'users who may listen');
    if (ll?.listenableIds.includes(id)) ref('listenLive', ll.id, 'listen live', 'users that may be listened to');
    for (const d of snap.devices) {
      if (d.extensionIds.includes(id)) ref('devices', d.id, `device ${d.mac}`, 'line');
      if (d.lineKeys.some((k) => k.type === 'blf' && k.extensionId === id))
        ref('devices', d.id, `device ${d.mac}`, 'buddy key');
    }
    for (const u of snap.users) if (u.extensionId === id) ref('users', u.id, `user ${u.username}`, '');
    // Message waiting lists mailbox numbers (counted for the mailbox below), not extensions, even when they match.
  }
  if (kind === 'mailbox') {
    const box = snap.mailboxes.find((m) => m.id === id);
    for (const e of snap.extensions) {
      if (e.mailboxId === id) ref('extensions', e.id, `extension ${e.number}`, 'voice mailbox');
      if (box && e.mwiMailboxes.includes(box.number))
        ref('extensions', e.id, `extension ${e.number}`, 'message waiting');
    }
    for (const a of snap.autoAttendants)
      if (a.announcement.source === 'mailbox' && a.announcement.mailboxId === id)
        ref('autoAttendants', a.id, `auto attendant "${a.name}"`, 'announcement');
  }
  if (kind === 'phone_number') {
    for (const e of snap.extensions)
      if (e.outgoingCallerIdNumberId === id) ref('extensions', e.id, `extension ${e.number}`, 'outgoing caller ID');
    for (const l of snap.e911Locations)
      if (l.callbackNumberId === id) ref('e911Locations', l.id, `E911 location "${l.name}"`, 'callback number');
  }
  if (kind === 'e911_location') {
    for (const e of snap.extensions)
      if (e.e911LocationId === id) ref('extensions', e.id, `extension ${e.number}`, 'E911 location');
  }
  if (kind === 'hold_music_group') {
    for (const n of snap.phoneNumbers)
      if (n.holdMusicGroupId === id) ref('phoneNumbers', n.id, `phone number ${n.number}`, 'hold music');
    for (const q of snap.queues) if (q.holdMusicGroupId === id) ref('queues', q.id, `queue "${q.name}"`, 'hold music');
  }
  if (kind === 'audio_file') {
    for (const m of snap.mailboxes)
      if ([m.unavailableGreetingId, m.busyGreetingId, m.nameGreetingId].includes(id))
        ref('mailboxes', m.id, `mailbox ${m.number}`, 'greeting');
    for (const a of snap.autoAttendants)
      if (a.announcement.source === 'audio' && a.announcement.audioId === id)
        ref('autoAttendants', a.id, `auto attendant "${a.name}"`, 'announcement');
    for (const g of snap.holdMusicGroups)
      if (g.trackIds.includes(id)) ref('holdMusicGroups', g.id, `hold music group "${g.name}"`, 'track');
  }
  return out;
}
