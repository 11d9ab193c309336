// A DeviceService for processes that do not run the provisioning server (CLI, tests): the repository's firmware
// profiles and templates, warnings computed with the default settings of the public URL.
import type { MikroORM } from '@mikro-orm/core';
import { provisioningSettings } from '../provisioning/default-settings';
import { deviceExplainer } from '../provisioning/device-warnings';
import { defaultProfileDir } from '../provisioning/profile-dir';
import { createRenderer, defaultTemplateRoot, loadProvisioningTemplates } from '../provisioning/render';
import { loadProfileCatalog } from '../vendors/profile-catalog';
import { DeviceService } from './device-service';

export function standaloneDeviceService(orm: MikroORM, publicUrl: string): DeviceService {
  const catalog = loadProfileCatalog(defaultProfileDir());
  const renderer = createRenderer(loadProvisioningTemplates(defaultTemplateRoot()));
  const settings = provisioningSettings(publicUrl, new Date().getUTCFullYear());
  return new DeviceService(orm, catalog, { explain: deviceExplainer(renderer, settings) });
}
