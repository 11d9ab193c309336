// packTree: fewer files, same configuration — what FreeSWITCH's `<dir>/*.xml` include expands to must not change.
import { expect } from 'chai';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { packTree, packTreePieces, textTree } from '../../src/freeswitch/pack-tree';
import { parseXmlStrict } from '../../src/freeswitch/xml-strict';
import { bigPbxSnapshots, demoSnapshot } from '../helpers/demo-snapshot';

/** What FreeSWITCH's preprocessor pastes for `<X-PRE-PROCESS cmd="include" data="<dir>/*.xml"/>`: bodies in byte order. */
function expandGlob(tree: Map<string, string>, dir: string): string {
  return [...tree.keys()]
    .filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/') && p.endsWith('.xml'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((p) => {
      const lines = tree.get(p)!.split('\n');
      return lines.filter((l) => l !== '<include>' && l !== '</include>').join('\n');
    })
    .join('');
}

function globbedDirs(tree: Map<string, string>): Set<string> {
  return new Set(
    [...tree.keys()]
      .filter((p) => /^(dialplan|directory|sip_profiles)\/[^/]+\/[^/]+\.xml$/.test(p))
      .map((p) => p.slice(0, p.lastIndexOf('/'))),
  );
}

function expectSameConfiguration(unpacked: Map<string, string>, packed: Map<string, string>): void {
  const dirs = globbedDirs(unpacked);
  expect(globbedDirs(packed)).to.deep.equal(dirs);
  for (const dir of dirs) expect(expandGlob(packed, dir), dir).to.equal(expandGlob(unpacked, dir));
  for (const [path, text] of unpacked)
    if (!/^(dialplan|directory|sip_profiles)\/[^/]+\//.test(path)) expect(packed.get(path), path).to.equal(text);
  for (const [path, text] of packed) expect(() => parseXmlStrict(text), path).to.not.throw();
}

describe('packTree', () => {
  it('packs the demo PBX without changing what FreeSWITCH reads', async () => {
    const unpacked = generate([await demoSnapshot()], DEFAULT_OPTIONS);
    const packed = packTree(unpacked);
    expect(packed.size).to.be.lessThan(unpacked.size);
    expectSameConfiguration(unpacked, packed);
  });

  it('keeps byte order across ids of different lengths (vm_1, vm_10, vm_2) and first-match user order', async () => {
    const unpacked = generate(await bigPbxSnapshots(120), DEFAULT_OPTIONS);
    const packed = packTree(unpacked);
    expect(unpacked.size).to.be.greaterThan(400);
    expect(packed.size).to.be.lessThan(40);
    expect([...packed.keys()]).to.include.members([
      'dialplan/big/14_mailbox_all.xml',
      'directory/big.bench.test/all.xml',
    ]);
    expectSameConfiguration(unpacked, packed);
  });

  it('gives a packed file as its pieces (wrapper lines and bodies), the same text once joined', async () => {
    const unpacked = generate(await bigPbxSnapshots(30), DEFAULT_OPTIONS);
    const pieces = packTreePieces(unpacked);
    expect(textTree(pieces)).to.deep.equal(packTree(unpacked));
    const mailboxes = pieces.get('dialplan/big/14_mailbox_all.xml')!;
    expect(mailboxes).to.be.an('array').with.length(32); // <include>, 30 bodies, </include>
    expect(mailboxes[0]).to.equal('<include>\n');
    expect(pieces.get('autoload_configs/voicemail.conf.xml')).to.be.a('string');
  });

  it('leaves files alone that are not plain include documents or have no run to join', () => {
    const tree = new Map([
      ['dialplan/x/10_a_1.xml', '<include>\n  <extension name="a1"/>\n</include>\n'],
      ['dialplan/x/10_a_2.xml', '<something/>\n'],
      ['dialplan/x/20_b_1.xml', '<include>\n  <extension name="b1"/>\n</include>\n'],
      ['vars.xml', '<include/>\n'],
    ]);
    expect(packTree(tree)).to.deep.equal(tree);
  });

  it('refuses a packing that would reorder the includes', () => {
    const body = (n: string) => `<include>\n  <extension name="${n}"/>\n</include>\n`;
    // The run 10_a_1, 10_a_2 would become 10_a_all.xml, which sorts after 10_a_ab.xml: FreeSWITCH would read them
    // in another order, so the packer must refuse rather than write it.
    const tree = new Map([
      ['dialplan/x/10_a_1.xml', body('1')],
      ['dialplan/x/10_a_2.xml', body('2')],
      ['dialplan/x/10_a_ab.xml', body('ab')],
    ]);
    expect(() => packTree(tree)).to.throw(/include order/);
  });
});
