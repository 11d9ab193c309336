// The profile loader: every shipped profile loads, and each kind of broken profile stops start-up naming file and field.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { FirmwareProfile } from '../../src/vendors/firmware-profile';
import { loadFirmwareProfiles } from '../../src/vendors/load-profiles';
import { isProfileFirmware, loadProfileCatalog, ProfileCatalog } from '../../src/vendors/profile-catalog';
import { ProfileError } from '../../src/vendors/profile-error';

const SHIPPED = fileURLToPath(new URL('../../firmware-profiles', import.meta.url));
const base = (id: string) => JSON.parse(readFileSync(join(SHIPPED, `${id}.json`), 'utf8')) as Record<string, any>;

describe('vendors: firmware profile loader', () => {
  describe('shipped profiles', () => {
    const profiles = loadFirmwareProfiles(SHIPPED);
    const catalog = new ProfileCatalog(profiles);

    it('loads every required model', () => {
      const models = profiles.map((p) => `${p.vendor} ${p.model}`);
      for (const m of ['150', '250', '350', '450', '501', '601']) expect(models).to.include(`polycom VVX ${m}`);
      for (const m of ['T31G', 'T33G', 'T43U', 'T46U', 'T48U', 'T53W', 'T54W', 'T57W', 'T58W']) {
        expect(models).to.include(`yealink ${m}`);
      }
    });

    it('returns frozen data', () => {
      const p = profiles[0] as FirmwareProfile;
      expect(Object.isFrozen(profiles)).to.equal(true);
      expect(() => {
        (p.features as { blf: boolean }).blf = !p.features.blf;
      }).to.throw(TypeError);
      expect(() => p.firmware.files.push('x')).to.throw(TypeError);
    });

    it('has the verified Yealink model codes', () => {
      const codes = Object.fromEntries(catalog.byVendor('yealink').map((p) => [p.model, p.modelCode]));
      expect(codes).to.deep.equal({
        T31G: '123',
        T33G: '124',
        T43U: '107',
        T46U: '108',
        T48U: '109',
        T53W: '95',
        T54W: '96',
        T57W: '97',
        T58W: '150',
      });
      expect(catalog.byModelCode('96')?.id).to.equal('yealink-t54w');
      expect(catalog.byModelCode('000000000108')?.id).to.equal('yealink-t46u');
      expect(catalog.byModelCode('42')).to.equal(undefined);
      expect(catalog.byModelCode('9x')).to.equal(undefined);
    });

    it('has the Polycom split-firmware part numbers', () => {
      const parts = Object.fromEntries(catalog.byVendor('polycom').map((p) => [p.model, p.firmware.files[0]]));
      expect(parts).to.deep.equal({
        'VVX 150': '3111-48810-001.sip.ld',
        'VVX 250': '3111-48820-001.sip.ld',
        'VVX 350': '3111-48830-001.sip.ld',
        'VVX 450': '3111-48840-001.sip.ld',
        'VVX 501': '3111-48500-001.sip.ld',
        'VVX 601': '3111-48600-001.sip.ld',
      });
    });

    it('finds the models that share one firmware file', () => {
      const rom = catalog.byId('yealink-t46u')!.firmware.files[0];
      expect(catalog.byFirmwareFile(rom).map((p) => p.model)).to.deep.equal(['T43U', 'T46U', 'T48U']);
      expect(catalog.byFirmwareFile('nope.rom')).to.deep.equal([]);
    });

    it('compares reported firmware with the profile version', () => {
      const vvx = catalog.byId('polycom-vvx450')!;
      expect(isProfileFirmware(vvx, '6.4.6.2152')).to.equal(true);
      expect(isProfileFirmware(vvx, '6.4.6')).to.equal(true);
      expect(isProfileFirmware(vvx, '6.4.3.5059')).to.equal(false);
      expect(isProfileFirmware(vvx, '6.4')).to.equal(false);
      const t54w = catalog.byId('yealink-t54w')!;
      expect(isProfileFirmware(t54w, '96.86.0.45')).to.equal(true);
      expect(isProfileFirmware(t54w, '96.86.0.100')).to.equal(false);
      expect(isProfileFirmware(t54w, '96.86.0.45x')).to.equal(false);
    });

    it('message waiting for other mailboxes: Polycom yes (a registration that never registers), Yealink no', () => {
      for (const p of catalog.all) expect(p.features.extraMailboxMwi, p.id).to.equal(p.vendor === 'polycom');
    });

    it('the README documents every field and every profile', () => {
      const readme = readFileSync(join(SHIPPED, 'README.md'), 'utf8');
      const fields = [
        'id',
        'vendor',
        'model',
        'family',
        'userAgentPattern',
        'userAgentExamples',
        'modelCode',
        'firmware.version',
        'firmware.files',
        'lines',
        'lineKeys',
        'expansionModules.max',
        'expansionModules.keysPerModule',
        'expansionModules.models',
        'features.blf',
        'features.intercomAutoAnswer',
        'features.xmlBrowser',
        'features.idleBrowser',
        'features.pushedStatus',
        'features.extraMailboxMwi',
      ];
      for (const f of fields) expect(readme, f).to.include(`\`${f}\``);
      for (const p of profiles) expect(readme, p.id).to.include(p.id);
    });

    it('loadProfileCatalog is the one-step start-up form', () => {
      expect(loadProfileCatalog(SHIPPED).all.length).to.equal(profiles.length);
    });
  });

  describe('broken profiles', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'dialtone-profiles-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, value: unknown) =>
      writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));

    function expectProfileError(file: string, field: string, text?: string): void {
      let error: unknown;
      try {
        loadFirmwareProfiles(dir);
      } catch (e) {
        error = e;
      }
      expect(error, 'an error').to.be.instanceOf(ProfileError);
      const pe = error as ProfileError;
      expect(pe.file.endsWith(file), pe.message).to.equal(true);
      expect(pe.field, pe.message).to.equal(field);
      expect(pe.message).to.include(file).and.include(field);
      if (text) expect(pe.message).to.include(text);
    }

    // One broken variant of a good profile per case: [what, mutate, field, message fragment].
    const cases: [string, (p: Record<string, any>) => unknown, string, string][] = [
      ['unknown root field', (p) => ({ ...p, colour: 'red' }), 'colour', 'unknown field'],
      [
        'unknown nested field',
        (p) => ({ ...p, features: { ...p.features, video: true } }),
        'features.video',
        'unknown field',
      ],
      ['missing field', ({ lines, ...rest }) => rest, 'lines', 'is missing'],
      [
        'missing nested field',
        (p) => ({ ...p, firmware: { files: p.firmware.files } }),
        'firmware.version',
        'is missing',
      ],
      ['root not an object', () => [1, 2], '(root)', 'must be an object'],
      ['string for a number', (p) => ({ ...p, lines: '16' }), 'lines', 'must be an integer'],
      ['fraction', (p) => ({ ...p, lineKeys: 2.5 }), 'lineKeys', 'must be an integer'],
      ['out of range', (p) => ({ ...p, lines: 0 }), 'lines', 'between 1 and 64'],
      [
        'string for a boolean',
        (p) => ({ ...p, features: { ...p.features, blf: 'yes' } }),
        'features.blf',
        'true or false',
      ],
      ['unknown vendor', (p) => ({ ...p, vendor: 'cisco' }), 'vendor', 'must be one of'],
      ['bad id', (p) => ({ ...p, id: 'Yealink T54W' }), 'id', 'does not match'],
      ['empty model', (p) => ({ ...p, model: '' }), 'model', 'must not be empty'],
      ['bad family', (p) => ({ ...p, family: '../t5x' }), 'family', 'does not match'],
      [
        'invalid regex',
        (p) => ({ ...p, userAgentPattern: 'SIP-T54W(' }),
        'userAgentPattern',
        'not a valid regular expression',
      ],
      ['regex matching everything', (p) => ({ ...p, userAgentPattern: '.*' }), 'userAgentPattern', 'empty User-Agent'],
      [
        'example not matched',
        (p) => ({ ...p, userAgentExamples: ['Yealink SIP-T57W 96.86.0.45'] }),
        'userAgentExamples[0]',
        'not matched',
      ],
      ['no examples', (p) => ({ ...p, userAgentExamples: [] }), 'userAgentExamples', '1 to 10'],
      ['model code missing for Yealink', (p) => ({ ...p, modelCode: null }), 'modelCode', 'must be a string'],
      ['model code not digits', (p) => ({ ...p, modelCode: '9a' }), 'modelCode', 'does not match'],
      [
        'bad version',
        (p) => ({ ...p, firmware: { ...p.firmware, version: 'latest' } }),
        'firmware.version',
        'does not match',
      ],
      ['no firmware files', (p) => ({ ...p, firmware: { ...p.firmware, files: [] } }), 'firmware.files', '1 to 8'],
      [
        'traversal in a firmware file',
        (p) => ({ ...p, firmware: { ...p.firmware, files: ['../../etc/96.86.0.45.rom'] } }),
        'firmware.files[0]',
        'does not match',
      ],
      [
        'wrong firmware extension',
        (p) => ({ ...p, firmware: { ...p.firmware, files: ['T54W-96.86.0.45.sip.ld'] } }),
        'firmware.files[0]',
        'must end with',
      ],
      [
        'firmware file for another version',
        (p) => ({ ...p, firmware: { ...p.firmware, files: ['T54W-96.86.0.30.rom'] } }),
        'firmware.files[0]',
        'does not contain firmware.version',
      ],
      [
        'expansion modules half set',
        (p) => ({ ...p, expansionModules: { max: 3, keysPerModule: 0, models: ['EXP50'] } }),
        'expansionModules',
        'all zero/empty or all set',
      ],
      ['id not the file name', (p) => ({ ...p, id: 'yealink-t54' }), 'id', 'must equal the file name'],
    ];
    for (const [what, mutate, field, text] of cases) {
      it(`${what} -> ${field}`, () => {
        write('yealink-t54w.json', mutate(base('yealink-t54w')));
        expectProfileError('yealink-t54w.json', field, text);
      });
    }

    it('a Polycom profile with a model code', () => {
      write('polycom-vvx450.json', { ...base('polycom-vvx450'), modelCode: '45' });
      expectProfileError('polycom-vvx450.json', 'modelCode', 'must be null');
    });

    it('invalid JSON', () => {
      write('yealink-t54w.json', '{ "id": "yealink-t54w", ');
      expectProfileError('yealink-t54w.json', '(json)', 'not valid JSON');
    });

    it('an oversized file', () => {
      write('yealink-t54w.json', ' '.repeat(70 * 1024));
      expectProfileError('yealink-t54w.json', '(file)', 'larger than');
    });

    it('two profiles with one Yealink model code', () => {
      write('yealink-t54w.json', base('yealink-t54w'));
      write('yealink-t57w.json', { ...base('yealink-t57w'), modelCode: '96' });
      expectProfileError('yealink-t57w.json', 'modelCode', 'also used by yealink-t54w.json');
    });

    it('two profiles for one vendor model', () => {
      write('yealink-t54w.json', base('yealink-t54w'));
      write('yealink-t54w-copy.json', { ...base('yealink-t54w'), id: 'yealink-t54w-copy', modelCode: '99' });
      expectProfileError('yealink-t54w.json', 'model', 'also used by yealink-t54w-copy.json');
    });

    it('a User-Agent pattern that also matches another profile', () => {
      write('yealink-t53w.json', { ...base('yealink-t53w'), userAgentPattern: '^Yealink\\s+SIP-T5' });
      write('yealink-t54w.json', base('yealink-t54w'));
      expectProfileError('yealink-t53w.json', 'userAgentPattern', "yealink-t54w's User-Agent");
    });

    it('an empty directory', () => {
      writeFileSync(join(dir, 'README.md'), '# not a profile');
      expectProfileError(dir, '(directory)', 'no *.json');
    });

    it('a missing directory', () => {
      const missing = join(dir, 'nope');
      expect(() => loadFirmwareProfiles(missing))
        .to.throw(ProfileError)
        .with.property('field', '(directory)');
    });

    it('the catalog refuses an inconsistent set built in code', () => {
      mkdirSync(join(dir, 'a'));
      write('a/yealink-t54w.json', base('yealink-t54w'));
      const [one] = loadFirmwareProfiles(join(dir, 'a'));
      expect(() => new ProfileCatalog([one, one])).to.throw(ProfileError, /also used by/);
    });
  });
});
