// Benchmark: renders per second of each provisioning file kind (rich VVX 450 and T54W configurations).

import { fileURLToPath } from 'node:url';
import { intercomAlertInfoFields } from '../src/domain/intercom-headers';
import type { PhoneConfig } from '../src/provisioning/phone-config';
import { createRenderer, loadProvisioningTemplates, type RenderRequest } from '../src/provisioning/render/index';
import { loadFirmwareProfiles } from '../src/vendors/load-profiles';

function config(profileId: string, mac: string): PhoneConfig {
  return {
    device: { mac, profileId, label: 'Bench' },
    provisioning: { baseUrl: 'https://prov.bench.test/p', credentials: null },
    firmwareBaseUrl: 'https://prov.bench.test/firmware',
    sip: {
      domain: 'bench.pbx.test',
      registrarHost: 'sip.bench.test',
      port: 5060,
      transport: 'udp',
      registerExpiresSeconds: 600,
    },
    lines: [
      { extension: '1001', authUser: '1001', password: 'Xk4r9Qz2Lm7w', displayName: 'Alice', label: '1001 Alice' },
      { extension: '1002', authUser: '1002', password: 'Pq8s3Vn6Rt1y', displayName: 'Bob', label: '1002 Bob' },
    ],
    voicemail: {
      subscribeMwi: true,
      accessNumber: '*98',
      extraMailboxes: [{ mailbox: '2001', label: 'Sales', account: 'vm_2001@acme.pbx.test' }],
    },
    buddies: Array.from({ length: 8 }, (_, i) => ({
      kind: 'extension' as const,
      label: `Ext ${1010 + i}`,
      watch: `${1010 + i}`,
      dial: `${1010 + i}`,
    })),
    buddyListEnabled: true,
    speedDials: [],
    pickup: { enabled: true, prefix: '*8', keyLabel: 'Pickup' },
    intercom: { enabled: true, prefix: '*1', alertInfoFields: intercomAlertInfoFields('127.0.0.1') },
    agent: { key: true, keyLabel: 'Agent', idleScreenStatus: true, idleRefreshSeconds: 60 },
    phoneApps: {
      voicemailUrl: 'https://apps.bench.test/t/voicemail',
      directoryUrl: 'https://apps.bench.test/t/directory',
      agentStatusUrl: 'https://apps.bench.test/t/agent',
      pushServerHost: null,
    },
    time: { timeZone: 'America/New_York', referenceYear: 2026, ntpServer: 'pool.ntp.org' },
    adminPassword: '7391',
    callWaiting: true,
    missedCallList: true,
  };
}

export async function run(): Promise<void> {
  const started = performance.now();
  const templates = loadProvisioningTemplates();
  console.log(`provisioning-render: templates loaded in ${(performance.now() - started).toFixed(1)} ms`);
  const profiles = loadFirmwareProfiles(fileURLToPath(new URL('../firmware-profiles', import.meta.url)));
  const vvx = profiles.find((p) => p.id === 'polycom-vvx450');
  const t54w = profiles.find((p) => p.id === 'yealink-t54w');
  if (!vvx || !t54w) throw new Error('bench needs polycom-vvx450 and yealink-t54w profiles');
  const renderer = createRenderer(templates);
  const requests: [string, RenderRequest][] = [
    ['polycom-phone', { file: 'polycom-phone', config: config(vvx.id, '0004f2000001'), profile: vvx }],
    ['polycom-master', { file: 'polycom-master', config: config(vvx.id, '0004f2000001'), profile: vvx }],
    ['polycom-directory', { file: 'polycom-directory', config: config(vvx.id, '0004f2000001'), profile: vvx }],
    ['yealink-phone', { file: 'yealink-phone', config: config(t54w.id, '805ec0000001'), profile: t54w }],
    ['yealink-common', { file: 'yealink-common', profile: t54w }],
  ];
  for (const [name, request] of requests) {
    renderer.renderFile(request); // warm up (zone rule memo, JIT)
    const iterations = 300;
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) renderer.renderFile(request);
    const ms = (performance.now() - t0) / iterations;
    console.log(`provisioning-render: ${name} ${ms.toFixed(2)} ms/file (${Math.round(1000 / ms)} files/s)`);
  }
}
