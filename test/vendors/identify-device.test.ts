// identifyDevice: User-Agent and path combined, including the MAC cross-check the server refuses on.

import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { identifyDevice } from '../../src/vendors/identify-device';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';

const catalog = loadProfileCatalog(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));
const T54W = 'Yealink SIP-T54W 96.86.0.100 80:5e:c0:12:34:56';

describe('vendors: identifyDevice', () => {
  it('a Yealink asking for its own file: profile, request and MAC agree', () => {
    const id = identifyDevice(T54W, '/805ec0123456.cfg', catalog);
    expect(id.profile?.id).to.equal('yealink-t54w');
    expect(id.request).to.deep.include({ vendor: 'yealink', kind: 'device-config', mac: '805ec0123456' });
    expect(id.mac).to.equal('805ec0123456');
    expect(id.macMismatch).to.equal(null);
  });

  it('reports a User-Agent MAC that differs from the path MAC', () => {
    const id = identifyDevice(T54W, '805ec0654321.cfg', catalog);
    expect(id.macMismatch).to.deep.equal({ pathMac: '805ec0654321', userAgentMac: '805ec0123456' });
    expect(id.mac).to.equal('805ec0654321');
  });

  it('compares MACs in canonical form (upper-case path, dashed UA)', () => {
    const id = identifyDevice('Yealink SIP-T46U 108.86.0.90 80-5E-C0-12-34-56', '805EC0123456.cfg', catalog);
    expect(id.macMismatch).to.equal(null);
    expect(id.profile?.id).to.equal('yealink-t46u');
  });

  it('takes the MAC from the path when the User-Agent has none', () => {
    const id = identifyDevice('Yealink SIP-T46U 108.86.0.90', '805ec0123456.cfg', catalog);
    expect(id.mac).to.equal('805ec0123456');
    expect(id.macMismatch).to.equal(null);
  });

  it('takes the MAC from the User-Agent when the path has none', () => {
    const id = identifyDevice(T54W, 'y000000000096.cfg', catalog);
    expect(id.request).to.deep.include({ kind: 'common', modelCode: '96' });
    expect(id.mac).to.equal('805ec0123456');
  });

  it('Polycom: no MAC in the User-Agent, the stage is kept, the vendor narrows the path', () => {
    const ua = 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2345 Type/Application';
    const id = identifyDevice(ua, 'aabbccddeeff.cfg', catalog);
    expect(id.userAgent).to.deep.equal({
      vendor: 'polycom',
      model: 'VVX450',
      firmwareVersion: '6.4.6.2345',
      stage: 'application',
    });
    expect(id.request).to.deep.include({ vendor: 'polycom', kind: 'master', mac: 'aabbccddeeff' });
    expect(id.profile?.id).to.equal('polycom-vvx450');
  });

  it('Polycom SIP User-Agent with a MAC suffix is cross-checked too', () => {
    const ua = 'PolycomVVX-VVX_150-UA/6.4.1.2280_482567164887';
    expect(identifyDevice(ua, '482567164887-user.cfg', catalog).macMismatch).to.equal(null);
    expect(identifyDevice(ua, '482567000001-user.cfg', catalog).macMismatch).to.deep.equal({
      pathMac: '482567000001',
      userAgentMac: '482567164887',
    });
  });

  it('the shared Polycom master file carries no MAC and cannot mismatch', () => {
    const id = identifyDevice(
      'FileTransport PolycomVVX-VVX_250-UA/6.4.3.5156 Type/Updater',
      '000000000000.cfg',
      catalog,
    );
    expect(id.mac).to.equal(null);
    expect(id.macMismatch).to.equal(null);
    expect(id.userAgent?.stage).to.equal('updater');
  });

  it('a vendor asking for the other vendor’s file gets unknown', () => {
    const id = identifyDevice('FileTransport PolycomVVX-VVX_450-UA/6.4.6.2345', 'y000000000096.cfg', catalog);
    expect(id.request).to.deep.include({ kind: 'unknown', reason: 'unrecognised' });
  });

  it('a known vendor with a model we have no profile for: parsed, but no profile', () => {
    const id = identifyDevice('Yealink SIP-T21P_E2 52.80.0.3 00:15:65:4c:4c:26', '0015654c4c26.cfg', catalog);
    expect(id.userAgent?.model).to.equal('T21P_E2');
    expect(id.profile).to.equal(null);
    expect(id.macMismatch).to.equal(null);
  });

  it('no User-Agent (TFTP): the path alone decides', () => {
    const id = identifyDevice(undefined, '0004f2aabbcc-boot.log', catalog);
    expect(id.userAgent).to.equal(null);
    expect(id.profile).to.equal(null);
    expect(id.request).to.deep.include({ vendor: 'polycom', kind: 'log', mac: '0004f2aabbcc' });
  });

  it('works without a catalog (no profile) and with hostile paths', () => {
    const id = identifyDevice(T54W, '%2e%2e/%2e%2e/etc/passwd');
    expect(id.profile).to.equal(null);
    expect(id.request).to.deep.include({ kind: 'unknown', reason: 'traversal' });
    expect(id.mac).to.equal('805ec0123456');
  });
});
