// A phone's configuration fingerprint: the hash of the PhoneConfig it would be given now (same builder as provisioning).
import { createHash } from 'node:crypto';
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { ProfileCatalog } from '../vendors/profile-catalog';
import { buildPhoneConfig, type PhoneConfigSettings } from './build-phone-config';

/** Null for a device whose model is unknown. The app token and credentials are constants: they never trigger a re-sync. */
export function phoneConfigFingerprint(catalog: ProfileCatalog, settings: PhoneConfigSettings) {
  return (snapshot: PbxSnapshot, device: Device): string | null => {
    const profile = catalog.byId(device.profileId);
    if (!profile) return null;
    const { config } = buildPhoneConfig({
      snapshot,
      device,
      profile,
      settings,
      appToken: 'fingerprint',
      provisioningCredentials: null,
    });
    return createHash('sha256').update(JSON.stringify(config)).digest('hex');
  };
}
