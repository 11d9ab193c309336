// Hostile values written straight into the snapshot (bypassing the domain's rules) never reach FreeSWITCH data.
import { expect } from 'chai';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { demoSnapshot } from '../../helpers/demo-snapshot';
import {
  attributeValues,
  dialplanTree,
  findMe,
  listenLive,
  mailboxOptions,
  noMailbox,
  parseTree,
} from './dialplan-support';

/** Everything FreeSWITCH or XML would read specially, between markers so survivors are easy to spot. */
const HOSTILE = 'Zq${system(id)}Zq$${x}Zq1001|bridgeZqa,bZq^^:Zq\'Zq"Zq<Zq>Zq\nZq\\Zq;Zq`Zq[Zq]Zq{Zq}Zq';
const SPECIAL = /Zq[$,|^'"<>\n\\;`[\]{}]|[$,|^'"<>\n\\;`[\]{}]Zq/;
const NEVER = ['${system', '$${x', '|bridge', 'a,b', '^^:Zq', 'Zq\n'];

function poison(snap: PbxSnapshot): PbxSnapshot {
  const s = structuredClone(snap);
  const p = s.pbx;
  p.name = HOSTILE;
  p.callerIdName = HOSTILE;
  p.callerIdNumber = `2125550100${HOSTILE}`;
  p.areaCode = `2|1,2`;
  p.sevenDigitDialing = true;
  p.internationalCalling = true;
  p.pin = `12${HOSTILE}34`;
  p.timezone = `America/New_York${HOSTILE}`;
  p.context = `demo${HOSTILE}`;
  p.domain = `demo.dialtone.test${HOSTILE}`;
  for (const k of Object.keys(p.featureCodes) as Array<keyof typeof p.featureCodes>)
    if (typeof p.featureCodes[k] === 'string')
      (p.featureCodes as unknown as Record<string, string>)[k] = `*9${HOSTILE}`;
  for (const e of s.extensions) {
    e.name = HOSTILE;
    e.number = `${e.number}|bridge${HOSTILE}`;
    e.sipPassword = `Secret${HOSTILE}`;
    e.findMe.activeFrom = `08:00${HOSTILE}`;
    e.findMe.locations = [{ type: 'outside_number', number: `212555${HOSTILE}0199`, active: true }];
    e.routing.tryFirst = { kind: 'outside_number', number: `2125550111${HOSTILE}` };
  }
  s.extensions[0].routing = {
    tryFirst: { kind: 'phone' },
    ifBusy: { kind: 'custom', value: `*98${HOSTILE}` },
    ifNotAnswered: { kind: 'find_me' },
    ifOffline: { kind: 'outside_number', number: HOSTILE },
  };
  s.extensions[0].findMe.alwaysActive = false;
  for (const m of s.mailboxes) {
    m.name = HOSTILE;
    m.number = `${m.number}${HOSTILE}`;
    m.password = `12${HOSTILE}34`;
    m.email = `a${HOSTILE}@dental.test`;
    m.smsEmail = 'a@b.test,c@d.test';
    m.dialDuringAnnouncement = true;
  }
  for (const n of s.phoneNumbers) {
    n.callerIdName = HOSTILE;
    n.number = `${n.number}${HOSTILE}`;
  }
  for (const a of s.audioFiles) a.storedName = `../../${HOSTILE}.wav`;
  for (const t of s.sipTrunks) {
    t.name = HOSTILE;
    t.prefix = `9${HOSTILE}`;
  }
  for (const q of s.queues) q.number = `600${HOSTILE}`;
  s.callBlocks.push({
    ...structuredClone(s.callBlocks[0] ?? {}),
    id: 999,
    number: HOSTILE,
    direction: 'outbound',
  } as never);
  if (s.listenLive) s.listenLive.password = `43${HOSTILE}21`;
  return s;
}

describe('dialplan generator: hostile values', function () {
  this.timeout(120_000);
  let snap: PbxSnapshot;

  before(async () => {
    snap = poison(
      await demoSnapshot(async (s, id) => {
        await findMe(s, id);
        await listenLive(s, id);
        await mailboxOptions(s, id);
        await noMailbox(s, id);
      }),
    );
  });

  it('still produces well-formed documents', () => {
    const tree = dialplanTree([snap]);
    expect(tree.size).to.be.greaterThan(20);
    expect(parseTree(tree).length).to.equal(tree.size);
  });

  it('lets nothing special survive into any attribute (data, value, expression, name, …)', () => {
    const values = attributeValues(parseTree(dialplanTree([snap])));
    expect(values.length).to.be.greaterThan(500);
    const bad = values.filter((v) => SPECIAL.test(v.value) || NEVER.some((n) => v.value.includes(n)));
    expect(bad.map((b) => `${b.path} ${b.name}=${JSON.stringify(b.value)}`)).to.deep.equal([]);
  });

  it('cleans rather than drops display text, and the check would see a survivor', () => {
    const values = attributeValues(parseTree(dialplanTree([snap])));
    const names = values.filter((v) => v.value.startsWith('Zq system(id) Zq'));
    expect(names.length, 'sanitised names present').to.be.greaterThan(3);
    const planted = attributeValues(parseTree(new Map([['x.xml', '<a data="Zq|bridge"/>']])));
    expect(planted.some((v) => SPECIAL.test(v.value))).to.equal(true);
  });

  it('keeps hostile text out of comments and file names too', () => {
    for (const [path, text] of dialplanTree([snap])) {
      for (const n of ['${system', '$${x', '|bridge']) expect(text, path).not.to.include(n);
      expect(path).to.match(/^[A-Za-z0-9_./-]+$/);
    }
  });

  it('refuses a malformed email whole instead of cleaning it into another address', () => {
    const values = attributeValues(parseTree(dialplanTree([snap])));
    expect(values.filter((v) => /^vm-(notify-)?mailto$/.test(v.value))).to.deep.equal([]);
  });

  it('keeps uploaded file names inside the PBX audio directory', () => {
    const values = attributeValues(parseTree(dialplanTree([snap]))).map((v) => v.value);
    for (const v of values) expect(v).not.to.include('..');
  });
});
