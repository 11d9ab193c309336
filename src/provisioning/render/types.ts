// The request and result types of the provisioning renderer (see render-file.ts for the dispatcher).

import type { FirmwareProfile } from '../../vendors/firmware-profile';
import type { PhoneConfig } from '../phone-config';

/** What a bootstrap file needs: only where to go next. Never secrets. */
export interface BootstrapConfig {
  /** Absolute http(s) URL, no trailing slash, of the provisioning folder the phone must use from now on. */
  provisioningBaseUrl: string;
}

/**
 * One file to render. The `file` tag names the file role; the phone-facing file name comes from fileNames().
 *
 * Polycom (first occurrence wins; files read left to right from CONFIG_FILES):
 * - polycom-generic-master   000000000000.cfg — for phones without their own master: no secrets, CONFIG_FILES=common.cfg
 * - polycom-common           common.cfg (profile null) or common-<profile id>.cfg — vendor/model defaults, no tenant data, no secrets
 * - polycom-master           <mac>.cfg — APP_FILE_PATH = firmware from the profile, CONFIG_FILES = <mac>-user.cfg, common-<profile id>.cfg
 * - polycom-phone            <mac>-user.cfg — everything of this phone, WITH SECRETS
 * - polycom-directory        <mac>-directory.xml — contacts / buddy watch list, no secrets
 * - polycom-bootstrap-master served over TFTP as <mac>.cfg / 000000000000.cfg: CONFIG_FILES=bootstrap.cfg only
 * - polycom-bootstrap        bootstrap.cfg — moves the phone to HTTP(S) provisioning, no secrets
 * Yealink (later files win: y0000000000XX.cfg, then <mac>.cfg):
 * - yealink-common           y0000000000XX.cfg (XX = profile.modelCode) — model defaults, no tenant data, no secrets
 * - yealink-phone            <mac>.cfg — everything of this phone, WITH SECRETS
 * - yealink-bootstrap        served over TFTP as y0000000000XX.cfg / <mac>.cfg — moves the phone to HTTP(S), no secrets
 */
export type RenderRequest =
  | { file: 'polycom-generic-master' }
  | { file: 'polycom-common'; profile: FirmwareProfile | null }
  | { file: 'polycom-master' | 'polycom-phone' | 'polycom-directory'; config: PhoneConfig; profile: FirmwareProfile }
  | { file: 'polycom-bootstrap-master' }
  | { file: 'polycom-bootstrap'; bootstrap: BootstrapConfig }
  | { file: 'yealink-common'; profile: FirmwareProfile }
  | { file: 'yealink-phone'; config: PhoneConfig; profile: FirmwareProfile }
  | { file: 'yealink-bootstrap'; bootstrap: BootstrapConfig; profile: FirmwareProfile | null };

export type RenderedFileKind = RenderRequest['file'];

export interface RenderedFile {
  /** Exact bytes to serve (UTF-8); deterministic for a given input. */
  body: string;
  /** HTTP Content-Type to serve it with. */
  contentType: string;
  /** True when the body holds SIP/admin/provisioning secrets: serve only to an authenticated device and log the access. */
  containsSecrets: boolean;
  /** Configured features this phone cannot show, in words for the installer (e.g. "buddy 'Bob' (1004): no free line key"). */
  omitted: string[];
}
