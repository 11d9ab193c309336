// E911 addresses in USPS Publication 28 form: a table of what people type, what emergency services expect, and the
// message for what no normalising can fix.
import { expect } from 'chai';
import { addressLine, checkAddress, type PostalAddress } from '../../src/domain/e911-address';

const base = { street: '100 Main St', unit: '', city: 'Chicago', state: 'IL', zip: '60601' };

/** [what, input over `base`, expected normalised fields] */
const NORMALISED: Array<[string, Partial<typeof base>, Partial<PostalAddress>]> = [
  ['upper case, suffix abbreviated', { street: '100 main street' }, { street: '100 MAIN ST' }],
  ['Avenue → AVE, periods dropped', { street: '350 Fifth Avenue.' }, { street: '350 FIFTH AVE' }],
  ['Boulevard, Road, Drive, Lane', { street: '1 Sunset Boulevard' }, { street: '1 SUNSET BLVD' }],
  ['Road', { street: '12 Old Mill Road' }, { street: '12 OLD MILL RD' }],
  ['Parkway and its variants', { street: '9 Lake Shore Pkway' }, { street: '9 LAKE SHORE PKWY' }],
  ['common abbreviations with a period', { street: '77 Elm St.' }, { street: '77 ELM ST' }],
  ['pre-directional', { street: '233 South Wacker Drive' }, { street: '233 S WACKER DR' }],
  ['pre-directional before a one-word name', { street: '10 West Broadway' }, { street: '10 W BROADWAY' }],
  ['post-directional', { street: '1600 Main Street Northeast' }, { street: '1600 MAIN ST NE' }],
  ['a directional that is the street name stays', { street: '5 North Street' }, { street: '5 NORTH ST' }],
  ['a suffix word that is the whole name stays', { street: '8 Circle' }, { street: '8 CIRCLE' }],
  ['only the last word is a suffix', { street: '1 Avenue of the Americas' }, { street: '1 AVENUE OF THE AMERICAS' }],
  ['ordinal street', { street: '20 w 34th street' }, { street: '20 W 34TH ST' }],
  ['fraction in the building number', { street: '12 1/2 Oak Lane' }, { street: '12 1/2 OAK LN' }],
  ['hyphenated building number', { street: '37-12 Queens Blvd' }, { street: '37-12 QUEENS BLVD' }],
  [
    'suite in the street line moves to the unit',
    { street: '100 Main St, Suite 200' },
    { street: '100 MAIN ST', unit: 'STE 200' },
  ],
  ['# unit in the street line', { street: '100 Main St #5' }, { street: '100 MAIN ST', unit: '# 5' }],
  ['apartment letter in the street line', { street: '100 Main St Apt B' }, { street: '100 MAIN ST', unit: 'APT B' }],
  ['a unit designator that needs no number', { street: '100 Main St Rear' }, { street: '100 MAIN ST', unit: 'REAR' }],
  ['a designator word inside the street name stays', { street: '4 Water Front Drive' }, { street: '4 WATER FRONT DR' }],
  ['unit box: Suite → STE', { unit: 'Suite 4' }, { unit: 'STE 4' }],
  ['unit box: Floor → FL', { unit: 'floor 12' }, { unit: 'FL 12' }],
  ['unit box: a bare number gets #', { unit: '12' }, { unit: '# 12' }],
  [
    'unit box wins over a unit in the street line',
    { street: '100 Main St Ste 9', unit: 'Suite 9' },
    { street: '100 MAIN ST', unit: 'STE 9' },
  ],
  ['city upper case, punctuation dropped', { city: 'St. Louis' }, { city: 'ST LOUIS' }],
  ['accents dropped (MSAG records are plain letters)', { city: 'Cañon City' }, { city: 'CANON CITY' }],
  ['state code in lower case', { state: 'il' }, { state: 'IL' }],
  ['state by name', { state: 'Illinois' }, { state: 'IL' }],
  ['state of two words', { state: 'new york' }, { state: 'NY' }],
  ['territory', { state: 'Puerto Rico' }, { state: 'PR' }],
  ['ZIP+4 typed without the hyphen', { zip: '606011234' }, { zip: '60601-1234' }],
  ['ZIP+4 typed with a space', { zip: '60601 1234' }, { zip: '60601-1234' }],
  ['ZIP+4 kept', { zip: '60601-1234' }, { zip: '60601-1234' }],
  ['spaces around', { street: '  100   Main   St  ', city: ' Chicago ' }, { street: '100 MAIN ST', city: 'CHICAGO' }],
];

/** [what, input over `base`, field, message] */
const REFUSED: Array<[string, Partial<typeof base>, keyof PostalAddress, RegExp]> = [
  ['no building number', { street: 'Main Street' }, 'street', /must start with the building number/],
  ['only a number', { street: '100' }, 'street', /street name after the building number/],
  ['a PO box', { street: 'PO Box 123' }, 'street', /PO box is not a place/],
  ['a P.O. box with periods', { street: 'P.O. Box 9' }, 'street', /PO box/],
  ['no street', { street: '' }, 'street', /is required/],
  ['no city', { city: '' }, 'city', /is required/],
  ['a city with digits', { city: 'Chicago 60601' }, 'city', /city name/],
  ['an unknown state code', { state: 'XX' }, 'state', /"XX" is not a US state/],
  ['a state that is not one', { state: 'Bavaria' }, 'state', /two-letter state code/],
  ['ZIP of 4 digits', { zip: '6060' }, 'zip', /5 digits \(60601\) or ZIP\+4/],
  ['ZIP with letters', { zip: '6060A' }, 'zip', /ZIP code/],
  ['ZIP 00000', { zip: '00000' }, 'zip', /not a ZIP code/],
  ['no ZIP', { zip: '' }, 'zip', /is required/],
];

describe('E911 address (USPS Publication 28)', () => {
  for (const [what, input, expected] of NORMALISED)
    it(`normalises: ${what}`, () => {
      const r = checkAddress({ ...base, ...input });
      expect(r.errors).to.deep.equal({});
      expect(r.normalised).to.deep.include({
        street: '100 MAIN ST',
        unit: null,
        city: 'CHICAGO',
        state: 'IL',
        zip: '60601',
        ...expected,
      });
    });

  for (const [what, input, field, message] of REFUSED)
    it(`says what is wrong: ${what}`, () => {
      const r = checkAddress({ ...base, ...input });
      expect(r.errors[field]).to.match(message);
      expect(r.normalised).to.equal(null);
    });

  it('names every wrong field at once', () => {
    const r = checkAddress({ street: 'Main', city: '', state: 'ZZ', zip: '1' });
    expect(Object.keys(r.errors).sort()).to.deep.equal(['city', 'state', 'street', 'zip']);
  });

  it('an address already in USPS form is its own normal form', () => {
    const a = checkAddress({ street: '233 S WACKER DR', unit: 'STE 3300', city: 'CHICAGO', state: 'IL', zip: '60606' });
    expect(a.normalised).to.deep.equal({
      street: '233 S WACKER DR',
      unit: 'STE 3300',
      city: 'CHICAGO',
      state: 'IL',
      zip: '60606',
    });
    expect(addressLine(a.normalised as PostalAddress)).to.equal('233 S WACKER DR STE 3300, CHICAGO IL 60606');
  });
});
