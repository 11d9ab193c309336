// PhoneConfig builder: one table of PBX/device/extension settings and the PhoneConfig field each one must produce.
import { expect } from 'chai';
import { intercomAlertInfo, intercomAlertInfoFields, intercomCallInfo } from '../../src/domain/intercom-headers';
import { voicemailAccount } from '../../src/domain/mailbox-identity';
import type { Device, Mailbox } from '../../src/domain/model';
import type { PbxSnapshot } from '../../src/domain/snapshot';
import { voicemailAccount as generatorVoicemailAccount } from '../../src/freeswitch/generator/dialplan/identity';
import {
  type BuildPhoneConfigInput,
  buildPhoneConfig,
  PhoneConfigBuildError,
  type PhoneConfigSettings,
} from '../../src/provisioning/build-phone-config';
import type { PhoneConfig } from '../../src/provisioning/phone-config';
import { checkPhoneConfig } from '../../src/provisioning/render/index';
import { ext, snapshot } from '../domain/snapshot-fixture';
import { profile, t54w, vvx450 } from './render-fixtures';

const SETTINGS: PhoneConfigSettings = {
  provisioningBaseUrl: 'https://dialtone.test/provisioning',
  firmwareBaseUrl: 'https://dialtone.test/provisioning/firmware',
  sip: { registrarHost: null, port: 5060, transport: 'udp', registerExpiresSeconds: 600 },
  ntpServer: 'pool.ntp.org',
  referenceYear: 2026,
  alertInfoHost: 'dialtone.test',
  phoneAppsBaseUrl: 'https://dialtone.test/phone-apps',
  pushServerHost: null,
  agentIdleRefreshSeconds: 60,
};
const TOKEN = 'T0k3n_abcdefghijklmnopqrstuvwxyz0123456789A';

function device(over: Partial<Device> = {}): Device {
  return {
    id: 9,
    pbxId: 1,
    mac: '0004f2abcdef',
    profileId: vvx450.id,
    label: 'Front desk',
    extensionIds: [1],
    lineKeys: [],
    provisioningUsername: 'pexample',
    provisioningHa1: '0'.repeat(32),
    armedUntil: null,
    appTokenSalt: '0'.repeat(32),
    appTokenHash: '0'.repeat(64),
    lastSeenAt: null,
    lastIp: null,
    lastUserAgent: null,
    ...over,
  } as Device;
}

function world(): PbxSnapshot {
  return snapshot({
    extensions: [
      ext(1, '201', { name: 'Alice', sipPassword: 'SipSecret0001', mailboxId: 11, mwiMailboxes: ['300', '201'] }),
      ext(2, '202', { name: 'Bob', sipPassword: 'SipSecret0002', mailboxId: 12 }),
      ext(3, '203', { name: 'Carol', sipPassword: 'SipSecret0003' }),
      ext(4, '204', { name: 'Dave', sipPassword: 'SipSecret0004' }),
    ],
    mailboxes: [
      { id: 11, number: '201', name: 'Alice' },
      { id: 12, number: '202', name: 'Bob' },
      { id: 13, number: '300', name: 'Sales' },
    ],
    queues: [{ id: 5, name: 'Billing', number: '600', agentIds: [2] }],
  });
}

function input(over: Partial<BuildPhoneConfigInput> = {}): BuildPhoneConfigInput {
  return {
    snapshot: world(),
    device: device(),
    profile: vvx450,
    settings: SETTINGS,
    appToken: TOKEN,
    provisioningCredentials: null,
    ...over,
  };
}

type Case = [
  string,
  (i: BuildPhoneConfigInput) => void,
  (c: PhoneConfig, notes: string[], i: BuildPhoneConfigInput) => void,
];

const extOf = (i: BuildPhoneConfigInput, id: number) =>
  i.snapshot.extensions.find((e) => e.id === id) as never as Record<string, unknown>;

const CASES: Case[] = [
  [
    'line 1 from the extension: number as auth user, SIP password, name',
    () => {},
    (c) =>
      expect(c.lines).to.deep.equal([
        { extension: '201', authUser: '201', password: 'SipSecret0001', displayName: 'Alice', label: '201 Alice' },
      ]),
  ],
  [
    'several lines in the device order',
    (i) => {
      i.device.extensionIds = [2, 1];
    },
    (c) => expect(c.lines.map((l) => l.extension)).to.deep.equal(['202', '201']),
  ],
  [
    'more extensions than the model has lines: the rest is a note',
    (i) => {
      i.profile = profile('polycom-vvx150');
      i.device.profileId = 'polycom-vvx150';
      i.device.extensionIds = [1, 2, 3];
    },
    (c, notes) => {
      expect(c.lines).to.have.length(2);
      expect(notes.join()).to.contain('203');
    },
  ],
  [
    'SIP: PBX domain, registrar defaults to the domain, transport and port from settings',
    () => {},
    (c) =>
      expect(c.sip).to.deep.equal({
        domain: 'acme.pbx.local',
        registrarHost: 'acme.pbx.local',
        port: 5060,
        transport: 'udp',
        registerExpiresSeconds: 600,
      }),
  ],
  [
    'SIP: an explicit registrar host',
    (i) => {
      i.settings = {
        ...SETTINGS,
        sip: { ...SETTINGS.sip, registrarHost: 'sip1.dialtone.test', transport: 'tls', port: 5061 },
      };
    },
    (c) =>
      expect([c.sip.registrarHost, c.sip.transport, c.sip.port]).to.deep.equal(['sip1.dialtone.test', 'tls', 5061]),
  ],
  [
    'MWI: subscribe, check-voicemail code, extra mailboxes without the own one',
    () => {},
    (c, _notes, i) =>
      expect(c.voicemail).to.deep.equal({
        subscribeMwi: true,
        accessNumber: '*98',
        // Mailbox 300 has no extension 300: FreeSWITCH announces it as vm_300 (the generator's voicemailAccount).
        extraMailboxes: [{ mailbox: '300', label: 'Sales VM', account: `vm_300@${i.snapshot.pbx.domain}` }],
      }),
  ],
  [
    'MWI: a watched mailbox owned by the extension of its number is that user (one id for MWI, *98, voicemail)',
    (i) => {
      extOf(i, 1).mwiMailboxes = ['202'];
    },
    (c, _notes, i) => {
      expect(c.voicemail.extraMailboxes).to.deep.equal([
        { mailbox: '202', label: 'Bob VM', account: `202@${i.snapshot.pbx.domain}` },
      ]);
      const box = i.snapshot.mailboxes.find((m) => m.number === '202');
      expect(c.voicemail.extraMailboxes[0]?.account).to.equal(voicemailAccount(i.snapshot, box as Mailbox));
    },
  ],
  [
    'MWI: the PBX feature code, not a literal',
    (i) => {
      i.snapshot.pbx.featureCodes = { ...i.snapshot.pbx.featureCodes, checkVoicemail: '*97' };
    },
    (c) => expect(c.voicemail.accessNumber).to.equal('*97'),
  ],
  [
    'MWI: no mailbox and no watched mailbox: no subscription',
    (i) => {
      i.device.extensionIds = [3];
    },
    (c) => expect(c.voicemail.subscribeMwi).to.equal(false),
  ],
  [
    'MWI: an unknown watched mailbox is a note',
    (i) => {
      extOf(i, 1).mwiMailboxes = ['999'];
    },
    (c, notes) => {
      expect(c.voicemail.extraMailboxes).to.deep.equal([]);
      expect(notes.join()).to.contain('999');
    },
  ],
  [
    'BLF keys for chosen extensions and park slots, in key order, labels default to names',
    (i) => {
      i.device.lineKeys = [
        { type: 'blf', extensionId: 3 },
        { type: 'park', slot: 701 },
        { type: 'blf', extensionId: 2, label: 'Boss' },
      ];
    },
    (c) =>
      expect(c.buddies).to.deep.equal([
        { kind: 'extension', label: 'Carol', watch: '203', dial: '203' },
        { kind: 'park', label: 'Park 701', watch: 'park+701', dial: '701' },
        { kind: 'extension', label: 'Boss', watch: '202', dial: '202' },
      ]),
  ],
  [
    'buddy list on and no BLF chosen: every other extension in number order',
    (i) => {
      extOf(i, 1).buddyList = true;
    },
    (c) => {
      expect(c.buddyListEnabled).to.equal(true);
      expect(c.buddies.map((b) => b.watch)).to.deep.equal(['202', '203', '204']);
    },
  ],
  [
    'buddy list on with chosen BLF keys: only those',
    (i) => {
      extOf(i, 1).buddyList = true;
      i.device.lineKeys = [{ type: 'blf', extensionId: 4 }];
    },
    (c) => expect(c.buddies.map((b) => b.watch)).to.deep.equal(['204']),
  ],
  [
    'buddy list defaults stop at the free line keys of the phone',
    (i) => {
      i.profile = profile('polycom-vvx250');
      i.device.profileId = 'polycom-vvx250';
      i.device.extensionIds = [1, 2];
      extOf(i, 1).buddyList = true;
    },
    (c) => expect(c.buddies.map((b) => b.watch)).to.deep.equal(['203', '204']),
  ],
  [
    'buddy list off: no defaults',
    () => {},
    (c) => {
      expect(c.buddyListEnabled).to.equal(false);
      expect(c.buddies).to.deep.equal([]);
    },
  ],
  [
    'speed-dial keys, in key order, labelled with the number when the installer gave no label',
    (i) => {
      i.device.lineKeys = [
        { type: 'speed_dial', number: '5551234' },
        { type: 'speed_dial', number: '*98', label: 'VM' },
      ];
    },
    (c, notes) => {
      expect(c.speedDials).to.deep.equal([
        { label: '5551234', dial: '5551234' },
        { label: 'VM', dial: '*98' },
      ]);
      expect(notes.join()).not.to.contain('5551234');
    },
  ],
  [
    'intercom: PBX switch, feature code, the exact Alert-Info FreeSWITCH sends',
    () => {},
    (c) =>
      expect(c.intercom).to.deep.equal({
        enabled: true,
        prefix: '*1',
        alertInfoFields: ['<http://dialtone.test>;info=alert-autoanswer;delay=0', '<Ring Answer>'],
      }),
  ],
  [
    'intercom off on the PBX',
    (i) => {
      i.snapshot.pbx.intercom = false;
    },
    (c) => expect(c.intercom.enabled).to.equal(false),
  ],
  [
    'directed pickup: PBX switch and code',
    (i) => {
      i.snapshot.pbx.featureCodes = { ...i.snapshot.pbx.featureCodes, directedPickup: '**' };
    },
    (c) => expect(c.pickup).to.deep.equal({ enabled: true, prefix: '**', keyLabel: 'Pickup' }),
  ],
  [
    'directed pickup off',
    (i) => {
      i.snapshot.pbx.directedPickup = false;
    },
    (c) => expect(c.pickup.enabled).to.equal(false),
  ],
  ['not a queue agent: no agent key', () => {}, (c) => expect(c.agent).to.equal(null)],
  [
    'queue agent: agent key, idle status only with "show agent status"',
    (i) => {
      i.device.extensionIds = [2];
    },
    (c) =>
      expect(c.agent).to.deep.equal({ key: true, keyLabel: 'Agent', idleScreenStatus: false, idleRefreshSeconds: 60 }),
  ],
  [
    'queue agent with agent status display',
    (i) => {
      i.device.extensionIds = [2];
      extOf(i, 2).agentStatusDisplay = true;
    },
    (c) => expect(c.agent?.idleScreenStatus).to.equal(true),
  ],
  [
    'queue agent but phone apps off: no agent key, a note',
    (i) => {
      i.device.extensionIds = [2];
      i.settings = { ...SETTINGS, phoneAppsBaseUrl: null };
    },
    (c, notes) => {
      expect(c.agent).to.equal(null);
      expect(notes.join()).to.contain('agent');
    },
  ],
  [
    'phone-app URLs carry the device token',
    () => {},
    (c) =>
      expect(c.phoneApps).to.deep.equal({
        voicemailUrl: `https://dialtone.test/phone-apps/${TOKEN}/voicemail`,
        directoryUrl: `https://dialtone.test/phone-apps/${TOKEN}/directory`,
        agentStatusUrl: `https://dialtone.test/phone-apps/${TOKEN}/agent`,
        pushServerHost: null,
      }),
  ],
  [
    'no token: no phone apps',
    (i) => {
      i.appToken = null;
    },
    (c) => expect(c.phoneApps).to.equal(null),
  ],
  [
    'time zone from the PBX, reference year and NTP from settings',
    (i) => {
      i.snapshot.pbx.timezone = 'Europe/Paris';
    },
    (c) => expect(c.time).to.deep.equal({ timeZone: 'Europe/Paris', referenceYear: 2026, ntpServer: 'pool.ntp.org' }),
  ],
  ['phone admin password per PBX', () => {}, (c) => expect(c.adminPassword).to.equal('admin12345')],
  [
    'call waiting and missed-call list on by default',
    () => {},
    (c) => expect([c.callWaiting, c.missedCallList]).to.deep.equal([true, true]),
  ],
  [
    'call waiting and missed-call list disabled on the extension of line 1',
    (i) => {
      extOf(i, 1).disableCallWaiting = true;
      extOf(i, 1).disableMissedCallList = true;
    },
    (c) => expect([c.callWaiting, c.missedCallList]).to.deep.equal([false, false]),
  ],
  [
    'provisioning: base URL, no credentials unless the phone must learn them',
    () => {},
    (c) => expect(c.provisioning).to.deep.equal({ baseUrl: 'https://dialtone.test/provisioning', credentials: null }),
  ],
  [
    'provisioning: credentials to learn',
    (i) => {
      i.provisioningCredentials = { user: 'pexample', password: 'NewPassword0123456789xy' };
    },
    (c) => expect(c.provisioning.credentials).to.deep.equal({ user: 'pexample', password: 'NewPassword0123456789xy' }),
  ],
  [
    'device identity and firmware folder',
    () => {},
    (c) => {
      expect(c.device).to.deep.equal({ mac: '0004f2abcdef', profileId: 'polycom-vvx450', label: 'Front desk' });
      expect(c.firmwareBaseUrl).to.equal('https://dialtone.test/provisioning/firmware');
    },
  ],
];

describe('buildPhoneConfig', () => {
  for (const [title, arrange, check] of CASES) {
    it(title, () => {
      const i = input();
      arrange(i);
      const { config, notes } = buildPhoneConfig(i);
      check(config, notes, i);
      // Whatever the builder makes, the renderer's independent check accepts.
      expect(() => checkPhoneConfig(config, i.profile)).to.not.throw();
    });
  }

  it('is deterministic', () => {
    expect(JSON.stringify(buildPhoneConfig(input()))).to.equal(JSON.stringify(buildPhoneConfig(input())));
  });

  it('works for a Yealink profile too', () => {
    const { config } = buildPhoneConfig(
      input({ profile: t54w, device: device({ profileId: t54w.id, mac: '805ec0123456' }) }),
    );
    expect(config.device.profileId).to.equal('yealink-t54w');
    expect(() => checkPhoneConfig(config, t54w)).to.not.throw();
  });

  it('refuses a device of another PBX, another profile, or with a missing extension', () => {
    expect(() => buildPhoneConfig(input({ device: device({ pbxId: 2 }) }))).to.throw(PhoneConfigBuildError);
    expect(() => buildPhoneConfig(input({ profile: t54w }))).to.throw(PhoneConfigBuildError, /profile/);
    expect(() => buildPhoneConfig(input({ device: device({ extensionIds: [77] }) }))).to.throw(
      PhoneConfigBuildError,
      /#77/,
    );
  });

  it('watched mailboxes are named by the very function the FreeSWITCH generator uses (one source of truth)', () => {
    expect(generatorVoicemailAccount).to.equal(voicemailAccount);
    const i = input();
    const sales = i.snapshot.mailboxes.find((m) => m.number === '300') as Mailbox;
    expect(buildPhoneConfig(i).config.voicemail.extraMailboxes[0]?.account).to.equal(
      generatorVoicemailAccount(i.snapshot, sales),
    );
  });

  it('intercom headers are the URI forms FreeSWITCH really sends, with the Polycom token as a field of its own', () => {
    expect(intercomAlertInfoFields('127.0.0.1')).to.deep.equal([
      '<http://127.0.0.1>;info=alert-autoanswer;delay=0',
      '<Ring Answer>',
    ]);
    expect(intercomAlertInfo('127.0.0.1')).to.equal('<http://127.0.0.1>;info=alert-autoanswer;delay=0, <Ring Answer>');
    expect(intercomCallInfo('acme.pbx.test')).to.equal('<sip:acme.pbx.test>;answer-after=0');
    expect(buildPhoneConfig(input()).config.intercom.alertInfoFields).to.deep.equal(
      intercomAlertInfoFields('dialtone.test'),
    );
  });
});
