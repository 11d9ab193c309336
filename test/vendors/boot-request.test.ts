// Path classification table: what each requested name means, and every hostile name refused before a vendor sees it.

import { expect } from 'chai';
import {
  acceptsUpload,
  type BootRequest,
  type ClassifyOptions,
  classifyBootPath,
} from '../../src/vendors/boot-request';

type Case = [path: string, expected: Partial<BootRequest> & Record<string, unknown>, options?: ClassifyOptions];

const M = '0004f2aabbcc'; // Polycom OUI
const Y = '805ec0123456'; // Yealink OUI
const T54W_ROM = 'T54W(T57W,T53W,T53,T53C,T54,T57)-96.86.0.45(20211130).rom';

const valid: Case[] = [
  ['000000000000.cfg', { vendor: 'polycom', kind: 'master', mac: null, path: '000000000000.cfg' }],
  ['/000000000000.cfg', { vendor: 'polycom', kind: 'master', mac: null, path: '000000000000.cfg' }],
  [`${M}.cfg`, { vendor: 'polycom', kind: 'master', mac: M }],
  ['0004F2AABBCC.cfg', { vendor: 'polycom', kind: 'master', mac: M }],
  [`${M}-user.cfg`, { vendor: 'polycom', kind: 'device-config', mac: M }],
  ['common.cfg', { vendor: 'polycom', kind: 'common', profileId: null }],
  ['common-polycom-vvx450.cfg', { vendor: 'polycom', kind: 'common', profileId: 'polycom-vvx450' }],
  ['bootstrap.cfg', { vendor: 'polycom', kind: 'bootstrap' }],
  [`${M}-directory.xml`, { vendor: 'polycom', kind: 'directory', mac: M }],
  ['000000000000-directory.xml', { vendor: 'polycom', kind: 'directory', mac: null }],
  [`${M}-license.cfg`, { vendor: 'polycom', kind: 'license', mac: M }],
  ['000000000000-license.cfg', { vendor: 'polycom', kind: 'license', mac: null }],
  [`${M}-phone.cfg`, { vendor: 'polycom', kind: 'override', mac: M, scope: 'phone' }],
  [`${M}-web.cfg`, { vendor: 'polycom', kind: 'override', mac: M, scope: 'web' }],
  [`${M}-boot.log`, { vendor: 'polycom', kind: 'log', mac: M, log: 'boot' }],
  [`${M}-app.log`, { vendor: 'polycom', kind: 'log', mac: M, log: 'app' }],
  [`${M}-calls.xml`, { vendor: 'polycom', kind: 'call-list', mac: M }],
  ['sip.ld', { vendor: 'polycom', kind: 'firmware', fileName: 'sip.ld' }],
  ['3111-48840-001.sip.ld', { vendor: 'polycom', kind: 'firmware', fileName: '3111-48840-001.sip.ld' }],
  ['firmware/3111-48840-001.sip.ld', { vendor: 'polycom', kind: 'firmware', fileName: '3111-48840-001.sip.ld' }],
  [
    '3111-44500-001.3111-44500-001.sip.ld',
    { vendor: 'polycom', kind: 'firmware', fileName: '3111-44500-001.3111-44500-001.sip.ld' },
  ],
  [
    'SoundPointIPLocalization/English_United_States/SoundPointIP-dictionary.xml',
    {
      vendor: 'polycom',
      kind: 'localization',
      language: 'English_United_States',
      fileName: 'SoundPointIP-dictionary.xml',
    },
  ],
  ['y000000000096.cfg', { vendor: 'yealink', kind: 'common', modelCode: '96' }],
  ['y000000000108.cfg', { vendor: 'yealink', kind: 'common', modelCode: '108' }],
  ['y000000000000.cfg', { vendor: 'yealink', kind: 'common', modelCode: '00' }],
  ['y000000000000.boot', { vendor: 'yealink', kind: 'boot', mac: null }],
  [`${Y}.boot`, { vendor: 'yealink', kind: 'boot', mac: Y }],
  [`${Y}.cfg`, { vendor: 'yealink', kind: 'device-config', mac: Y }],
  ['805EC0123456.cfg', { vendor: 'yealink', kind: 'device-config', mac: Y }],
  [`${Y}-local.cfg`, { vendor: 'yealink', kind: 'local-config', mac: Y }],
  [T54W_ROM, { vendor: 'yealink', kind: 'firmware', fileName: T54W_ROM }],
  [encodeURIComponent(T54W_ROM), { vendor: 'yealink', kind: 'firmware', fileName: T54W_ROM }],
  ['firmware/T58W-150.86.0.5.rom', { vendor: 'yealink', kind: 'firmware', fileName: 'T58W-150.86.0.5.rom' }],
  // "<mac>.cfg" means two things; an OUI no vendor lists leaves the choice to the device record...
  ['aabbccddeeff.cfg', { vendor: null, kind: 'mac-config', mac: 'aabbccddeeff' }],
  // ...while a known vendor (from the User-Agent or the device record) decides it.
  ['aabbccddeeff.cfg', { vendor: 'polycom', kind: 'master', mac: 'aabbccddeeff' }, { vendor: 'polycom' }],
  ['aabbccddeeff.cfg', { vendor: 'yealink', kind: 'device-config', mac: 'aabbccddeeff' }, { vendor: 'yealink' }],
  [`${M}.cfg`, { vendor: 'yealink', kind: 'device-config', mac: M }, { vendor: 'yealink' }],
];

const refused: [path: string, reason: string, options?: ClassifyOptions][] = [
  ['', 'empty'],
  ['/', 'empty'],
  ['../etc/passwd', 'traversal'],
  ['%2e%2e/etc/passwd', 'traversal'],
  ['%2E%2E%2Fetc%2Fpasswd', 'traversal'],
  ['firmware/../0004f2aabbcc.cfg', 'traversal'],
  ['SoundPointIPLocalization/../../x.xml', 'traversal'],
  ['firmware//sip.ld', 'traversal'],
  ['//etc/passwd', 'traversal'],
  ['.htaccess', 'traversal'],
  ['./0004f2aabbcc.cfg', 'traversal'],
  ['%252e%252e/etc/passwd', 'bad-encoding'],
  ['%zz.cfg', 'bad-encoding'],
  ['%E0%A4%A.cfg', 'bad-encoding'],
  ['0004f2aabbcc.cfg\u0000', 'bad-characters'],
  ['0004f2aabbcc%00.cfg', 'bad-characters'],
  ['..\\..\\windows\\win.ini', 'bad-characters'],
  ['C:\\boot.ini', 'bad-characters'],
  ['0004f2aabbcc.cfg?x=1', 'bad-characters'],
  [' 0004f2aabbcc.cfg', 'bad-characters'],
  ['0004f2aabbcc.cfg\r\n', 'bad-characters'],
  ['\u00e4.cfg', 'bad-characters'],
  ['%C3%A4.cfg', 'bad-characters'],
  ['$' + '{system(id)}.cfg', 'bad-characters'], // literal, not a template
  ['a'.repeat(2000), 'too-long'],
  [`${'x'.repeat(300)}.cfg`, 'too-long'],
  ['a/b/c/d/e.cfg', 'too-long'],
  ['0004f2aabbcc.cfg.bak', 'unrecognised'],
  ['0004f2aabbcc.CFG', 'unrecognised'],
  ['0004f2aabb.cfg', 'unrecognised'],
  ['0004f2aabbccdd.cfg', 'unrecognised'],
  ['dir/0004f2aabbcc.cfg', 'unrecognised'],
  ['/etc/passwd', 'unrecognised'],
  ['index.html', 'unrecognised'],
  ['y00000000096.cfg', 'unrecognised'],
  ['y000000000096.boot', 'unrecognised'],
  ['sip.ld.bak', 'unrecognised'],
  ['SoundPointIPLocalization/English/evil.sh', 'unrecognised'],
  ['firmware/0004f2aabbcc.cfg', 'unrecognised'],
  ['common-.cfg', 'unrecognised'],
  ['common-Polycom-VVX450.cfg', 'unrecognised'],
  ['common-polycom--vvx450.cfg', 'unrecognised'],
  ['firmware/common.cfg', 'unrecognised'],
  ['bootstrap.cfg', 'unrecognised', { vendor: 'yealink' }],
  ['000000000000-phone.cfg', 'not-a-device-mac'],
  ['000000000000-boot.log', 'not-a-device-mac'],
  ['ffffffffffff.cfg', 'not-a-device-mac'],
  ['FFFFFFFFFFFF-directory.xml', 'not-a-device-mac'],
  ['010203040506.cfg', 'not-a-device-mac'],
  ['000000000000.cfg', 'not-a-device-mac', { vendor: 'yealink' }],
  ['y000000000096.cfg', 'unrecognised', { vendor: 'polycom' }],
  [T54W_ROM, 'unrecognised', { vendor: 'polycom' }],
];

describe('vendors: boot path classification', () => {
  describe('valid names', () => {
    for (const [path, expected, options] of valid) {
      it(`${path}${options?.vendor ? ` (${options.vendor})` : ''}`, () => {
        expect(classifyBootPath(path, options)).to.deep.include(expected);
      });
    }
  });

  describe('refused names', () => {
    for (const [path, reason, options] of refused) {
      const label = JSON.stringify(path.length > 60 ? `${path.slice(0, 40)}...(${path.length})` : path);
      it(`${label} -> ${reason}${options?.vendor ? ` (${options.vendor})` : ''}`, () => {
        const r = classifyBootPath(path, options);
        expect(r.kind).to.equal('unknown');
        expect(r).to.deep.include({ vendor: null, reason });
      });
    }
  });

  it('always reports the sanitised path, never the raw one', () => {
    expect(classifyBootPath('/%30004f2aabbcc.cfg')).to.deep.include({ path: '0004f2aabbcc.cfg', mac: M });
    expect(classifyBootPath('../x')).to.deep.include({ path: null });
  });

  it('says which requests are uploads (PUT)', () => {
    const uploads = [
      `${M}-boot.log`,
      `${M}-app.log`,
      `${M}-phone.cfg`,
      `${M}-web.cfg`,
      `${M}-calls.xml`,
      `${M}-directory.xml`,
    ];
    for (const p of uploads) expect(acceptsUpload(classifyBootPath(p)), p).to.equal(true);
    expect(acceptsUpload(classifyBootPath(`${Y}-local.cfg`))).to.equal(true);
    const downloads = [
      '000000000000.cfg',
      `${M}-user.cfg`,
      'common-polycom-vvx450.cfg',
      'bootstrap.cfg',
      '000000000000-directory.xml',
      `${M}-license.cfg`,
      'sip.ld',
      `${Y}.cfg`,
      'y000000000096.cfg',
      T54W_ROM,
      '../x',
      'aabbccddeeff.cfg',
    ];
    for (const p of downloads) expect(acceptsUpload(classifyBootPath(p)), p).to.equal(false);
  });
});
