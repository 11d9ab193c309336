// Table test: every captured User-Agent in test/fixtures/user-agents.json parses as recorded and finds its profile.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { identifyDevice, parseUserAgent } from '../../src/vendors/identify-device';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';

interface Recognised {
  userAgent: string;
  expected: {
    vendor: string;
    model: string;
    firmwareVersion: string;
    mac: string | null;
    stage: string | null;
    profileId: string | null;
  };
  source: string;
  provenance: 'captured' | 'noted-in-code' | 'test-data' | 'synthesised';
}
interface Fixture {
  recognised: Recognised[];
  notRecognised: { userAgent: string; source: string }[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/user-agents.json', import.meta.url), 'utf8')) as Fixture;
const catalog = loadProfileCatalog(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));

describe('vendors: User-Agent fixtures', () => {
  it('has at least two samples per vendor and a source for each', () => {
    for (const vendor of ['polycom', 'yealink']) {
      expect(fixture.recognised.filter((f) => f.expected.vendor === vendor).length).to.be.at.least(2);
    }
    for (const f of fixture.recognised) expect(f.source, f.userAgent).to.be.a('string').and.not.empty;
  });

  describe('parses each recognised User-Agent', () => {
    for (const f of fixture.recognised) {
      it(`${f.userAgent} (${f.provenance})`, () => {
        const parsed = parseUserAgent(f.userAgent);
        expect(parsed, 'parsed').to.not.equal(null);
        expect({
          vendor: parsed!.vendor,
          model: parsed!.model,
          firmwareVersion: parsed!.firmwareVersion,
          mac: parsed!.mac ?? null,
          stage: parsed!.stage ?? null,
        }).to.deep.equal({
          vendor: f.expected.vendor,
          model: f.expected.model,
          firmwareVersion: f.expected.firmwareVersion,
          mac: f.expected.mac,
          stage: f.expected.stage,
        });
        expect(catalog.identify(f.userAgent)?.id ?? null, 'profile').to.equal(f.expected.profileId);
      });
    }
  });

  describe('refuses what is not a phone we know', () => {
    for (const f of fixture.notRecognised) {
      it(JSON.stringify(f.userAgent), () => {
        expect(parseUserAgent(f.userAgent)).to.equal(null);
        // The catalog's patterns only name a model; the vendor parser decides whether the whole header is sane.
        expect(identifyDevice(f.userAgent, '805ec0123456.cfg', catalog).profile).to.equal(null);
      });
    }
    it('an over-long User-Agent, even with a valid start', () => {
      const ua = `Yealink SIP-T54W 96.86.0.100 ${'a'.repeat(600)}`;
      expect(parseUserAgent(ua)).to.equal(null);
      expect(catalog.identify(ua)).to.equal(undefined);
    });
  });

  describe('each profile pattern matches its own samples and no other profile', () => {
    for (const profile of catalog.all) {
      it(profile.id, () => {
        const own = fixture.recognised.filter((f) => f.expected.profileId === profile.id);
        expect(own, 'fixtures for this profile').to.not.be.empty;
        const pattern = new RegExp(profile.userAgentPattern, 'i');
        for (const f of fixture.recognised) {
          expect(pattern.test(f.userAgent), f.userAgent).to.equal(f.expected.profileId === profile.id);
        }
        // The examples inside the profile are documented here, with their source.
        for (const example of profile.userAgentExamples) {
          expect(
            own.map((f) => f.userAgent),
            `example "${example}" is in the fixture`,
          ).to.include(example);
        }
      });
    }
  });
});
