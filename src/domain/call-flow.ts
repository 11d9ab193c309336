// Where a call goes: the routing of a phone number or extension as a tree (what the Call Flow page draws), each branch
// marked active or not at one local moment in the PBX time zone. Read the way the generator compiles the same objects
// (freeswitch/generator/flows): holidays before route-to on a phone number, a time frame's rules in order (the first
// match is "during"), group members left out when their Try First sends calls elsewhere, busy / not answered / offline
// only when an extension tries its phone first. test/freeswitch/generator/call-flow-agreement.test.ts keeps the two equal.
import type { Destination } from './destination';
import type { AttendantKey, Extension, PhoneNumber } from './model';
import type { PbxSnapshot } from './snapshot';
import { describeRule, type LocalMoment, ruleCovers } from './time-rules';

export interface FlowBranch {
  /** "During hours", "Holiday", "Press 1", "If busy", … */
  label: string;
  /** true: the branch a call takes at the moment; false: not taken; null: depends on the phone, not the clock. */
  active: boolean | null;
  node: FlowNode;
}

export interface FlowNode {
  /** The destination kind, or 'phone' / 'find_me' / 'missing' for the steps that have no object of their own. */
  kind: string;
  /** "Time frame “Business hours”" */
  title: string;
  /** Details shown under the title: the rules, the members, the ring time. */
  lines: string[];
  /** The object, to link to its page. */
  ref: { kind: string; id: number } | null;
  branches: FlowBranch[];
  /** Shown higher up already: the call loops back there (the drawing stops). */
  repeat?: boolean;
}

export type FlowStart = { kind: 'phone_number'; id: number } | { kind: 'extension'; id: number };

const MAX_DEPTH = 12;
const KEY_ORDER: AttendantKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#', 'timeout', 'invalid'];

/** A phone number's holidays apply on this local date (the generator's dt_did_<id> holiday conditions). */
export function isHoliday(snap: PbxSnapshot, n: PhoneNumber, m: LocalMoment): boolean {
  // A holiday is one day or a range (first and last day included); YYYY-MM-DD strings compare as dates.
  return n.ifHoliday != null && snap.holidays.some((h) => h.date <= m.date && m.date <= (h.endDate ?? h.date));
}

/** The time frame's "during hours" branch applies at this local moment (first matching rule wins, as generated). */
export function timeFrameDuring(snap: PbxSnapshot, id: number, m: LocalMoment): boolean {
  const tf = snap.timeFrames.find((t) => t.id === id);
  return !!tf && tf.rules.some((r) => ruleCovers(r, m));
}

/** The whole tree of a phone number's or extension's routing, with the branches active at `m`. */
export function callFlow(snap: PbxSnapshot, start: FlowStart, m: LocalMoment): FlowNode {
  return walk(snap, start as Destination, m, [], 0);
}

/** The path a call takes at `m`: each node along the active branches, down to where the phone decides (or the end). */
export function routeAt(
  snap: PbxSnapshot,
  start: FlowStart,
  m: LocalMoment,
): Array<{ via: string | null; node: FlowNode }> {
  const out: Array<{ via: string | null; node: FlowNode }> = [];
  let node: FlowNode | undefined = callFlow(snap, start, m);
  let via: string | null = null;
  while (node) {
    out.push({ via, node });
    const next: FlowBranch | undefined = node.branches.find((b) => b.active === true);
    via = next?.label ?? null;
    node = next?.node;
  }
  return out;
}

const key = (d: Destination) => ('id' in d ? `${d.kind}:${d.id}` : d.kind);

function walk(snap: PbxSnapshot, d: Destination, m: LocalMoment, seen: string[], depth: number): FlowNode {
  const node = describe(snap, d);
  if ('id' in d && seen.includes(key(d)))
    return { ...node, lines: ['Back to the step above: the call loops.'], repeat: true };
  if (depth >= MAX_DEPTH) return { ...node, lines: ['…'], repeat: true };
  const path = [...seen, key(d)];
  const next = (to: Destination) => walk(snap, to, m, path, depth + 1);
  const branch = (label: string, active: boolean | null, to: Destination): FlowBranch => ({
    label,
    active,
    node: next(to),
  });
  switch (d.kind) {
    case 'phone_number': {
      const n = snap.phoneNumbers.find((x) => x.id === d.id);
      if (!n) return node;
      const branches: FlowBranch[] = [];
      const holidays = n.ifHoliday ? snap.holidays.filter((h) => h.date) : [];
      if (n.ifHoliday && holidays.length) {
        const today = isHoliday(snap, n, m);
        const names = [...holidays]
          .sort((a, b) => (a.date < b.date ? -1 : 1))
          .map((h) => `${h.name} (${h.endDate && h.endDate !== h.date ? `${h.date} to ${h.endDate}` : h.date})`);
        node.lines.push(`Holidays: ${names.join(', ')}`);
        branches.push(branch('On a holiday', today, n.ifHoliday));
        branches.push(branch(today ? 'Other days' : 'Not a holiday', !today, n.routeTo));
      } else branches.push(branch('Calls go to', true, n.routeTo));
      return { ...node, branches };
    }
    case 'time_frame': {
      const tf = snap.timeFrames.find((x) => x.id === d.id);
      if (!tf) return node;
      const during = timeFrameDuring(snap, tf.id, m);
      node.lines.push(...(tf.rules.length ? tf.rules.map(describeRule) : ['No hours set: always after hours']));
      return {
        ...node,
        branches: [branch('During hours', during, tf.during), branch('After hours', !during, tf.after)],
      };
    }
    case 'auto_attendant': {
      const a = snap.autoAttendants.find((x) => x.id === d.id);
      if (!a) return node;
      node.lines.push(`Waits ${a.timeoutSec} s for a key${a.dialExtensions ? '; callers may dial an extension' : ''}`);
      const branches = KEY_ORDER.filter((k) => a.buttons[k]).map((k) =>
        branch(
          k === 'timeout' ? 'No key pressed' : k === 'invalid' ? 'Invalid key' : `Press ${k}`,
          null,
          a.buttons[k] as Destination,
        ),
      );
      return { ...node, branches };
    }
    case 'group': {
      const g = snap.ringGroups.find((x) => x.id === d.id);
      if (!g) return node;
      const members = g.memberIds
        .map((id) => snap.extensions.find((e) => e.id === id))
        .filter((e): e is Extension => !!e);
      const rung = (e: Extension) => e.routing.tryFirst.kind === 'phone' || e.routing.tryFirst.kind === 'find_me';
      node.lines.push(
        `${g.strategy === 'sequential' ? `Rings one after another, ${g.secondsToRing} s each` : `Rings all at once for ${g.secondsToRing} s`}`,
        ...members.map(
          (e, i) => `${i + 1}. ${e.number} ${e.name}${rung(e) ? '' : ' (left out: sends its calls elsewhere)'}`,
        ),
      );
      return { ...node, branches: [branch('Nobody answers', null, g.afterRing)] };
    }
    case 'extension': {
      const e = snap.extensions.find((x) => x.id === d.id);
      if (!e) return node;
      const r = e.routing;
      if (r.tryFirst.kind === 'phone') {
        const phone: FlowNode = {
          kind: 'phone',
          title: `Rings the phone of ${e.number}`,
          lines: [`For ${e.secondsToRing} s`],
          ref: null,
          branches: [
            branch('If busy', null, r.ifBusy),
            branch('If not answered', null, r.ifNotAnswered),
            branch('If offline', null, r.ifOffline),
          ],
        };
        return { ...node, branches: [{ label: 'Try first', active: true, node: phone }] };
      }
      if (r.tryFirst.kind === 'find_me') {
        const fm: FlowNode = {
          kind: 'find_me',
          title: `Find Me of ${e.number}`,
          lines: e.findMe.locations.filter((l) => l.active).map((l, i) => `${i + 1}. ${findMeLabel(snap, e, l)}`),
          ref: null,
          branches: [branch('Nobody accepts', null, e.findMe.fallback)],
        };
        return { ...node, branches: [{ label: 'Try first', active: true, node: fm }] };
      }
      return { ...node, branches: [branch('Try first', true, r.tryFirst)] };
    }
    default:
      return node;
  }
}

function findMeLabel(snap: PbxSnapshot, e: Extension, l: Extension['findMe']['locations'][number]): string {
  if (l.type === 'my_extension') return `Extension ${e.number}`;
  if (l.type === 'other_extension')
    return `Extension ${snap.extensions.find((x) => x.id === l.extensionId)?.number ?? '?'}`;
  return `Outside number ${l.number}`;
}

/** One step's title and link, without its branches. */
function describe(snap: PbxSnapshot, d: Destination): FlowNode {
  const base = (title: string, ref: FlowNode['ref'] = null): FlowNode => ({
    kind: d.kind,
    title,
    lines: [],
    ref,
    branches: [],
  });
  const missing = (what: string): FlowNode => ({ ...base(`${what} (deleted)`), kind: 'missing' });
  switch (d.kind) {
    case 'phone_number': {
      const n = snap.phoneNumbers.find((x) => x.id === d.id);
      return n ? base(`Phone number ${n.number}`, d) : missing('Phone number');
    }
    case 'extension': {
      const e = snap.extensions.find((x) => x.id === d.id);
      return e ? base(`Extension ${e.number} ${e.name}`, d) : missing('Extension');
    }
    case 'mailbox': {
      const b = snap.mailboxes.find((x) => x.id === d.id);
      if (!b) return missing('Voice mailbox');
      const node = base(`Voice mailbox ${b.number} ${b.name}`, d);
      node.lines.push(`Plays the ${d.greeting === 'busy' ? 'busy' : 'unavailable'} greeting, then records a message`);
      return node;
    }
    case 'group': {
      const g = snap.ringGroups.find((x) => x.id === d.id);
      return g ? base(`Group “${g.name}”`, d) : missing('Group');
    }
    case 'auto_attendant': {
      const a = snap.autoAttendants.find((x) => x.id === d.id);
      return a ? base(`Auto attendant “${a.name}”`, d) : missing('Auto attendant');
    }
    case 'time_frame': {
      const t = snap.timeFrames.find((x) => x.id === d.id);
      return t ? base(`Time frame “${t.name}”`, d) : missing('Time frame');
    }
    case 'conference': {
      const c = snap.conferenceRooms.find((x) => x.id === d.id);
      return c ? base(`Conference room ${c.number}`, d) : missing('Conference room');
    }
    case 'conference_hub': {
      const h = snap.conferenceHubs.find((x) => x.id === d.id);
      return h ? base(`Conference hub “${h.name}”`, d) : missing('Conference hub');
    }
    case 'queue': {
      const q = snap.queues.find((x) => x.id === d.id);
      return q ? base(`Queue ${q.number} “${q.name}”`, d) : missing('Queue');
    }
    case 'sip_trunk': {
      const t = snap.sipTrunks.find((x) => x.id === d.id);
      return t ? base(`SIP trunk “${t.name}”`, d) : missing('SIP trunk');
    }
    case 'outside_number':
      return base(`Outside number ${d.number}`);
    case 'custom':
      return base(`Dials ${d.value}`);
    case 'company_directory':
      return base('Company directory');
    case 'check_voicemail':
      return base('Check voicemail (asks for a mailbox and PIN)');
    case 'hangup':
      return base('Hangs up');
    case 'phone':
      return base('The phone');
    case 'find_me':
      return base('Find Me');
    default:
      return base('Unknown');
  }
}
