// Call-flow generator: golden trees per scenario, and whole-tree invariants (parses, transfers resolve, media
// paths stay under audioDir or the sounds tree, every name one file uses is defined by another).
import { join } from 'node:path';
import { expect } from 'chai';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { generate } from '../../../src/freeswitch/generator';
import { childElements } from '../../../src/freeswitch/xml-strict';
import { expectGoldenTree } from '../../helpers/golden';
import {
  attr,
  badMedia,
  definedNames,
  elements,
  mediaReferences,
  parseTree,
  transfers,
  unresolved,
} from './flows-checks';
import { flowTree, OPTS, SCENARIOS } from './flows-scenarios';

const GOLDEN = join(import.meta.dirname, 'golden');

interface Loaded {
  snaps: PbxSnapshot[];
  tree: Map<string, string>;
}

/** A module scenario's golden holds only what differs from the demo tree, so a reviewer sees what it adds. */
function beyondDemo(tree: Map<string, string>, demo: Map<string, string>): Map<string, string> {
  return new Map([...tree].filter(([path, text]) => demo.get(path) !== text));
}

describe('call-flow generator (flows)', function () {
  this.timeout(120_000);
  const loaded = new Map<string, Loaded>();

  before(async () => {
    for (const sc of SCENARIOS) {
      const snaps = await sc.snaps();
      loaded.set(sc.name, { snaps, tree: flowTree(snaps) });
    }
  });

  describe('golden trees', () => {
    for (const sc of SCENARIOS)
      it(sc.name, () => {
        const { tree } = loaded.get(sc.name)!;
        const demo = loaded.get('flows-demo')!.tree;
        expectGoldenTree(join(GOLDEN, sc.name), sc.name === 'flows-demo' ? tree : beyondDemo(tree, demo));
      });
  });

  for (const sc of SCENARIOS)
    describe(`${sc.name}: invariants`, () => {
      it('every document parses and generate() carries every flow file unchanged', () => {
        const { snaps, tree } = loaded.get(sc.name)!;
        parseTree(tree);
        const all = generate(snaps, OPTS);
        for (const [path, text] of tree)
          if (!path.startsWith('autoload_configs/')) expect(all.get(path), path).to.equal(text);
        parseTree(all);
      });

      it('every transfer target resolves to an entry point or number that exists', () => {
        const { snaps, tree } = loaded.get(sc.name)!;
        const docs = parseTree(tree);
        const defined = definedNames(docs);
        const problems = transfers(docs)
          .map((t) => unresolved(t, defined, snaps))
          .filter((p) => p !== null);
        expect(problems).to.deep.equal([]);
      });

      it('never transfers into the public context (live lookups of public carry only the dialled DID)', () => {
        const docs = parseTree(loaded.get(sc.name)!.tree);
        expect(transfers(docs).filter((t) => t.context === 'public')).to.deep.equal([]);
      });

      it('dial-by-extension lists exactly the extensions that allow it', () => {
        const { snaps, tree } = loaded.get(sc.name)!;
        const ivr = parseTree(new Map([['ivr', tree.get('autoload_configs/ivr.conf.xml')!]]))[0];
        for (const menu of childElements(childElements(ivr.root, 'menus')[0], 'menu')) {
          const snap = snaps.find((s) => attr(menu, 'name').startsWith(`${s.pbx.context}_`))!;
          const att = snap.autoAttendants.find((a) => `${snap.pbx.context}_${a.id}` === attr(menu, 'name'))!;
          const regex = childElements(menu, 'entry').find((e) => attr(e, 'digits').startsWith('/'));
          const expected = att.dialExtensions
            ? snap.extensions.filter((e) => !e.disallowDialByExtension).map((e) => e.number)
            : [];
          const listed = regex ? /^\/\^\((.*)\)\$\/$/.exec(attr(regex, 'digits'))![1].split('|') : [];
          expect(listed.sort(), attr(menu, 'name')).to.deep.equal(expected.sort());
        }
      });

      it('plays media only from audioDir or the sounds tree', () => {
        const docs = parseTree(loaded.get(sc.name)!.tree);
        const bad = mediaReferences(docs)
          .map((m) => ({ ...m, why: badMedia(m.ref, OPTS.audioDir) }))
          .filter((m) => m.why !== null);
        expect(bad).to.deep.equal([]);
      });

      it('every menu, profile, queue, agent, stream and gateway a file uses is defined', () => {
        const { tree } = loaded.get(sc.name)!;
        const docs = parseTree(tree);
        const names = (file: string, tag: string) =>
          new Set(
            [...elements(docs.find((d) => d.path === file)!.root)]
              .filter((e) => e.name === tag)
              .map((e) => attr(e, 'name')),
          );
        const menus = names('autoload_configs/ivr.conf.xml', 'menu');
        const profiles = names('autoload_configs/conference.conf.xml', 'profile');
        const queues = names('autoload_configs/callcenter.conf.xml', 'queue');
        const agents = names('autoload_configs/callcenter.conf.xml', 'agent');
        const streams = names('autoload_configs/local_stream.conf.xml', 'directory');
        const gateways = new Set(
          docs.filter((d) => d.path.startsWith('sip_profiles/external/')).flatMap((d) => [...names(d.path, 'gateway')]),
        );
        const missing: string[] = [];
        const need = (ok: boolean, what: string) => {
          if (!ok) missing.push(what);
        };
        for (const d of docs)
          for (const el of elements(d.root)) {
            const app = attr(el, 'application');
            const data = attr(el, 'data');
            if (app === 'ivr') need(menus.has(data), `${d.path}: menu ${data}`);
            if (app === 'conference') need(profiles.has(data.split('@')[1]), `${d.path}: profile of ${data}`);
            if (app === 'callcenter') need(queues.has(data), `${d.path}: queue ${data}`);
            if (app === 'bridge')
              for (const gw of data.matchAll(/sofia\/gateway\/([^/]+)\//g))
                need(gateways.has(gw[1]), `${d.path}: ${gw[1]}`);
            for (const s of `${data} ${attr(el, 'value')}`.matchAll(/local_stream:\/\/([A-Za-z0-9_]+)/g))
              need(streams.has(s[1]), `${d.path}: stream ${s[1]}`);
            if (el.name === 'tier') {
              need(agents.has(attr(el, 'agent')), `tier agent ${attr(el, 'agent')}`);
              need(queues.has(attr(el, 'queue')), `tier queue ${attr(el, 'queue')}`);
            }
          }
        expect(missing).to.deep.equal([]);
      });

      it('evaluates every time condition in the PBX time zone (inline timezone first, no server-clock attributes)', () => {
        const { snaps, tree } = loaded.get(sc.name)!;
        const TIME = ['wday', 'time-of-day', 'year', 'mon', 'mday', 'yday', 'hour', 'minute', 'minute-of-day'];
        for (const d of parseTree(tree)) {
          const ctx = /^dialplan\/([^/]+)\//.exec(d.path)?.[1];
          for (const ext of [...elements(d.root)].filter((e) => e.name === 'extension')) {
            const conds = childElements(ext, 'condition');
            for (const c of conds)
              for (const a of ['date-time', 'tz-offset', 'dst', 'tz'])
                expect(c.attributes.has(a), `${d.path} uses ${a}`).to.equal(false);
            if (!conds.some((c) => TIME.some((a) => c.attributes.has(a)))) continue;
            const tz = snaps.find((s) => s.pbx.context === ctx)!.pbx.timezone;
            const first = childElements(conds[0], 'action')[0];
            expect(attr(first, 'application'), d.path).to.equal('set');
            expect(attr(first, 'data'), d.path).to.equal(`timezone=${tz}`);
            expect(attr(first, 'inline'), d.path).to.equal('true');
          }
        }
      });

      it('is deterministic, whatever order the snapshot lists come in', () => {
        const { snaps, tree } = loaded.get(sc.name)!;
        const shuffled = snaps.map((s) => {
          const copy: Record<string, unknown> = { ...s };
          for (const [k, v] of Object.entries(s)) if (Array.isArray(v)) copy[k] = [...v].reverse();
          return copy as unknown as PbxSnapshot;
        });
        expect(flowTree([...shuffled].reverse())).to.deep.equal(tree);
      });
    });
});
