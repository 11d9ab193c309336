// Renders a PBX for publishing from the database (through ProvisioningStore) and pushes it with a Publisher.
import type { Device } from '../../domain/model';
import type { ProfileCatalog } from '../../vendors/profile-catalog';
import { appTokenFor, appTokenHash } from '../app-token';
import type { PhoneConfigSettings } from '../build-phone-config';
import type { ProvisioningRenderer } from '../render';
import type { ProvisioningStore } from '../store';
import type { Publisher, PublishResult } from './publisher';
import { type RenderedPbxFiles, renderPbxFiles } from './render-pbx-files';

export interface PublishPbxDeps {
  store: ProvisioningStore;
  catalog: ProfileCatalog;
  renderer: ProvisioningRenderer;
  settings: PhoneConfigSettings;
  /** Key of the phone-app tokens (the provisioning server's); null leaves phone apps out of the files. */
  appTokenKey: Buffer | null;
}

export interface RenderedForPublishing extends RenderedPbxFiles {
  /** PBX context: the key of the publish manifest. */
  context: string;
}

/**
 * Loads the PBX, renders every file, and stores the phone-app token hash of each rendered device whose stored hash is
 * still the placeholder or an older token — as the HTTP server does on first render, so the phone apps know the token.
 */
export async function renderPbxForPublishing(deps: PublishPbxDeps, pbxId: number): Promise<RenderedForPublishing> {
  const snapshot = await deps.store.snapshot(pbxId);
  const key = deps.settings.phoneAppsBaseUrl === null ? null : deps.appTokenKey;
  const tokens = new Map<Device, string>();
  const rendered = renderPbxFiles({
    snapshot,
    catalog: deps.catalog,
    renderer: deps.renderer,
    settings: deps.settings,
    appToken: (device) => {
      if (!key) return null;
      const token = appTokenFor(key, device.appTokenSalt);
      tokens.set(device, token);
      return token;
    },
  });
  const skipped = new Set(rendered.skipped.map((s) => s.mac));
  for (const [device, token] of tokens) {
    const hash = appTokenHash(token);
    if (!skipped.has(device.mac) && device.appTokenHash !== hash)
      await deps.store.storeAppTokenHash(device.id, device.appTokenSalt, hash);
  }
  return { ...rendered, context: snapshot.pbx.context };
}

/** Renders the PBX and publishes it: the files, the devices left out, and what the publisher did. */
export async function publishPbx(
  deps: PublishPbxDeps,
  pbxId: number,
  publisher: Publisher,
): Promise<{ rendered: RenderedForPublishing; result: PublishResult }> {
  const rendered = await renderPbxForPublishing(deps, pbxId);
  const result = await publisher.publish({ key: rendered.context, files: rendered.files });
  return { rendered, result };
}
