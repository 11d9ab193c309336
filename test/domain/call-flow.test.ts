// The call-flow tree: which steps it draws for each kind of destination, which branch is taken at a moment, and that
// loops and deleted targets end the drawing instead of running forever.
import { expect } from 'chai';
import { callFlow, type FlowNode, routeAt } from '../../src/domain/call-flow';
import type { PbxSnapshot } from '../../src/domain/snapshot';
import type { LocalMoment } from '../../src/domain/time-rules';

const MONDAY_10: LocalMoment = { date: '2026-12-07', time: '10:00', weekday: 1 };
const MONDAY_20: LocalMoment = { date: '2026-12-07', time: '20:00', weekday: 1 };
const CHRISTMAS: LocalMoment = { date: '2026-12-25', time: '10:00', weekday: 5 };

const phoneRouting = {
  tryFirst: { kind: 'phone' },
  ifBusy: { kind: 'mailbox', id: 1, greeting: 'busy' },
  ifNotAnswered: { kind: 'mailbox', id: 1 },
  ifOffline: { kind: 'outside_number', number: '3125550199' },
};

function snapshot(): PbxSnapshot {
  const ext = (id: number, number: string, name: string, routing: unknown = phoneRouting) => ({
    id,
    number,
    name,
    secondsToRing: 20,
    routing,
    findMe: { locations: [], fallback: { kind: 'check_voicemail' } },
  });
  return {
    pbx: { id: 1, timezone: 'America/Chicago' },
    extensions: [
      ext(10, '201', 'Ann'),
      ext(11, '202', 'Bob', { ...phoneRouting, tryFirst: { kind: 'mailbox', id: 1 } }),
      ext(12, '203', 'Cy'),
    ],
    mailboxes: [{ id: 1, number: '201', name: 'Ann' }],
    phoneNumbers: [
      { id: 5, number: '3125550100', routeTo: { kind: 'time_frame', id: 7 }, ifHoliday: { kind: 'hangup' } },
      { id: 6, number: '3125550101', routeTo: { kind: 'phone_number', id: 6 }, ifHoliday: null },
    ],
    timeFrames: [
      {
        id: 7,
        name: 'Office',
        rules: [{ days: [1, 2, 3, 4, 5], allDay: false, from: '09:00', to: '17:00' }],
        during: { kind: 'auto_attendant', id: 8 },
        after: { kind: 'group', id: 9 },
      },
    ],
    holidays: [{ id: 1, name: 'Christmas', date: '2026-12-25' }],
    autoAttendants: [
      {
        id: 8,
        name: 'Main',
        timeoutSec: 10,
        dialExtensions: true,
        buttons: { '0': { kind: 'group', id: 9 }, '1': { kind: 'extension', id: 10 }, timeout: { kind: 'hangup' } },
      },
    ],
    ringGroups: [
      {
        id: 9,
        name: 'Sales',
        strategy: 'sequential',
        secondsToRing: 15,
        memberIds: [12, 11, 10],
        afterRing: { kind: 'mailbox', id: 1 },
      },
    ],
    conferenceRooms: [],
    conferenceHubs: [],
    queues: [],
    sipTrunks: [],
  } as unknown as PbxSnapshot;
}

const titles = (route: Array<{ node: FlowNode }>) => route.map((s) => s.node.title);

describe('call flow', () => {
  it('takes the during-hours branch inside the hours and the after-hours one outside', () => {
    const s = snapshot();
    expect(titles(routeAt(s, { kind: 'phone_number', id: 5 }, MONDAY_10))).to.deep.equal([
      'Phone number 3125550100',
      'Time frame “Office”',
      'Auto attendant “Main”',
    ]);
    const after = routeAt(s, { kind: 'phone_number', id: 5 }, MONDAY_20);
    expect(titles(after)).to.deep.equal(['Phone number 3125550100', 'Time frame “Office”', 'Group “Sales”']);
    expect(after[2]?.via).to.equal('After hours');
  });

  it('sends a holiday to the holiday route before any time frame', () => {
    const route = routeAt(snapshot(), { kind: 'phone_number', id: 5 }, CHRISTMAS);
    expect(route[1]?.via).to.equal('On a holiday');
    expect(titles(route)).to.deep.equal(['Phone number 3125550100', 'Hangs up']);
  });

  it('draws attendant buttons in keypad order and group members in ring order, marking who is left out', () => {
    const tree = callFlow(snapshot(), { kind: 'phone_number', id: 5 }, MONDAY_10);
    const tf = tree.branches.find((b) => b.active)?.node as FlowNode;
    const attendant = tf.branches[0]?.node as FlowNode;
    expect(attendant.branches.map((b) => b.label)).to.deep.equal(['Press 1', 'Press 0', 'No key pressed']);
    expect(attendant.branches.every((b) => b.active === null)).to.equal(true);
    const group = tf.branches[1]?.node as FlowNode;
    expect(group.lines).to.deep.equal([
      'Rings one after another, 15 s each',
      '1. 203 Cy',
      '2. 202 Bob (left out: sends its calls elsewhere)',
      '3. 201 Ann',
    ]);
    expect(group.branches[0]?.label).to.equal('Nobody answers');
  });

  it('draws an extension that tries its phone first with busy, not answered and offline', () => {
    const tree = callFlow(snapshot(), { kind: 'extension', id: 10 }, MONDAY_10);
    const phone = tree.branches[0]?.node as FlowNode;
    expect(phone.title).to.equal('Rings the phone of 201');
    expect(phone.branches.map((b) => [b.label, b.node.title])).to.deep.equal([
      ['If busy', 'Voice mailbox 201 Ann'],
      ['If not answered', 'Voice mailbox 201 Ann'],
      ['If offline', 'Outside number 3125550199'],
    ]);
    expect(phone.branches[0]?.node.lines[0]).to.include('busy greeting');
  });

  it('ends a loop and a deleted target instead of following them', () => {
    const s = snapshot();
    const loop = callFlow(s, { kind: 'phone_number', id: 6 }, MONDAY_10);
    expect(loop.branches[0]?.node.repeat).to.equal(true);
    s.ringGroups = [];
    const after = routeAt(s, { kind: 'phone_number', id: 5 }, MONDAY_20);
    expect(after[2]?.node.kind).to.equal('missing');
    expect(after[2]?.node.title).to.equal('Group (deleted)');
  });
});
