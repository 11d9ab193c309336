// SkeletonRenderer: reusing one xmlbuilder2 DOM per document shape must give exactly the text of a fresh build.
import { expect } from 'chai';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { confSections, DEFAULT_OPTIONS, pbxFragments } from '../../../src/freeswitch/generator';
import { SkeletonRenderer } from '../../../src/freeswitch/generator/skeletons';
import {
  actions,
  appendElement,
  type ConfSection,
  domOf,
  type Fragment,
  renderConfFile,
  renderInclude,
} from '../../../src/freeswitch/generator/xml';
import { bigPbxSnapshots, demoSnapshot } from '../../helpers/demo-snapshot';
import { callBlocks, findMe, listenLive, mailboxOptions, noMailbox } from './dialplan-support';
import { SCENARIOS } from './flows-scenarios';

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
  for (const c of confSections(snaps, DEFAULT_OPTIONS)) {
    expect(render.configuration(c, `${c.name} -- x`), c.name).to.equal(renderConfFile(c, `${c.name} -- x`));
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

  it('writes values as xmlbuilder2 does: entity-like text, the control-character marks it cuts at, non-ASCII', () => {
    const render = new SkeletonRenderer();
    for (const v of ['&amp; &#38; &x; &', '\u00010\u0001 \uF8FF0\uF8FF', 'Zoë ’ 𝄞', '>>"<<', ''])
      expectSame(render, frag(`c ${v}`, [v, `^${v}$`, v, `x=${v}`]));
  });

  it('renders a document of many children of a few shapes (a PBX-wide list) as a fresh build', () => {
    const render = new SkeletonRenderer();
    const many: Fragment = {
      path: 'dialplan/x/13_recording.xml',
      comment: 'many',
      build: (parent) => {
        for (let i = 0; i < 600; i++) {
          const ext = parent.ele('extension', { name: `e_${i}` });
          const cond = ext.ele('condition', { field: 'destination_number', expression: `^${i}$` });
          if (i % 3 === 0) parent.com(`every third: ${i}`);
          actions(cond, i % 2 ? [{ app: 'answer' }] : [{ app: 'set', data: `x=${i}&y` }, { app: 'hangup' }]);
        }
      },
    };
    expectSame(render, many);
    expectSame(render, { ...many, build: () => {} });
    // Big at every level: a list of lists, each too big to keep whole, under a root with attributes.
    const conf: ConfSection = {
      name: 'ivr.conf',
      description: 'IVR "menus" & more',
      build: (parent) => {
        const menus = parent.ele('menus');
        for (let m = 0; m < 3; m++) {
          const menu = menus.ele('menu', { name: `m${m}`, 'greet-long': `say:<${m}>` });
          menu.com(`menu ${m}`);
          for (let i = 0; i < 400; i++)
            menu.ele('entry', { action: 'menu-exec-app', digits: String(i), param: `x ${i}` });
        }
        parent.ele('empty');
      },
    };
    expect(render.configuration(conf, 'c')).to.equal(renderConfFile(conf, 'c'));
    expect(render.configuration({ ...conf, build: () => {} }, 'c')).to.equal(
      renderConfFile({ ...conf, build: () => {} }, 'c'),
    );
  });

  it('tells an attribute from a child of the same name: <x y=…><z/></x> and <x><y z=…/></x> are two shapes', () => {
    const render = new SkeletonRenderer();
    const doc = (build: Fragment['build']): Fragment => ({ path: 'dialplan/x/1.xml', comment: 'c', build });
    expectSame(
      render,
      doc((p) => p.ele('x', { y: '1' }).ele('z')),
    );
    expectSame(
      render,
      doc((p) => p.ele('x').ele('y', { z: '1' })),
    );
    expectSame(
      render,
      doc((p) => p.ele('x', { y: '2' }).ele('z')),
    );
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

  it('renders every call-flow scenario (menus, queues, rooms, trunks, two PBXs) byte for byte as fresh builds', async () => {
    for (const sc of SCENARIOS) expect(expectTreeSame(await sc.snaps()), sc.name).to.be.greaterThan(20);
  });

  it('renders a PBX of hundreds of same-shaped users, extensions and mailboxes byte for byte', async function () {
    this.timeout(60_000);
    expect(expectTreeSame(await bigPbxSnapshots(150))).to.be.greaterThan(450);
  });
});
