// What a phone will not do of what its PBX configures for it, in words for the installer ("T31G has no free line",
// "Yealink has no verified way to watch another mailbox"): the builder's notes and the vendor renderer's omissions,
// computed exactly as provisioning does, without secrets (no credentials, a stand-in phone-app token).
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { FirmwareProfile } from '../vendors/firmware-profile';
import { buildPhoneConfig, type PhoneConfigSettings } from './build-phone-config';
import type { ProvisioningRenderer, RenderRequest } from './render';

/** Stands in for the phone-app token: the same shape, never a real one (only its presence changes the notes). */
const STAND_IN_TOKEN = 'x'.repeat(43);

export type DeviceExplainer = (snapshot: PbxSnapshot, device: Device, profile: FirmwareProfile) => string[];

/** An explainer over the provisioning renderer and the server's settings (as the provisioning server has them). */
export function deviceExplainer(renderer: ProvisioningRenderer, settings: PhoneConfigSettings): DeviceExplainer {
  return (snapshot, device, profile) => {
    try {
      const { config, notes } = buildPhoneConfig({
        snapshot,
        device,
        profile,
        settings,
        appToken: settings.phoneAppsBaseUrl === null ? null : STAND_IN_TOKEN,
        provisioningCredentials: null,
      });
      const files: RenderRequest[] =
        profile.vendor === 'polycom'
          ? [
              { file: 'polycom-phone', config, profile },
              { file: 'polycom-directory', config, profile },
            ]
          : [{ file: 'yealink-phone', config, profile }];
      const omitted = files.flatMap((f) => renderer.renderFile(f).omitted);
      return [...new Set([...notes, ...omitted])];
    } catch (err) {
      // The phone would get no configuration at all: that is the warning.
      return [`this phone cannot be configured: ${(err as Error).message}`];
    }
  };
}
