// Hostile input: user text comes out as harmless single-line text; unsafe secrets, URLs and identifiers are refused.

import { expect } from 'chai';
import type { PhoneConfig } from '../../src/provisioning/phone-config';
import { PhoneConfigError } from '../../src/provisioning/render/index';
import { polycomParams, renderer, richConfig, t54w, vvx450, xmlRoot, yealinkParams } from './render-fixtures';

const POLY_MAC = '0004f2a1b2c3';
const YEA_MAC = '805ec0123456';

/** [typed by a user, what the phone shows] */
const HOSTILE_TEXT: [string, string][] = [
  ['${system(id)}', 'system(id)'],
  ['$${hostname}', 'hostname'],
  ['<x>', 'x'],
  ['</polycomConfig><x a="1">', '/polycomConfigx a1'],
  ['Alice\nreg.1.auth.password = stolen', 'Alice reg.1.auth.password stolen'],
  ['Bob\r\naccount.1.password = stolen', 'Bob account.1.password stolen'],
  ['1001|bridge', '1001bridge'],
  ['%NULL%', 'NULL'],
  ['100% "quoted" \\ `tick`', '100 quoted tick'],
  ['Zoë Ærøskøbing 日本語 Ελένη', 'Zoë Ærøskøbing 日本語 Ελένη'],
  ['  spaced\tout  ', 'spaced out'],
  ['\u0000\u0007\u2028', '1001'],
];

function withText(p: typeof vvx450, mac: string, text: string): PhoneConfig {
  const config = richConfig(p, mac);
  config.lines[0] = { ...config.lines[0], displayName: text, label: text } as PhoneConfig['lines'][number];
  config.buddies[0] = { ...config.buddies[0], label: text } as PhoneConfig['buddies'][number];
  config.voicemail.extraMailboxes[0] = { mailbox: '2001', label: text, account: 'vm_2001@acme.pbx.test' };
  return config;
}

describe('provisioning render: hostile display text', () => {
  for (const [typed, shown] of HOSTILE_TEXT) {
    it(`Polycom: ${JSON.stringify(typed)} -> ${JSON.stringify(shown)}`, () => {
      const config = withText(vvx450, POLY_MAC, typed);
      const phone = renderer.renderFile({ file: 'polycom-phone', config, profile: vvx450 }).body;
      const params = polycomParams(phone);
      expect(params.get('reg.1.displayName')).to.equal(shown);
      expect(params.get('reg.1.label')).to.equal(shown);
      expect(params.get('attendant.resourceList.1.label')).to.equal(shown === '1001' ? '1003' : shown);
      expect(params.get('reg.3.label')).to.equal(shown === '1001' ? '2001' : shown);
      // Nothing injected: same parameters as the benign configuration, secrets untouched.
      const benign = polycomParams(
        renderer.renderFile({ file: 'polycom-phone', config: richConfig(vvx450, POLY_MAC), profile: vvx450 }).body,
      );
      expect([...params.keys()]).to.deep.equal([...benign.keys()]);
      expect(params.get('reg.1.auth.password')).to.equal('Xk4r9Qz2Lm7w');
      const directory = renderer.renderFile({ file: 'polycom-directory', config, profile: vvx450 }).body;
      const names = Array.from(xmlRoot(directory).getElementsByTagName('fn'), (fn) => fn.textContent);
      expect(names[0]).to.equal(shown === '1001' ? '1003' : shown);
    });

    it(`Yealink: ${JSON.stringify(typed)} -> ${JSON.stringify(shown)}`, () => {
      const config = withText(t54w, YEA_MAC, typed);
      const body = renderer.renderFile({ file: 'yealink-phone', config, profile: t54w }).body;
      const params = yealinkParams(body);
      expect(params.get('account.1.display_name')).to.equal(shown);
      expect(params.get('account.1.label')).to.equal(shown);
      expect(params.get('linekey.3.label')).to.equal(shown === '1001' ? '1003' : shown);
      const benign = yealinkParams(
        renderer.renderFile({ file: 'yealink-phone', config: richConfig(t54w, YEA_MAC), profile: t54w }).body,
      );
      expect([...params.keys()]).to.deep.equal([...benign.keys()]);
      expect(params.get('account.1.password')).to.equal('Xk4r9Qz2Lm7w');
      // The only %…% sequences are our own %NULL% clearing values.
      for (const value of params.values()) if (value.includes('%')) expect(value).to.equal('%NULL%');
    });
  }

  it('cuts long labels to a bounded length', () => {
    const config = withText(t54w, YEA_MAC, 'x'.repeat(500));
    const params = yealinkParams(renderer.renderFile({ file: 'yealink-phone', config, profile: t54w }).body);
    expect(params.get('account.1.label')).to.have.length(32);
    expect(params.get('account.1.display_name')).to.have.length(48);
  });
});

/** [description, mutate config, field expected in the error] */
type Mutation = [string, (c: PhoneConfig) => void, string];
const line0 = (c: PhoneConfig) => c.lines[0] as PhoneConfig['lines'][number];
const buddy0 = (c: PhoneConfig) => c.buddies[0] as PhoneConfig['buddies'][number];
const apps = (c: PhoneConfig) => c.phoneApps as NonNullable<PhoneConfig['phoneApps']>;
const manyLines = Array.from({ length: 17 }, (_, i) => ({
  extension: String(2000 + i),
  authUser: String(2000 + i),
  password: 'pw123456',
  displayName: 'x',
  label: 'x',
}));
const dollarBrace = ['$', '{system(id)}'].join('');

const REFUSED: Mutation[] = [
  ['password with a newline', (c) => Object.assign(line0(c), { password: 'abc\nreg.1.x = y' }), 'lines.0.password'],
  ['password with %NULL%', (c) => Object.assign(line0(c), { password: '%NULL%' }), 'lines.0.password'],
  ['password with a quote', (c) => Object.assign(line0(c), { password: 'a"b' }), 'lines.0.password'],
  ['empty password', (c) => Object.assign(line0(c), { password: '' }), 'lines.0.password'],
  ['extension with a pipe', (c) => Object.assign(line0(c), { extension: '1001|bridge' }), 'lines.0.extension'],
  ['auth user with a variable', (c) => Object.assign(line0(c), { authUser: dollarBrace }), 'lines.0.authUser'],
  ['admin password with a colon', (c) => Object.assign(c, { adminPassword: 'ad:min' }), 'adminPassword'],
  ['admin password with a space', (c) => Object.assign(c, { adminPassword: 'pass word' }), 'adminPassword'],
  ['upper-case MAC', (c) => Object.assign(c.device, { mac: '0004F2A1B2C3' }), 'device.mac'],
  ['MAC with separators', (c) => Object.assign(c.device, { mac: '00:04:f2:a1:b2:c3' }), 'device.mac'],
  ['javascript: URL', (c) => Object.assign(c.provisioning, { baseUrl: 'javascript:alert(1)' }), 'provisioning.baseUrl'],
  [
    'URL with credentials',
    (c) => Object.assign(c.provisioning, { baseUrl: 'https://u:p@prov.test/p' }),
    'provisioning.baseUrl',
  ],
  [
    'URL with a newline',
    (c) => Object.assign(c, { firmwareBaseUrl: 'https://prov.test/fw\nstatic.x = 1' }),
    'firmwareBaseUrl',
  ],
  [
    'app URL with a quote',
    (c) => Object.assign(apps(c), { agentStatusUrl: 'https://a.test/"x' }),
    'phoneApps.agentStatusUrl',
  ],
  [
    'app URL with %NULL%',
    (c) => Object.assign(apps(c), { voicemailUrl: 'https://a.test/%NULL%' }),
    'phoneApps.voicemailUrl',
  ],
  [
    'bare Ring Answer alert-info (FreeSWITCH drops it)',
    (c) => Object.assign(c.intercom, { alertInfoFields: ['<http://127.0.0.1>;info=alert-autoanswer', 'Ring Answer'] }),
    'intercom.alertInfoFields.1',
  ],
  [
    'alert-info token with a newline or quote',
    (c) => Object.assign(c.intercom, { alertInfoFields: ['<Ring\nAnswer>', '<Ring"Answer>'] }),
    'intercom.alertInfoFields.0',
  ],
  ['no alert-info field at all', (c) => Object.assign(c.intercom, { alertInfoFields: [] }), 'intercom.alertInfoFields'],
  [
    'alert-info with a newline',
    (c) => Object.assign(c.intercom, { alertInfoFields: ['<http://x>;info=a\nfoo'] }),
    'intercom.alertInfoFields.0',
  ],
  ['BLF watch with a pipe', (c) => Object.assign(buddy0(c), { watch: '1003|x' }), 'buddies.0.watch'],
  ['BLF dial with letters', (c) => Object.assign(buddy0(c), { dial: 'abc' }), 'buddies.0.dial'],
  ['feature code with letters', (c) => Object.assign(c.pickup, { prefix: '*8x' }), 'pickup.prefix'],
  [
    'voicemail number injection',
    (c) => Object.assign(c.voicemail, { accessNumber: '*98\nx = 1' }),
    'voicemail.accessNumber',
  ],
  ['SIP domain with a space', (c) => Object.assign(c.sip, { domain: 'acme pbx' }), 'sip.domain'],
  ['NTP server with a slash', (c) => Object.assign(c.time, { ntpServer: 'ntp/../x' }), 'time.ntpServer'],
  ['time zone path traversal', (c) => Object.assign(c.time, { timeZone: '../../etc/passwd' }), 'time.timeZone'],
  ['port out of range', (c) => Object.assign(c.sip, { port: 70000 }), 'sip.port'],
  ['more lines than the model has', (c) => Object.assign(c, { lines: manyLines }), 'lines'],
  ['profile mismatch', (c) => Object.assign(c.device, { profileId: 'polycom-vvx150' }), 'device.profileId'],
];

describe('provisioning render: refused input', () => {
  for (const [description, mutate, field] of REFUSED) {
    for (const [vendor, p, mac, file] of [
      ['Polycom', vvx450, POLY_MAC, 'polycom-phone'],
      ['Yealink', t54w, YEA_MAC, 'yealink-phone'],
    ] as const) {
      it(`${vendor}: ${description} -> PhoneConfigError on ${field}`, () => {
        const config = richConfig(p, mac);
        mutate(config);
        let error: unknown;
        try {
          renderer.renderFile({ file, config, profile: p });
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(PhoneConfigError);
        expect((error as PhoneConfigError).fields).to.have.property(field);
      });
    }
  }

  it('bootstrap files refuse an unsafe provisioning URL', () => {
    for (const url of ['ftp://prov.test', 'https://prov.test/p\nx', 'https://a:b@prov.test', 'https://prov.test/p/']) {
      expect(
        () =>
          renderer.renderFile({ file: 'yealink-bootstrap', bootstrap: { provisioningBaseUrl: url }, profile: null }),
        url,
      ).to.throw(PhoneConfigError);
    }
    for (const url of ['ftp://prov.test', 'https://prov.test/"p', 'https://a:b@prov.test']) {
      expect(
        () => renderer.renderFile({ file: 'polycom-bootstrap', bootstrap: { provisioningBaseUrl: url } }),
        url,
      ).to.throw(PhoneConfigError);
    }
  });
});
