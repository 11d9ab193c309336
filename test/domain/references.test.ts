// Who points at what, on hand-built snapshots: target existence, routing loops (with the cycle named), referrers.
import { expect } from 'chai';
import {
  allDestinations,
  findRoutingLoop,
  missingTargets,
  referrerLinksOf,
  referrersOf,
  referrerText,
  targetExists,
} from '../../src/domain/references';
import { ext, snapshot } from './snapshot-fixture';

const tf = (id: number, name: string, during: unknown, after: unknown = { kind: 'hangup' }) => ({
  id,
  name,
  rules: [],
  during,
  after,
});
const aa = (
  id: number,
  name: string,
  buttons: Record<string, unknown>,
  announcement: unknown = { source: 'default' },
) => ({
  id,
  name,
  buttons,
  announcement,
});
const group = (id: number, name: string, afterRing: unknown, memberIds: number[] = []) => ({
  id,
  name,
  memberIds,
  afterRing,
});

describe('references: targets', () => {
  const snap = snapshot({ extensions: [ext(1, '201')], mailboxes: [{ id: 5, number: '201' }] });
  it('an object destination must name an existing object of this snapshot', () => {
    expect(targetExists(snap, { kind: 'extension', id: 1 })).to.equal(true);
    expect(targetExists(snap, { kind: 'extension', id: 2 })).to.equal(false);
    expect(targetExists(snap, { kind: 'mailbox', id: 1 }), 'same id, other kind').to.equal(false);
    expect(targetExists(snap, { kind: 'hangup' })).to.equal(true);
  });
  it('reports each missing target under its field', () => {
    expect(
      missingTargets(snap, [
        { field: 'a', d: { kind: 'extension', id: 1 } },
        { field: 'b', d: { kind: 'queue', id: 9 } },
      ]),
    ).to.deep.equal({ b: 'queue #9 does not exist in this PBX' });
  });
});

describe('references: routing loops', () => {
  it('time frame -> attendant (timeout) -> time frame', () => {
    const snap = snapshot({
      timeFrames: [tf(1, 'Hours', { kind: 'auto_attendant', id: 2 })],
      autoAttendants: [aa(2, 'Menu', { timeout: { kind: 'time_frame', id: 1 } })],
    });
    expect(findRoutingLoop(snap, { kind: 'time_frame', id: 1 })).to.deep.equal([
      'time frame "Hours"',
      'auto attendant "Menu"',
      'time frame "Hours"',
    ]);
  });

  it('time frame "after" counts as much as "during"', () => {
    const snap = snapshot({ timeFrames: [tf(1, 'Hours', { kind: 'hangup' }, { kind: 'time_frame', id: 1 })] });
    expect(findRoutingLoop(snap, { kind: 'time_frame', id: 1 })).to.deep.equal([
      'time frame "Hours"',
      'time frame "Hours"',
    ]);
  });

  it('extension A try-first -> B try-first -> A', () => {
    const snap = snapshot({
      extensions: [
        ext(1, '201', { routing: { ...ext(1, '201').routing, tryFirst: { kind: 'extension', id: 2 } } }),
        ext(2, '202', { routing: { ...ext(2, '202').routing, tryFirst: { kind: 'extension', id: 1 } } }),
      ],
    });
    expect(findRoutingLoop(snap, { kind: 'extension', id: 1 })).to.deep.equal([
      'extension 201',
      'extension 202',
      'extension 201',
    ]);
  });

  it('group after-ring -> time frame -> group', () => {
    const snap = snapshot({
      ringGroups: [group(3, 'Sales', { kind: 'time_frame', id: 1 })],
      timeFrames: [tf(1, 'Hours', { kind: 'group', id: 3 })],
    });
    expect(findRoutingLoop(snap, { kind: 'group', id: 3 })).to.deep.equal([
      'group "Sales"',
      'time frame "Hours"',
      'group "Sales"',
    ]);
  });

  it('queue timeout and phone number routes are followed too', () => {
    const snap = snapshot({
      queues: [{ id: 4, name: 'Billing', timeout: { kind: 'phone_number', id: 6 } }],
      phoneNumbers: [{ id: 6, number: '3125550100', routeTo: { kind: 'hangup' }, ifHoliday: { kind: 'queue', id: 4 } }],
    });
    expect(findRoutingLoop(snap, { kind: 'queue', id: 4 })).to.deep.equal([
      'queue "Billing"',
      'phone number 3125550100',
      'queue "Billing"',
    ]);
  });

  it('an attendant button back to the same attendant is not a loop: the caller pressed a key', () => {
    const snap = snapshot({
      autoAttendants: [aa(2, 'Menu', { '9': { kind: 'auto_attendant', id: 2 }, timeout: { kind: 'hangup' } })],
    });
    expect(findRoutingLoop(snap, { kind: 'auto_attendant', id: 2 })).to.equal(null);
  });

  it('an extension whose phone rings first is not a loop, even if "no answer" goes round', () => {
    const snap = snapshot({
      extensions: [
        ext(1, '201', { routing: { ...ext(1, '201').routing, ifNotAnswered: { kind: 'extension', id: 2 } } }),
        ext(2, '202', { routing: { ...ext(2, '202').routing, ifNotAnswered: { kind: 'extension', id: 1 } } }),
      ],
    });
    expect(findRoutingLoop(snap, { kind: 'extension', id: 1 })).to.equal(null);
  });

  it('a long chain without a cycle is fine, and the search is bounded by the snapshot', () => {
    const frames = Array.from({ length: 200 }, (_, i) =>
      tf(i + 1, `F${i + 1}`, i + 2 <= 200 ? { kind: 'time_frame', id: i + 2 } : { kind: 'hangup' }),
    );
    expect(findRoutingLoop(snapshot({ timeFrames: frames }), { kind: 'time_frame', id: 1 })).to.equal(null);
    frames[199].during = { kind: 'time_frame', id: 1 };
    const loop = findRoutingLoop(snapshot({ timeFrames: frames }), { kind: 'time_frame', id: 1 });
    expect(loop).to.have.length(201);
  });
});

describe('references: referrers', () => {
  const snap = snapshot({
    extensions: [
      ext(1, '201', { mailboxId: 5, e911LocationId: 8, outgoingCallerIdNumberId: 6 }),
      ext(2, '202', {
        mwiMailboxes: ['201'],
        findMe: {
          locations: [{ active: true, type: 'other_extension', extensionId: 1 }],
          fallback: { kind: 'hangup' },
        },
      }),
    ],
    mailboxes: [{ id: 5, number: '201' }],
    phoneNumbers: [
      { id: 6, number: '3125550100', routeTo: { kind: 'extension', id: 1 }, ifHoliday: null, holdMusicGroupId: 9 },
    ],
    e911Locations: [{ id: 8, name: 'HQ', callbackNumberId: 6 }],
    ringGroups: [group(3, 'Sales', { kind: 'hangup' }, [1, 2])],
    queues: [{ id: 4, name: 'Billing', agentIds: [1], timeout: { kind: 'mailbox', id: 5 }, holdMusicGroupId: 9 }],
    autoAttendants: [aa(2, 'Menu', { '0': { kind: 'extension', id: 1 } }, { source: 'audio', audioId: 11 })],
    holdMusicGroups: [{ id: 9, name: 'Jazz', trackIds: [12] }],
    audioFiles: [{ id: 11 }, { id: 12 }],
    listenLive: { id: 41, listenerIds: [1], listenableIds: [] },
    devices: [
      { id: 21, mac: '0004f2000001', extensionIds: [1], lineKeys: [] },
      { id: 22, mac: '0004f2000002', extensionIds: [2], lineKeys: [{ type: 'blf', extensionId: 1 }] },
    ],
    users: [{ id: 31, username: 'alice@acme.test', extensionId: 1 }],
  });

  it('lists everything that points at an extension', () => {
    expect(referrersOf(snap, 'extension', 1)).to.deep.equal([
      'phone number 3125550100 (routeTo)',
      'auto attendant "Menu" (button 0)',
      'extension 202 (find me location 1)',
      'group "Sales" (member)',
      'queue "Billing" (agent)',
      'listen live (users who may listen)',
      'device 0004f2000001 (line)',
      'device 0004f2000002 (buddy key)',
      'user alice@acme.test',
    ]);
    expect(referrersOf(snap, 'extension', 2)).to.deep.equal(['group "Sales" (member)', 'device 0004f2000002 (line)']);
  });

  it('names each referrer as a link too (kind, id, label, field), in the same order as the text', () => {
    const links = referrerLinksOf(snap, 'extension', 1);
    expect(links.map((r) => [r.kind, r.id, r.label, r.field])).to.deep.equal([
      ['phone_number', 6, 'phone number 3125550100', 'routeTo'],
      ['auto_attendant', 2, 'auto attendant "Menu"', 'button 0'],
      ['extension', 2, 'extension 202', 'find me location 1'],
      ['group', 3, 'group "Sales"', 'member'],
      ['queue', 4, 'queue "Billing"', 'agent'],
      ['listen_live', 41, 'listen live', 'users who may listen'],
      ['device', 21, 'device 0004f2000001', 'line'],
      ['device', 22, 'device 0004f2000002', 'buddy key'],
      ['user', 31, 'user alice@acme.test', ''],
    ]);
    expect(links.map(referrerText)).to.deep.equal(referrersOf(snap, 'extension', 1));
  });

  it('mailbox: the extension using it, message waiting, routes', () => {
    expect(referrersOf(snap, 'mailbox', 5)).to.deep.equal([
      'queue "Billing" (timeout)',
      'extension 201 (voice mailbox)',
      'extension 202 (message waiting)',
    ]);
  });

  it('phone number: outgoing caller ID and E911 callback', () => {
    expect(referrersOf(snap, 'phone_number', 6)).to.deep.equal([
      'extension 201 (outgoing caller ID)',
      'E911 location "HQ" (callback number)',
    ]);
  });

  it('E911 location, hold music group, audio file', () => {
    expect(referrersOf(snap, 'e911_location', 8)).to.deep.equal(['extension 201 (E911 location)']);
    expect(referrersOf(snap, 'hold_music_group', 9)).to.deep.equal([
      'phone number 3125550100 (hold music)',
      'queue "Billing" (hold music)',
    ]);
    expect(referrersOf(snap, 'audio_file', 11)).to.deep.equal(['auto attendant "Menu" (announcement)']);
    expect(referrersOf(snap, 'audio_file', 12)).to.deep.equal(['hold music group "Jazz" (track)']);
  });

  it('nothing points at an unused object', () => {
    expect(referrersOf(snap, 'group', 3)).to.deep.equal([]);
  });

  it('allDestinations labels every stored routing choice with its owner and field', () => {
    const fields = allDestinations(snap).map((r) => `${r.owner}/${r.field}`);
    expect(fields).to.include('extension 201/tryFirst');
    expect(fields).to.include('extension 202/findMe.fallback');
    expect(fields).to.include('queue "Billing"/timeout');
  });
});
