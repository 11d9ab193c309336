// A PBX with four phones (two Polycom models, two Yealink models) on in-memory SQLite, and what publishing needs.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase } from '../../src/db';
import type { PhoneConfigSettings } from '../../src/provisioning/build-phone-config';
import { defaultProfileDir } from '../../src/provisioning/profile-dir';
import type { PublishPbxDeps } from '../../src/provisioning/publish';
import { createRenderer, loadProvisioningTemplates, type ProvisioningRenderer } from '../../src/provisioning/render';
import { provisioningSettings } from '../../src/servers/provisioning/start';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { DeviceService } from '../../src/services/device-service';
import type { PbxView } from '../../src/services/pbx-service';
import { randomAlnum } from '../../src/services/secrets';
import { loadProfileCatalog, type ProfileCatalog } from '../../src/vendors/profile-catalog';

export const PHONES = [
  { mac: '0004f2000001', profileId: 'polycom-vvx450', ext: '201' },
  { mac: '0004f2000002', profileId: 'polycom-vvx250', ext: '202' },
  { mac: '805ec0000003', profileId: 'yealink-t54w', ext: '203' },
  { mac: '805ec0000004', profileId: 'yealink-t46u', ext: '201' },
] as const;

export interface PublishWorld {
  services: Services;
  devices: DeviceService;
  catalog: ProfileCatalog;
  renderer: ProvisioningRenderer;
  settings: PhoneConfigSettings;
  appTokenKey: Buffer;
  pbx: PbxView;
  ext: Record<string, { id: number; sipPassword: string }>;
  deps: PublishPbxDeps;
  close(): Promise<void>;
}

/** The site's server the phones fetch published files from. */
export const SITE_URL = 'http://prov.site.test/phones';

export async function openPublishWorld(context = 'acme'): Promise<PublishWorld> {
  const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
  const catalog = loadProfileCatalog(defaultProfileDir());
  const services = createServices(orm, { profileIds: new Set(catalog.all.map((p) => p.id)) });
  const devices = new DeviceService(orm, catalog);
  const o = services.objects;
  const pbx = await services.pbx.create(SYSTEM, { context, name: 'Acme', timezone: 'America/New_York' });
  const number = await o.create(SYSTEM, pbx.id, 'numbers', { number: '2125550100', routeTo: { kind: 'hangup' } });
  const loc = await o.create(SYSTEM, pbx.id, 'e911', {
    name: 'HQ',
    street: '1 Main St',
    city: 'New York',
    state: 'NY',
    zip: '10001',
    callbackNumberId: number.id,
    termsAccepted: true,
  });
  const ext: PublishWorld['ext'] = {};
  for (const [n, name] of [
    ['201', 'Alice Agent'],
    ['202', 'Bob Buddy'],
    ['203', 'Carol'],
  ] as const) {
    const box = await o.create(SYSTEM, pbx.id, 'mailboxes', { number: n, name, password: '4321' });
    const sipPassword = randomAlnum(20);
    const e = await o.create(
      SYSTEM,
      pbx.id,
      'extensions',
      { number: n, name, e911LocationId: loc.id, mailboxId: box.id, buddyList: true },
      { sipPassword },
    );
    ext[n] = { id: e.id as number, sipPassword };
  }
  await o.create(SYSTEM, pbx.id, 'queues', {
    name: 'Billing',
    number: '600',
    agentIds: [ext['201']!.id],
    timeout: { kind: 'hangup' },
  });
  for (const phone of PHONES)
    await devices.add(SYSTEM, pbx.id, {
      mac: phone.mac,
      profileId: phone.profileId,
      extensionIds: [ext[phone.ext]!.id],
      lineKeys: [{ type: 'park', slot: 701 }],
    });

  const renderer = createRenderer(loadProvisioningTemplates());
  const settings = provisioningSettings('http://dialtone.test', 2026, {
    provisioningBaseUrl: SITE_URL,
    firmwareBaseUrl: null,
  });
  const appTokenKey = randomBytes(32);
  return {
    services,
    devices,
    catalog,
    renderer,
    settings,
    appTokenKey,
    pbx,
    ext,
    deps: { store: devices, catalog, renderer, settings, appTokenKey },
    close: () => orm.close(true),
  };
}

/** What ProvisioningFiles needs besides a store, with firmware and uploads below `dir`. */
export function provisioningFilesDeps(w: PublishWorld, dir: string) {
  return {
    catalog: w.catalog,
    renderer: w.renderer,
    settings: w.settings,
    appTokenKey: w.appTokenKey,
    firmwareDir: join(dir, 'firmware'),
    uploadsDir: join(dir, 'uploads'),
  };
}
