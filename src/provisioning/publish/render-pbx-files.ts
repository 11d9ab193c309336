// Every provisioning file of one PBX, rendered for publishing to a site's own FTP/SFTP server: name -> exact text.
//
// Pure (no clock, no I/O): the same snapshot, settings and tokens always give the same bytes — the same bytes the HTTP
// server renders for these phones, because it uses the same builder, renderer and file names. Credentials the phone
// authenticates with are never included (a third-party server must not hold Dialtone's provisioning secrets).
//
// The Map's order is the upload order: a file comes after every file it names, so a phone that reads a master file
// mid-publish finds what CONFIG_FILES lists. Shared files first, then per-phone configs, Polycom masters last.
import type { Device } from '../../domain/model';
import type { PbxSnapshot } from '../../domain/snapshot';
import type { FirmwareProfile } from '../../vendors/firmware-profile';
import type { ProfileCatalog } from '../../vendors/profile-catalog';
import { buildPhoneConfig, type PhoneConfigSettings } from '../build-phone-config';
import {
  POLYCOM_GENERIC_COMMON,
  POLYCOM_GENERIC_MASTER,
  type ProvisioningRenderer,
  polycomFileNames,
  type RenderRequest,
  yealinkFileNames,
} from '../render';

export interface RenderPbxFilesInput {
  snapshot: PbxSnapshot;
  catalog: ProfileCatalog;
  renderer: ProvisioningRenderer;
  /** provisioningBaseUrl must be where the phones fetch these files from (the site's server), not Dialtone's. */
  settings: PhoneConfigSettings;
  /** The device's phone-app token (app-token.ts), or null to leave phone apps out. */
  appToken: (device: Device) => string | null;
}

export interface RenderedPbxFiles {
  /** File name (no folders) -> file text, in upload order. */
  files: Map<string, string>;
  /** Devices left out, and why (unknown profile, data the builder or renderer refuses). Their old files stay as they were. */
  skipped: { mac: string; reason: string }[];
  /** Configured features a phone cannot show (builder notes and renderer `omitted`), per device. */
  notes: { mac: string; note: string }[];
}

interface DeviceFiles {
  configs: [string, string][];
  masters: [string, string][];
}

export function renderPbxFiles(input: RenderPbxFilesInput): RenderedPbxFiles {
  const { snapshot, catalog, renderer } = input;
  const skipped: RenderedPbxFiles['skipped'] = [];
  const notes: RenderedPbxFiles['notes'] = [];
  const polycomProfiles = new Map<string, FirmwareProfile>();
  const yealinkProfiles = new Map<string, FirmwareProfile>();
  const perDevice: DeviceFiles[] = [];

  const devices = snapshot.devices
    .filter((d) => d.pbxId === snapshot.pbx.id)
    .sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0));
  for (const device of devices) {
    const profile = catalog.byId(device.profileId);
    if (!profile) {
      skipped.push({ mac: device.mac, reason: `unknown firmware profile ${device.profileId}` });
      continue;
    }
    try {
      const out = renderDevice(input, device, profile);
      perDevice.push(out.files);
      for (const note of out.notes) notes.push({ mac: device.mac, note });
      (profile.vendor === 'polycom' ? polycomProfiles : yealinkProfiles).set(profile.id, profile);
    } catch (err) {
      // PhoneConfigBuildError / PhoneConfigError say what is wrong with this device's data; other devices go on.
      skipped.push({ mac: device.mac, reason: (err as Error).message });
    }
  }

  const files = new Map<string, string>();
  const byId = (a: FirmwareProfile, b: FirmwareProfile) => (a.id < b.id ? -1 : 1);
  if (polycomProfiles.size > 0) {
    files.set(POLYCOM_GENERIC_COMMON, renderer.renderFile({ file: 'polycom-common', profile: null }).body);
    for (const profile of [...polycomProfiles.values()].sort(byId))
      files.set(
        polycomFileNames('000000000000', profile).common,
        renderer.renderFile({ file: 'polycom-common', profile }).body,
      );
  }
  for (const profile of [...yealinkProfiles.values()].sort(byId))
    files.set(
      yealinkFileNames('000000000000', profile).common,
      renderer.renderFile({ file: 'yealink-common', profile }).body,
    );
  for (const d of perDevice) for (const [name, body] of d.configs) files.set(name, body);
  for (const d of perDevice) for (const [name, body] of d.masters) files.set(name, body);
  if (polycomProfiles.size > 0)
    files.set(POLYCOM_GENERIC_MASTER, renderer.renderFile({ file: 'polycom-generic-master' }).body);
  return { files, skipped, notes };
}

function renderDevice(
  input: RenderPbxFilesInput,
  device: Device,
  profile: FirmwareProfile,
): { files: DeviceFiles; notes: string[] } {
  const { config, notes } = buildPhoneConfig({
    snapshot: input.snapshot,
    device,
    profile,
    settings: input.settings,
    appToken: input.appToken(device),
    provisioningCredentials: null,
  });
  const render = (request: RenderRequest) => input.renderer.renderFile(request);
  const all = [...notes];
  const take = (r: { body: string; omitted: string[] }) => {
    all.push(...r.omitted);
    return r.body;
  };
  if (profile.vendor === 'polycom') {
    const names = polycomFileNames(device.mac, profile);
    return {
      files: {
        configs: [
          [names.phone, take(render({ file: 'polycom-phone', config, profile }))],
          [names.directory, take(render({ file: 'polycom-directory', config, profile }))],
        ],
        masters: [[names.master, take(render({ file: 'polycom-master', config, profile }))]],
      },
      notes: [...new Set(all)],
    };
  }
  const names = yealinkFileNames(device.mac, profile);
  return {
    files: { configs: [[names.phone, take(render({ file: 'yealink-phone', config, profile }))]], masters: [] },
    notes: [...new Set(all)],
  };
}
