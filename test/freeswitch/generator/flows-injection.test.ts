// Hostile values typed into every user field reach no FreeSWITCH data, param or value attribute (and no comment).
// They are set directly in the snapshot, past the domain's validation, to prove the generator's own escaping.
import { expect } from 'chai';
import type { Destination } from '../../../src/domain/destination';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { demoSnapshot } from '../../helpers/demo-snapshot';
import { elements, parseTree } from './flows-checks';
import { attendantKeys, flowTree, holdMusic, OPTS, privacy, sequentialGroup, timeFrame } from './flows-scenarios';

/** Each hostile value with the fragments of it that must never come out. */
const HOSTILE: Array<{ value: string; fragments: string[] }> = [
  { value: '${system(id)}', fragments: ['${system'] },
  { value: '$${x}', fragments: ['$${'] },
  { value: '1001|bridge', fragments: ['|bridge'] },
  { value: 'a,b', fragments: ['a,b'] },
  { value: '^^:', fragments: ['^^'] },
  { value: `it's "q"`, fragments: ["'", '"'] },
  { value: '<x>', fragments: ['<x>', '>'] },
  { value: 'line\nbreak', fragments: ['\n'] },
];

/** The only variables the generator itself reads at run time (`${name}`); anything else was injected. */
const OWN_VARIABLES = new Set([
  'dt_hub_room',
  'dt_screen_cid',
  'dt_called_number',
  'sip_req_user',
  'cc_cause',
  'cond',
  'limit_usage',
]);

function foreignVariables(value: string): string[] {
  return [...value.matchAll(/\$\{([^}(]*)/g)].map((m) => m[1]).filter((v) => !OWN_VARIABLES.has(v));
}

/** Characters no attribute value may hold, whatever was typed (the generator's own syntax never needs them). */
const NEVER_IN_ATTRIBUTES = ['$${', "'", '"', '<', '>', '\n', '\r', '^^'];

/** Every field a user types that the call-flow generator reads, poisoned with `h`. */
function poison(base: PbxSnapshot, h: string): PbxSnapshot {
  const s = structuredClone(base);
  s.pbx.name = `Evil ${h}`;
  s.pbx.callerIdName = `CNAM ${h}`;
  s.pbx.domain = `demo.dialtone.test${h}`;
  s.pbx.timezone = `America/New_York${h}`;
  for (const e of s.extensions) {
    e.number = `${e.number}${h}`;
    e.name = `Name ${h}`;
  }
  for (const m of s.mailboxes) m.name = `Box ${h}`;
  for (const n of s.phoneNumbers) {
    n.number = `${n.number}${h}`;
    n.callerIdName = `DID ${h}`;
    n.showCallerId = false;
    n.privacyScreening = true;
  }
  for (const a of s.autoAttendants) {
    a.name = `Menu ${h}`;
    a.buttons['7'] = { kind: 'outside_number', number: `2125550123${h}` } as Destination;
    a.buttons['8'] = { kind: 'custom', value: `*98${h}` } as Destination;
  }
  for (const t of s.timeFrames) {
    t.name = `Hours ${h}`;
    for (const r of t.rules) r.to = `${r.to}${h}`;
  }
  for (const hd of s.holidays) {
    hd.name = `Day ${h}`;
    hd.date = `${hd.date}${h}`;
  }
  for (const g of s.ringGroups) g.name = `Group ${h}`;
  for (const r of s.conferenceRooms) {
    r.number = `${r.number}${h}`;
    r.password = `2468${h}`;
  }
  for (const hub of s.conferenceHubs) hub.name = `Hub ${h}`;
  for (const q of s.queues) {
    q.name = `Queue ${h}`;
    q.number = `${q.number}${h}`;
    q.strategy = `ring-all${h}` as typeof q.strategy;
  }
  for (const g of s.holdMusicGroups) g.name = `Music ${h}`;
  for (const a of s.audioFiles) {
    a.storedName = `../../etc/${a.storedName}${h}`;
    a.originalName = `Upload ${h}`;
  }
  for (const b of s.callBlocks) {
    b.number = `${b.number}${h}`;
    b.comment = `Spam ${h}`;
  }
  for (const t of s.sipTrunks) {
    t.name = `carrier${h}`;
    t.host = `sip.carrier.test${h}`;
    t.username = `acct${h}`;
    t.password = `pw${h}`;
    t.prefix = `1${h}`;
    t.register = true;
    t.transport = `udp${h}` as typeof t.transport;
  }
  return s;
}

describe('call-flow generator (flows): hostile input', function () {
  this.timeout(60_000);
  let base: PbxSnapshot;

  before(async () => {
    base = await demoSnapshot(async (svc, pbxId) => {
      for (const extra of [sequentialGroup, attendantKeys, timeFrame, privacy, holdMusic]) await extra(svc, pbxId);
    });
  });

  it('the unpoisoned tree already keeps every attribute free of quotes, brackets and line breaks', () => {
    for (const d of parseTree(flowTree([base])))
      for (const el of elements(d.root))
        for (const [name, value] of el.attributes) {
          for (const bad of NEVER_IN_ATTRIBUTES)
            expect(value.includes(bad), `${d.path} ${el.name}@${name}=${JSON.stringify(value)}`).to.equal(false);
          expect(foreignVariables(value), `${d.path} ${el.name}@${name}`).to.deep.equal([]);
        }
  });

  for (const { value, fragments } of HOSTILE)
    it(`${JSON.stringify(value)} in every typed field comes out nowhere`, () => {
      const tree = flowTree([poison(base, value)]);
      const docs = parseTree(tree);
      for (const d of docs)
        for (const el of elements(d.root))
          for (const [name, v] of el.attributes) {
            for (const bad of [...fragments, ...NEVER_IN_ATTRIBUTES])
              expect(v.includes(bad), `${d.path} ${el.name}@${name}=${JSON.stringify(v)}`).to.equal(false);
            expect(foreignVariables(v), `${d.path} ${el.name}@${name}`).to.deep.equal([]);
          }
      // Comments are not parsed out above: FreeSWITCH's preprocessor reads them too ($${…}, <X-PRE-PROCESS>).
      for (const [path, text] of tree)
        for (const bad of fragments.filter((f) => f !== '"' && f !== '>' && f !== '\n'))
          expect(text.includes(bad), `${path} contains ${JSON.stringify(bad)}`).to.equal(false);
    });

  it('refuses an audioDir FreeSWITCH would split or expand', () => {
    for (const audioDir of ['/var/lib/dial tone', '/var/${x}', 'relative/dir', '/var/../etc'])
      expect(() => flowTree([base], { ...OPTS, audioDir }), audioDir).to.throw(/audioDir/);
  });
});
