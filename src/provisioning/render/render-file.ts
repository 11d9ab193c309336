// Entry point of provisioning rendering: createRenderer(templates).renderFile(request) -> { body, contentType, containsSecrets, omitted }.
//
// Pure apart from loading templates (done once by loadProvisioningTemplates). Output is deterministic: no clock, no
// randomness, stable parameter order — Yealink skips unchanged files by MD5 and reviewers diff golden files.

import {
  renderPolycomBootstrap,
  renderPolycomBootstrapMaster,
  renderPolycomCommon,
  renderPolycomDirectory,
  renderPolycomGenericMaster,
  renderPolycomMaster,
  renderPolycomPhone,
} from './polycom';
import type { ProvisioningTemplates } from './templates';
import { zoneRule } from './time-zone';
import type { RenderedFile, RenderRequest } from './types';
import { renderYealinkBootstrap, renderYealinkCommon, renderYealinkPhone } from './yealink';

export interface ProvisioningRenderer {
  /** Renders one provisioning file. Throws PhoneConfigError for unsafe input, TemplateError for a broken template. */
  renderFile(request: RenderRequest): RenderedFile;
}

export function createRenderer(templates: ProvisioningTemplates): ProvisioningRenderer {
  return {
    renderFile(request) {
      switch (request.file) {
        case 'polycom-generic-master':
          return renderPolycomGenericMaster();
        case 'polycom-common':
          return renderPolycomCommon(templates, request.profile);
        case 'polycom-master':
          return renderPolycomMaster(request.config, request.profile);
        case 'polycom-phone':
          return renderPolycomPhone(templates, request.config, request.profile, zoneRule);
        case 'polycom-directory':
          return renderPolycomDirectory(request.config, request.profile);
        case 'polycom-bootstrap-master':
          return renderPolycomBootstrapMaster();
        case 'polycom-bootstrap':
          return renderPolycomBootstrap(templates, request.bootstrap);
        case 'yealink-common':
          return renderYealinkCommon(templates, request.profile);
        case 'yealink-phone':
          return renderYealinkPhone(templates, request.config, request.profile, zoneRule);
        case 'yealink-bootstrap':
          return renderYealinkBootstrap(templates, request.bootstrap, request.profile);
      }
    },
  };
}
