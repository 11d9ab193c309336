// Public surface of provisioning rendering (PhoneConfig itself lives in ../phone-config).

export { PhoneConfigError, TemplateError } from './errors';
export { POLYCOM_BOOTSTRAP, POLYCOM_GENERIC_COMMON, POLYCOM_GENERIC_MASTER, polycomFileNames } from './polycom';
export { createRenderer, type ProvisioningRenderer } from './render-file';
export { defaultTemplateRoot, loadProvisioningTemplates, type ProvisioningTemplates } from './templates';
export { type DstTransition, type ZoneRule, zoneRule } from './time-zone';
export type { BootstrapConfig, RenderedFile, RenderedFileKind, RenderRequest } from './types';
export { checkPhoneConfig } from './validate-config';
export { yealinkFileNames } from './yealink';
