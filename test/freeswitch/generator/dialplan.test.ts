// Dialplan module: golden trees (demo PBX and one scenario per feature) and whole-tree checks on every tree.
import { expect } from 'chai';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { DEFAULT_OPTIONS, generate } from '../../../src/freeswitch/generator';
import { pbxContext } from '../../../src/freeswitch/generator/dialplan';
import { demoSnapshot } from '../../helpers/demo-snapshot';
import { expectGoldenTree } from '../../helpers/golden';
import {
  badMedia,
  callBlocks,
  dialplanExtensions,
  dialplanTree,
  type Extra,
  findMe,
  intercomOff,
  internationalOff,
  listenLive,
  mailboxOptions,
  mediaReferences,
  noMailbox,
  parseTree,
  sevenDigit,
  targets,
  unresolved,
} from './dialplan-support';

const GOLDEN = new URL('./golden/', import.meta.url).pathname;

const SCENARIOS: Array<[string, Extra | undefined]> = [
  ['dialplan-demo', undefined],
  ['dialplan-find-me', findMe],
  ['dialplan-listen-live', listenLive],
  ['dialplan-intercom-off', intercomOff],
  ['dialplan-international-off', internationalOff],
  ['dialplan-seven-digit', sevenDigit],
  ['dialplan-call-blocks', callBlocks],
  ['dialplan-mailbox-options', mailboxOptions],
  ['dialplan-no-mailbox', noMailbox],
];

describe('dialplan generator: golden trees and whole-tree checks', function () {
  this.timeout(120_000);
  const snaps = new Map<string, PbxSnapshot>();

  before(async () => {
    for (const [name, extra] of SCENARIOS) snaps.set(name, await demoSnapshot(extra));
  });

  for (const [name] of SCENARIOS) {
    describe(name, () => {
      const tree = () => dialplanTree([snaps.get(name)!]);

      it('matches the golden tree', () => {
        expectGoldenTree(`${GOLDEN}${name}`, tree());
      });

      it('is deterministic', () => {
        expect([...dialplanTree([structuredClone(snaps.get(name)!)])]).to.deep.equal([...tree()]);
      });

      it('parses strictly, every document', () => {
        expect(parseTree(tree()).length).to.equal(tree().size);
      });

      it('sends calls only to names an extension of the same context answers to (or a flows/ entry point)', () => {
        const docs = parseTree(tree());
        const exts = dialplanExtensions(docs);
        const all = targets(docs);
        expect(all.length).to.be.greaterThan(10);
        const problems = all.map((t) => unresolved(t, exts, [pbxContext(snaps.get(name)!)])).filter(Boolean);
        expect(problems).to.deep.equal([]);
      });

      it('plays and records only prompts, streams, the temp dir and files under the audio directory', () => {
        const ctx = pbxContext(snaps.get(name)!);
        const problems = mediaReferences(parseTree(tree()))
          .map((m) => badMedia(m.ref, ctx))
          .filter(Boolean);
        expect(problems).to.deep.equal([]);
      });

      it('names every extension once per context', () => {
        const exts = dialplanExtensions(parseTree(tree()));
        const seen = new Set<string>();
        for (const e of exts) {
          expect(seen.has(`${e.context}/${e.name}`), e.name).to.equal(false);
          seen.add(`${e.context}/${e.name}`);
        }
      });
    });
  }

  it('refuses to write one path twice (the same PBX given twice), and keeps every path in byte order', () => {
    const demo = snaps.get('dialplan-demo')!;
    expect(() => generate([demo, { ...demo }], DEFAULT_OPTIONS)).to.throw(/generator produced .+ twice/);
    const paths = [...generate([demo], DEFAULT_OPTIONS).keys()];
    expect(paths).to.deep.equal([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('two PBXs share the voicemail and directory profiles and keep their own contexts and domains', async () => {
    const other = await demoSnapshot(async (s) => {
      const { seedDemo } = await import('../../../src/services/demo');
      await seedDemo(s, 'other');
    });
    const tree = dialplanTree([snaps.get('dialplan-demo')!, other]);
    expect([...tree.keys()].filter((p) => p.startsWith('autoload_configs/'))).to.deep.equal([
      'autoload_configs/directory.conf.xml',
      'autoload_configs/voicemail.conf.xml',
    ]);
    expect(tree.has('dialplan/demo.xml')).to.equal(true);
    expect(tree.has('directory/demo.dialtone.test.xml')).to.equal(true);
  });
});
