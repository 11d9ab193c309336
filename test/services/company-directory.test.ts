// The phones' company directory: the same people mod_directory lists, first or last name per the PBX setting,
// letters and keypad digits, hidden mailboxes left out, sorted pages, favourites from busy-lamp keys.
import { expect } from 'chai';
import type { PbxSnapshot } from '../../src/domain/snapshot';
import {
  directoryEntry,
  favourites,
  keypadDigits,
  namePart,
  normalizeName,
  searchDirectory,
} from '../../src/services/company-directory';
import { demoSnapshot } from '../helpers/demo-snapshot';

describe('company directory search', function () {
  this.timeout(60_000);
  let demo: PbxSnapshot;
  const tweak = (f: (s: PbxSnapshot) => void): PbxSnapshot => {
    const s = structuredClone(demo);
    f(s);
    return s;
  };
  const names = (snap: PbxSnapshot, q: string) => searchDirectory(snap, q, 0, 50).entries.map((e) => e.name);

  before(async () => {
    demo = await demoSnapshot();
  });

  it('spells names on the keypad and picks the first or last word', () => {
    expect(normalizeName("Zoë O'Hara-Smith")).to.equal('zoeoharasmith');
    expect(keypadDigits('Hygienist')).to.equal('494436478');
    expect(namePart(' Mary  Ann Smith ', 'first')).to.equal('Mary');
    expect(namePart('Mary Ann Smith', 'last')).to.equal('Smith');
  });

  it('searches the last name by default, by letters or digits, and lists everyone for an empty query', () => {
    expect(names(demo, '')).to.deep.equal(['Carol Billing', 'Bob Hygienist', 'Alice Reception']);
    expect(names(demo, 'hyg')).to.deep.equal(['Bob Hygienist']);
    expect(names(demo, 'HYG')).to.deep.equal(['Bob Hygienist']);
    expect(names(demo, 'bob')).to.deep.equal([]); // a first name, while the PBX searches last names
    expect(names(demo, '494')).to.deep.equal(['Bob Hygienist']);
    expect(names(demo, '10')).to.have.members(['Carol Billing', 'Bob Hygienist', 'Alice Reception']); // 101..103
    expect(names(demo, '103')).to.deep.equal(['Carol Billing']);
  });

  it('searches first names when the PBX says so', () => {
    const byFirst = tweak((s) => (s.pbx.directoryByFirstName = true));
    expect(names(byFirst, 'bob')).to.deep.equal(['Bob Hygienist']);
    expect(names(byFirst, '262')).to.deep.equal(['Bob Hygienist']);
    expect(names(byFirst, '')).to.deep.equal(['Alice Reception', 'Bob Hygienist', 'Carol Billing']);
  });

  it('leaves out hidden mailboxes, and shows numbers only when the PBX reads them', () => {
    const hidden = tweak((s) => {
      s.mailboxes.find((m) => m.number === '102')!.hideFromDirectory = true;
    });
    expect(names(hidden, '')).to.not.include('Bob Hygienist');
    const b = hidden.extensions.find((e) => e.number === '102')!;
    expect(directoryEntry(hidden, b.id)).to.equal(null);
    expect(searchDirectory(demo, 'hyg', 0, 5).entries[0]!.showNumber).to.equal(demo.pbx.readExtensionInDirectory);
    const shown = tweak((s) => (s.pbx.readExtensionInDirectory = true));
    expect(searchDirectory(shown, 'hyg', 0, 5).entries[0]).to.deep.include({ dial: '102', showNumber: true });
  });

  it('pages in a stable order and never past the end', () => {
    expect(searchDirectory(demo, '', 1, 1)).to.deep.equal({
      total: 3,
      entries: [searchDirectory(demo, '', 0, 3).entries[1]],
    });
    expect(searchDirectory(demo, '', 5, 10).entries).to.deep.equal([]);
    expect(searchDirectory(demo, '<script>', 0, 10)).to.deep.equal({ total: 0, entries: [] });
    expect(searchDirectory(demo, '%%%', 0, 10)).to.deep.equal({ total: 0, entries: [] });
  });

  it('favourites are the busy-lamp keys, named by their label, once each', () => {
    const ids = Object.fromEntries(demo.extensions.map((e) => [e.number, e.id]));
    const favs = favourites(demo, {
      lineKeys: [
        { type: 'blf', extensionId: ids['103']!, label: 'Billing' },
        { type: 'park', slot: 701 },
        { type: 'blf', extensionId: ids['101']! },
        { type: 'blf', extensionId: ids['103']! },
        { type: 'speed_dial', number: '5551234' },
      ],
    });
    expect(favs.map((f) => [f.name, f.dial])).to.deep.equal([
      ['Billing', '103'],
      ['Alice Reception', '101'],
    ]);
  });
});
