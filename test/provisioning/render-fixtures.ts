// Shared inputs for the provisioning render tests: real firmware profiles, a rich and a minimal PhoneConfig, output parsers.

import { fileURLToPath } from 'node:url';
import { create } from 'xmlbuilder2';
import type { PhoneConfig } from '../../src/provisioning/phone-config';
import { createRenderer, loadProvisioningTemplates } from '../../src/provisioning/render/index';
import type { FirmwareProfile } from '../../src/vendors/firmware-profile';
import { loadFirmwareProfiles } from '../../src/vendors/load-profiles';

const profiles = loadFirmwareProfiles(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));

export function profile(id: string): FirmwareProfile {
  const found = profiles.find((p) => p.id === id);
  if (!found) throw new Error(`no firmware profile ${id}`);
  return found;
}

export const vvx450 = profile('polycom-vvx450');
export const t54w = profile('yealink-t54w');

export const renderer = createRenderer(loadProvisioningTemplates());

/** The Alert-Info fields FreeSWITCH sends on intercom calls (URI forms: FreeSWITCH drops a bare "Ring Answer"). */
export const INTERCOM_ALERT_INFO = ['<http://127.0.0.1>;info=alert-autoanswer;delay=0', '<Ring Answer>'];

/** Two lines, MWI with an extra mailbox, 3 BLF + 1 park slot, intercom, pickup, agent key, New York time, admin password. */
export function richConfig(p: FirmwareProfile, mac: string): PhoneConfig {
  return {
    device: { mac, profileId: p.id, label: 'Front desk' },
    provisioning: { baseUrl: 'https://prov.dialtone.test/p', credentials: null },
    firmwareBaseUrl: 'https://prov.dialtone.test/firmware',
    sip: {
      domain: 'acme.pbx.test',
      registrarHost: 'sip.dialtone.test',
      port: 5060,
      transport: 'udp',
      registerExpiresSeconds: 600,
    },
    lines: [
      {
        extension: '1001',
        authUser: '1001',
        password: 'Xk4r9Qz2Lm7w',
        displayName: 'Alice Example',
        label: '1001 Alice',
      },
      {
        extension: '1050',
        authUser: '1050',
        password: 'Pq8s3Vn6Rt1y',
        displayName: 'Reception',
        label: '1050 Reception',
      },
    ],
    voicemail: {
      subscribeMwi: true,
      accessNumber: '*98',
      extraMailboxes: [{ mailbox: '2001', label: 'Sales VM', account: 'vm_2001@acme.pbx.test' }],
    },
    buddies: [
      { kind: 'extension', label: 'Bob', watch: '1003', dial: '1003' },
      { kind: 'extension', label: 'Carol', watch: '1004', dial: '1004' },
      { kind: 'extension', label: 'Dave', watch: '1005', dial: '1005' },
      { kind: 'park', label: 'Park 1', watch: 'park+5901', dial: '5901' },
    ],
    buddyListEnabled: true,
    speedDials: [{ label: 'Front desk', dial: '5551234' }],
    pickup: { enabled: true, prefix: '*8', keyLabel: 'Pickup' },
    intercom: { enabled: true, prefix: '*1', alertInfoFields: INTERCOM_ALERT_INFO },
    agent: { key: true, keyLabel: 'Agent', idleScreenStatus: true, idleRefreshSeconds: 60 },
    phoneApps: {
      voicemailUrl: 'https://apps.dialtone.test/a/Tok3nVoicemail0123456789/voicemail',
      directoryUrl: 'https://apps.dialtone.test/a/Tok3nVoicemail0123456789/directory',
      agentStatusUrl: 'https://apps.dialtone.test/a/Tok3nVoicemail0123456789/agent',
      pushServerHost: 'apps.dialtone.test',
    },
    time: { timeZone: 'America/New_York', referenceYear: 2026, ntpServer: 'pool.ntp.org' },
    adminPassword: '7391',
    callWaiting: true,
    missedCallList: true,
  };
}

/** One line and nothing optional: intercom and pickup off, no apps, no agent, UTC, no NTP, no firmware. */
export function minimalConfig(p: FirmwareProfile, mac: string): PhoneConfig {
  return {
    device: { mac, profileId: p.id, label: '' },
    provisioning: { baseUrl: 'http://10.0.0.5/prov', credentials: null },
    firmwareBaseUrl: null,
    sip: {
      domain: 'small.pbx.test',
      registrarHost: 'small.pbx.test',
      port: 5060,
      transport: 'udp',
      registerExpiresSeconds: 3600,
    },
    lines: [{ extension: '100', authUser: '100', password: 'secret100', displayName: 'Desk', label: '100' }],
    voicemail: { subscribeMwi: false, accessNumber: '*98', extraMailboxes: [] },
    buddies: [],
    buddyListEnabled: false,
    speedDials: [],
    pickup: { enabled: false, prefix: '*8', keyLabel: 'Pickup' },
    intercom: { enabled: false, prefix: '*1', alertInfoFields: INTERCOM_ALERT_INFO },
    agent: null,
    phoneApps: null,
    time: { timeZone: 'UTC', referenceYear: 2026, ntpServer: null },
    adminPassword: '4826',
    callWaiting: false,
    missedCallList: false,
  };
}

/** Attribute name -> value of a Polycom <polycomConfig> file (parsing also proves the XML is well-formed). */
export function polycomParams(body: string): Map<string, string> {
  const root = create(body).root().node as unknown as DomElement;
  if (root.nodeName !== 'polycomConfig') throw new Error(`root is ${root.nodeName}`);
  return new Map(Array.from(root.attributes, (a) => [a.name, a.value]));
}

/** Minimal view of xmlbuilder2's DOM nodes (the repo compiles without lib.dom). */
export interface DomElement {
  nodeName: string;
  textContent: string | null;
  attributes: ArrayLike<{ name: string; value: string }>;
  getElementsByTagName(name: string): ArrayLike<DomElement>;
}

/** The XML root element as a DOM node (parsing also proves the XML is well-formed). */
export function xmlRoot(body: string): DomElement {
  return create(body).root().node as unknown as DomElement;
}

/** name -> value of a Yealink .cfg file; throws on a duplicate or a malformed line. */
export function yealinkParams(body: string): Map<string, string> {
  const [header, ...lines] = body.split('\n');
  if (header !== '#!version:1.0.0.1') throw new Error(`bad header ${header}`);
  const map = new Map<string, string>();
  for (const line of lines) {
    if (line === '') continue;
    const m = /^([A-Za-z0-9_.-]+) = (.*)$/.exec(line);
    if (!m) throw new Error(`malformed line ${JSON.stringify(line)}`);
    const key = m[1] === 'static.security.user_password' ? `${m[1]} ${m[2].split(':')[0]}` : (m[1] as string);
    if (map.has(key)) throw new Error(`duplicate ${key}`);
    map.set(key, m[2] as string);
  }
  return map;
}
