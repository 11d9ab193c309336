// MAC helpers: accepted spellings, the canonical form, and the MACs no phone can own.

import { expect } from 'chai';
import { formatMac, isDeviceMac, macOui, normalizeMac } from '../../src/vendors/mac';

describe('vendors: MAC helpers', () => {
  const valid: [string, string][] = [
    ['80:5e:c0:12:34:56', '805ec0123456'],
    ['80:5E:C0:12:34:56', '805ec0123456'],
    ['80-5E-C0-12-34-56', '805ec0123456'],
    ['805ec0123456', '805ec0123456'],
    ['805EC0123456', '805ec0123456'],
    ['0004f2aabbcc', '0004f2aabbcc'],
    ['02:00:00:00:00:01', '020000000001'], // locally administered unicast is still a device
  ];
  for (const [input, canonical] of valid) {
    it(`accepts ${input}`, () => expect(normalizeMac(input)).to.equal(canonical));
  }

  const invalid = [
    '',
    '805ec012345',
    '805ec01234567',
    '80:5e:c0:12:34',
    '80:5e-c0:12:34:56', // mixed separators
    '80.5e.c0.12.34.56',
    '805e.c012.3456',
    ' 805ec0123456',
    '805ec0123456\n',
    'gg5ec0123456',
    '000000000000', // the zero MAC is a file name, not a device
    '00:00:00:00:00:00',
    'ffffffffffff', // broadcast
    'FF-FF-FF-FF-FF-FF',
    '01:00:5e:00:00:01', // multicast
    '33:33:00:00:00:01',
    '80:5e:XX:XX:dc:69',
  ];
  for (const input of invalid) {
    it(`refuses ${JSON.stringify(input)}`, () => expect(normalizeMac(input)).to.equal(null));
  }

  it('isDeviceMac only takes the canonical form', () => {
    expect(isDeviceMac('805ec0123456')).to.equal(true);
    expect(isDeviceMac('805EC0123456')).to.equal(false);
    expect(isDeviceMac('80:5e:c0:12:34:56')).to.equal(false);
  });

  it('formats and splits', () => {
    expect(formatMac('805ec0123456')).to.equal('80:5e:c0:12:34:56');
    expect(formatMac('805ec0123456', '-')).to.equal('80-5e-c0-12-34-56');
    expect(macOui('805ec0123456')).to.equal('805ec0');
  });
});
