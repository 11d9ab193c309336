// One contract every Vendor implementation passes, run for each vendor against the shipped profiles.

import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { classifyBootPath, VENDORS } from '../../src/vendors/boot-request';
import { loadFirmwareProfiles } from '../../src/vendors/load-profiles';
import { polycomDeviceConfigFileName } from '../../src/vendors/polycom';
import type { SafePath } from '../../src/vendors/safe-path';
import { yealinkCommonFileName, yealinkModelCode } from '../../src/vendors/yealink';

const profiles = loadFirmwareProfiles(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));

describe('vendors: Vendor contract', () => {
  it('every profile vendor has an implementation, and names are unique', () => {
    const names = VENDORS.map((v) => v.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const p of profiles) expect(names).to.include(p.vendor);
  });

  for (const vendor of VENDORS) {
    describe(vendor.name, () => {
      const own = profiles.filter((p) => p.vendor === vendor.name);
      const others = profiles.filter((p) => p.vendor !== vendor.name);

      it('lists OUIs as 6 lowercase hex digits, none shared with another vendor', () => {
        for (const oui of vendor.ouis) expect(oui).to.match(/^[0-9a-f]{6}$/);
        for (const other of VENDORS.filter((v) => v !== vendor)) {
          expect(vendor.ouis.filter((o) => other.ouis.includes(o))).to.deep.equal([]);
        }
      });

      it('parses its own profiles’ User-Agents as its own, and nobody else’s', () => {
        for (const p of own)
          for (const ua of p.userAgentExamples) expect(vendor.parseUserAgent(ua)?.vendor, ua).to.equal(vendor.name);
        for (const p of others)
          for (const ua of p.userAgentExamples) expect(vendor.parseUserAgent(ua), ua).to.equal(null);
      });

      it('recognises every firmware file its profiles list, and no other vendor’s', () => {
        for (const p of own) {
          for (const f of p.firmware.files) {
            expect(vendor.classifyFile(f as SafePath), f).to.deep.include({ kind: 'firmware', fileName: f });
            expect(classifyBootPath(`firmware/${f}`), f).to.deep.include({ vendor: vendor.name, kind: 'firmware' });
          }
        }
        for (const p of others)
          for (const f of p.firmware.files) expect(vendor.classifyFile(f as SafePath), f).to.equal(null);
      });

      it('returns only its own vendor and the path it was given', () => {
        for (const name of ['000000000000.cfg', 'y000000000096.cfg', '805ec0123456.cfg', 'sip.ld', 'a.rom']) {
          const r = vendor.classifyFile(name as SafePath);
          if (r) expect(r).to.deep.include({ vendor: vendor.name, path: name });
        }
      });
    });
  }

  it('Yealink: every model code round-trips through its common file name', () => {
    for (const p of profiles.filter((x) => x.modelCode !== null)) {
      const name = yealinkCommonFileName(p.modelCode!);
      expect(name).to.match(/^y\d{12}\.cfg$/);
      expect(classifyBootPath(name)).to.deep.include({ vendor: 'yealink', kind: 'common', modelCode: p.modelCode });
    }
    expect(yealinkCommonFileName('96')).to.equal('y000000000096.cfg');
    expect(yealinkModelCode('000000000005')).to.equal('05');
  });

  it('Polycom: the per-phone config name our master file lists classifies as that phone’s config', () => {
    expect(classifyBootPath(polycomDeviceConfigFileName('0004f2aabbcc'))).to.deep.include({
      vendor: 'polycom',
      kind: 'device-config',
      mac: '0004f2aabbcc',
    });
  });
});
