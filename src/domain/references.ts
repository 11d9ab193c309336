// Who points at what: destination targets must exist, automatic routing must not loop, and nothing referenced may vanish.
import { type Destination, describeDestination, type ObjectKind } from './destination';
import type { PbxSnapshot } from './snapshot';

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

/** The object that holds a reference: its kind and id (for a link) and how it is named. */
export interface Owner {
  kind: ReferrerKind;
  id: number;
  label: string;
}

export type ReferrerKind =
  | 'phone_number'
  | 'extension'
  | 'auto_attendant'
  | 'time_frame'
  | 'group'
  | 'queue'
  | 'device'
  | 'user'
  | 'listen_live'
  | 'e911_location'
  | 'mailbox'
  | 'hold_music_group'
  | 'conference';

/** One thing that points at an object: who holds the reference and in which field. */
export interface Referrer extends Owner {
  field: string;
}

/** Every destination stored in the PBX, labelled with the object and field that holds it. */
export function allDestinations(snap: PbxSnapshot): Array<{ owner: string; field: string; d: Destination; by: Owner }> {
  const out: Array<{ owner: string; field: string; d: Destination; by: Owner }> = [];
  const add = (by: Owner, field: string, d: Destination) => out.push({ owner: by.label, field, d, by });
  for (const n of snap.phoneNumbers) {
    const by: Owner = { kind: 'phone_number', id: n.id, label: `phone number ${n.number}` };
    add(by, 'routeTo', n.routeTo);
    if (n.ifHoliday) add(by, 'ifHoliday', n.ifHoliday);
  }
  for (const e of snap.extensions) {
    const by: Owner = { kind: 'extension', id: e.id, label: `extension ${e.number}` };
    for (const f of ['tryFirst', 'ifBusy', 'ifNotAnswered', 'ifOffline'] as const) add(by, f, e.routing[f]);
    add(by, 'findMe.fallback', e.findMe.fallback);
  }
  for (const a of snap.autoAttendants)
    for (const [key, d] of Object.entries(a.buttons))
      if (d) add({ kind: 'auto_attendant', id: a.id, label: `auto attendant "${a.name}"` }, `button ${key}`, d);
  for (const t of snap.timeFrames) {
    const by: Owner = { kind: 'time_frame', id: t.id, label: `time frame "${t.name}"` };
    add(by, 'during', t.during);
    add(by, 'after', t.after);
  }
  for (const g of snap.ringGroups)
    add({ kind: 'group', id: g.id, label: `group "${g.name}"` }, 'afterRing', g.afterRing);
  for (const q of snap.queues) add({ kind: 'queue', id: q.id, label: `queue "${q.name}"` }, 'timeout', q.timeout);
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

/** "extension 101 (tryFirst)": a referrer as one line of text. */
export function referrerText(r: Referrer): string {
  return r.field ? `${r.label} (${r.field})` : r.label;
}

/** Everything in the PBX that refers to the object (kind,id): destinations and structural links, as text. */
export function referrersOf(
  snap: PbxSnapshot,
  kind: ObjectKind | 'e911_location' | 'hold_music_group' | 'audio_file',
  id: number,
): string[] {
  return referrerLinksOf(snap, kind, id).map(referrerText);
}

/** Everything in the PBX that refers to the object (kind,id), with the referrer's kind and id so screens can link it. */
export function referrerLinksOf(
  snap: PbxSnapshot,
  kind: ObjectKind | 'e911_location' | 'hold_music_group' | 'audio_file',
  id: number,
): Referrer[] {
  const out: Referrer[] = [];
  const ext = (e: { id: number; number: string }, field: string) =>
    out.push({ kind: 'extension', id: e.id, label: `extension ${e.number}`, field });
  if (kind !== 'e911_location' && kind !== 'hold_music_group' && kind !== 'audio_file') {
    for (const r of allDestinations(snap))
      if ('id' in r.d && r.d.kind === kind && r.d.id === id) out.push({ ...r.by, field: r.field });
  }
  if (kind === 'extension') {
    for (const e of snap.extensions)
      e.findMe.locations.forEach((l, i) => {
        if (l.type === 'other_extension' && l.extensionId === id && e.id !== id) ext(e, `find me location ${i + 1}`);
      });
    for (const g of snap.ringGroups)
      if (g.memberIds.includes(id)) out.push({ kind: 'group', id: g.id, label: `group "${g.name}"`, field: 'member' });
    for (const q of snap.queues)
      if (q.agentIds.includes(id)) out.push({ kind: 'queue', id: q.id, label: `queue "${q.name}"`, field: 'agent' });
    const ll = snap.listenLive;
    if (ll?.listenerIds.includes(id))
      out.push({ kind: 'listen_live', id: ll.id, label: 'listen live', field: 'users who may listen' });
    if (ll?.listenableIds.includes(id))
      out.push({ kind: 'listen_live', id: ll.id, label: 'listen live', field: 'users that may be listened to' });
    for (const d of snap.devices) {
      const by = { kind: 'device' as const, id: d.id, label: `device ${d.mac}` };
      if (d.extensionIds.includes(id)) out.push({ ...by, field: 'line' });
      if (d.lineKeys.some((k) => k.type === 'blf' && k.extensionId === id)) out.push({ ...by, field: 'buddy key' });
    }
    for (const u of snap.users)
      if (u.extensionId === id) out.push({ kind: 'user', id: u.id, label: `user ${u.username}`, field: '' });
    // Message waiting lists mailbox numbers (counted for the mailbox below), not extensions, even when they match.
  }
  if (kind === 'mailbox') {
    const box = snap.mailboxes.find((m) => m.id === id);
    for (const e of snap.extensions) {
      if (e.mailboxId === id) ext(e, 'voice mailbox');
      if (box && e.mwiMailboxes.includes(box.number)) ext(e, 'message waiting');
    }
    for (const a of snap.autoAttendants)
      if (a.announcement.source === 'mailbox' && a.announcement.mailboxId === id)
        out.push({ kind: 'auto_attendant', id: a.id, label: `auto attendant "${a.name}"`, field: 'announcement' });
  }
  if (kind === 'phone_number') {
    for (const e of snap.extensions) if (e.outgoingCallerIdNumberId === id) ext(e, 'outgoing caller ID');
    for (const l of snap.e911Locations)
      if (l.callbackNumberId === id)
        out.push({ kind: 'e911_location', id: l.id, label: `E911 location "${l.name}"`, field: 'callback number' });
  }
  if (kind === 'e911_location') {
    for (const e of snap.extensions) if (e.e911LocationId === id) ext(e, 'E911 location');
  }
  if (kind === 'hold_music_group') {
    for (const n of snap.phoneNumbers)
      if (n.holdMusicGroupId === id)
        out.push({ kind: 'phone_number', id: n.id, label: `phone number ${n.number}`, field: 'hold music' });
    for (const q of snap.queues)
      if (q.holdMusicGroupId === id)
        out.push({ kind: 'queue', id: q.id, label: `queue "${q.name}"`, field: 'hold music' });
    for (const c of snap.conferenceRooms)
      if (c.holdMusicGroupId === id)
        out.push({ kind: 'conference', id: c.id, label: `conference room ${c.number}`, field: 'hold music' });
  }
  if (kind === 'audio_file') {
    for (const m of snap.mailboxes)
      if ([m.unavailableGreetingId, m.busyGreetingId, m.nameGreetingId].includes(id))
        out.push({ kind: 'mailbox', id: m.id, label: `mailbox ${m.number}`, field: 'greeting' });
    for (const a of snap.autoAttendants)
      if (a.announcement.source === 'audio' && a.announcement.audioId === id)
        out.push({ kind: 'auto_attendant', id: a.id, label: `auto attendant "${a.name}"`, field: 'announcement' });
    for (const g of snap.holdMusicGroups)
      if (g.trackIds.includes(id))
        out.push({ kind: 'hold_music_group', id: g.id, label: `hold music group "${g.name}"`, field: 'track' });
  }
  return out;
}
