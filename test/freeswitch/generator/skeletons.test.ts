// SkeletonRenderer: reusing one xmlbuilder2 DOM per document shape must give exactly the text of a fresh build.
import { expect } from 'chai';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { DEFAULT_OPTIONS, pbxFragments } from '../../../src/freeswitch/generator';
import { SkeletonRenderer } from '../../../src/freeswitch/generator/skeletons';
import { actions, appendElement, domOf, type Fragment, renderInclude } from '../../../src/freeswitch/generator/xml';
import { bigPbxSnapshots, demoSnapshot } from '../../helpers/demo-snapshot';
import { callBlocks, findMe, listenLive, mailboxOptions, noMailbox } from './dialplan-support';

function frag(comment: string, values: string[], extra = false): Fragment {
  return {
    path: 'dialplan/x/1.xml',
    comment,
    build: (parent) => {
      const ext = parent.ele('extension', { name: values[0], continue: undefined });
      const cond = appendElement(domOf(ext), 'condition', { field: 'destination_number', expression: values[1] });
      cond.setAttribute('expression', values[2]); // a second set keeps the attribute's place
      actions(cond, [{ app: 'set', data: values[3] }, { app: 'answer' }]);
      if (extra) parent.com('trailing');
    },
  };
}

function expectSame(render: SkeletonRenderer, f: Fragment): void {
  expect(render.include(f)).to.equal(renderInclude(f));
}

function expectTreeSame(snaps: PbxSnapshot[]): number {
  const render = new SkeletonRenderer();
  let n = 0;
  for (const snap of snaps)
    for (const f of pbxFragments(snap, DEFAULT_OPTIONS)) {
      expect(render.include(f), f.path).to.equal(renderInclude(f));
      n++;
    }
  return n;
}

describe('SkeletonRenderer', () => {
  it('gives a fresh build’s text for documents of one shape with different values, escapes included', () => {
    const render = new SkeletonRenderer();
    expectSame(render, frag('first', ['a', '^1$', '^2$', 'x=1']));
    expectSame(render, frag('second -- one', ['b&c', '^<3>$', '"quoted"', "it's ${x} & <y>"]));
    expectSame(render, frag('first', ['a', '^1$', '^2$', 'x=1']));
    expectSame(render, frag('empty', ['', '', '', '']));
  });

  it('tells shapes apart: an extra comment or element is a new skeleton, not a refill', () => {
    const render = new SkeletonRenderer();
    expectSame(render, frag('c', ['a', 'b', 'c', 'd']));
    expectSame(render, frag('c', ['a', 'b', 'c', 'd'], true));
    expectSame(render, frag('c', ['e', 'f', 'g', 'h']));
    expectSame(render, frag('c', ['e', 'f', 'g', 'h'], true));
  });

  it('renders the demo PBX and the dialplan scenarios byte for byte as fresh builds', async () => {
    for (const extra of [undefined, findMe, listenLive, callBlocks, mailboxOptions, noMailbox])
      expect(expectTreeSame([await demoSnapshot(extra)])).to.be.greaterThan(20);
  });

  it('renders a PBX of hundreds of same-shaped users, extensions and mailboxes byte for byte', async function () {
    this.timeout(60_000);
    expect(expectTreeSame(await bigPbxSnapshots(150))).to.be.greaterThan(450);
  });
});
