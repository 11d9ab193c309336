// Contract every firmware profile must meet: all its files render, deterministically, secrets only where flagged,
// well-formed output, and whatever the model cannot do is reported instead of silently written.

import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { polycomFileNames, type RenderRequest, yealinkFileNames } from '../../src/provisioning/render/index';
import { loadFirmwareProfiles } from '../../src/vendors/load-profiles';
import { minimalConfig, polycomParams, renderer, richConfig, xmlRoot, yealinkParams } from './render-fixtures';

const profiles = loadFirmwareProfiles(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));
const SECRETS = ['Xk4r9Qz2Lm7w', 'Pq8s3Vn6Rt1y', '7391', 'secret100', '4826'];

describe('provisioning render: every firmware profile', () => {
  for (const profile of profiles) {
    const mac = profile.vendor === 'polycom' ? '0004f2000001' : '805ec0000001';
    const requests: RenderRequest[] =
      profile.vendor === 'polycom'
        ? [
            { file: 'polycom-common', profile },
            ...[richConfig(profile, mac), minimalConfig(profile, mac)].flatMap(
              (config) =>
                [
                  { file: 'polycom-master', config, profile },
                  { file: 'polycom-phone', config, profile },
                  { file: 'polycom-directory', config, profile },
                ] as RenderRequest[],
            ),
          ]
        : [
            { file: 'yealink-common', profile },
            { file: 'yealink-bootstrap', bootstrap: { provisioningBaseUrl: 'https://prov.dialtone.test/p' }, profile },
            { file: 'yealink-phone', config: richConfig(profile, mac), profile },
            { file: 'yealink-phone', config: minimalConfig(profile, mac), profile },
          ];

    it(`${profile.id}: renders every file deterministically, secrets only in the per-phone file`, () => {
      for (const request of requests) {
        const first = renderer.renderFile(request);
        expect(renderer.renderFile(request).body, request.file).to.equal(first.body);
        if (profile.vendor === 'polycom') xmlRoot(first.body);
        else yealinkParams(first.body);
        if (!first.containsSecrets)
          for (const s of SECRETS) expect(first.body, `${request.file} leaks`).not.to.contain(s);
      }
    });

    it(`${profile.id}: never configures more lines or keys than the model has`, () => {
      if (profile.vendor === 'polycom') {
        const p = polycomParams(
          renderer.renderFile({ file: 'polycom-phone', config: richConfig(profile, mac), profile }).body,
        );
        const regs = [...p.keys()].filter((k) => /^reg\.\d+\.address$/.test(k));
        expect(regs.length).to.be.at.most(profile.lines);
        expect(polycomFileNames(mac, profile).common).to.equal(`common-${profile.id}.cfg`);
      } else {
        const p = yealinkParams(
          renderer.renderFile({ file: 'yealink-phone', config: richConfig(profile, mac), profile }).body,
        );
        const keys = [...p.keys()].filter((k) => /^linekey\.\d+\.type$/.test(k));
        const accounts = [...p.keys()].filter((k) => /^account\.\d+\.enable$/.test(k));
        expect(keys.length).to.equal(profile.lineKeys);
        expect(accounts.length).to.equal(profile.lines);
        expect(yealinkFileNames(mac, profile).common).to.equal(`y${String(profile.modelCode).padStart(12, '0')}.cfg`);
      }
    });
  }
});
