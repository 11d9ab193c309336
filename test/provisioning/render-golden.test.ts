// Golden-file tests: every provisioning file for a VVX 450 and a T54W, rich and minimal, byte for byte.
// UPDATE_GOLDEN=1 npx mocha test/provisioning/render-golden.test.ts rewrites them; reviewers read the diff.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  POLYCOM_BOOTSTRAP,
  POLYCOM_GENERIC_COMMON,
  POLYCOM_GENERIC_MASTER,
  polycomFileNames,
  type RenderRequest,
  yealinkFileNames,
} from '../../src/provisioning/render/index';
import { minimalConfig, renderer, richConfig, t54w, vvx450, xmlRoot } from './render-fixtures';

const GOLDEN = fileURLToPath(new URL('./golden', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const BOOTSTRAP = { provisioningBaseUrl: 'https://prov.dialtone.test/p' };

const POLY_RICH = '0004f2a1b2c3';
const POLY_MIN = '0004f2a1b2c4';
const YEA_RICH = '805ec0123456';
const YEA_MIN = '805ec0123457';

/** golden path (relative) -> request */
function cases(): [string, RenderRequest][] {
  const list: [string, RenderRequest][] = [
    [`polycom/generic/${POLYCOM_GENERIC_MASTER}`, { file: 'polycom-generic-master' }],
    [`polycom/generic/${POLYCOM_GENERIC_COMMON}`, { file: 'polycom-common', profile: null }],
    [`polycom/bootstrap/${POLYCOM_GENERIC_MASTER}`, { file: 'polycom-bootstrap-master' }],
    [`polycom/bootstrap/${POLYCOM_BOOTSTRAP}`, { file: 'polycom-bootstrap', bootstrap: BOOTSTRAP }],
    [`polycom/${vvx450.id}/${polycomFileNames(POLY_RICH, vvx450).common}`, { file: 'polycom-common', profile: vvx450 }],
    [`yealink/${t54w.id}/${yealinkFileNames(YEA_RICH, t54w).common}`, { file: 'yealink-common', profile: t54w }],
    [
      `yealink/${t54w.id}/bootstrap/${yealinkFileNames(YEA_RICH, t54w).common}`,
      { file: 'yealink-bootstrap', bootstrap: BOOTSTRAP, profile: t54w },
    ],
  ];
  for (const [variant, mac, config] of [
    ['rich', POLY_RICH, richConfig(vvx450, POLY_RICH)],
    ['minimal', POLY_MIN, minimalConfig(vvx450, POLY_MIN)],
  ] as const) {
    const names = polycomFileNames(mac, vvx450);
    list.push([`polycom/${vvx450.id}/${variant}/${names.master}`, { file: 'polycom-master', config, profile: vvx450 }]);
    list.push([`polycom/${vvx450.id}/${variant}/${names.phone}`, { file: 'polycom-phone', config, profile: vvx450 }]);
    list.push([
      `polycom/${vvx450.id}/${variant}/${names.directory}`,
      { file: 'polycom-directory', config, profile: vvx450 },
    ]);
  }
  for (const [variant, mac, config] of [
    ['rich', YEA_RICH, richConfig(t54w, YEA_RICH)],
    ['minimal', YEA_MIN, minimalConfig(t54w, YEA_MIN)],
  ] as const) {
    list.push([
      `yealink/${t54w.id}/${variant}/${yealinkFileNames(mac, t54w).phone}`,
      { file: 'yealink-phone', config, profile: t54w },
    ]);
  }
  return list;
}

describe('provisioning render: golden files', () => {
  for (const [path, request] of cases()) {
    it(`${path} matches its golden file`, () => {
      const { body } = renderer.renderFile(request);
      const file = join(GOLDEN, path);
      if (UPDATE) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, body);
      }
      let golden: string;
      try {
        golden = readFileSync(file, 'utf8');
      } catch {
        throw new Error(
          `missing golden file ${path}: run UPDATE_GOLDEN=1 npx mocha test/provisioning/render-golden.test.ts`,
        );
      }
      expect(body).to.equal(golden);
    });
  }

  it('renders byte-identical output twice (no clock, no randomness)', () => {
    for (const [, request] of cases())
      expect(renderer.renderFile(request).body).to.equal(renderer.renderFile(request).body);
  });

  it('every Polycom file is well-formed XML with the expected root', () => {
    for (const [path, request] of cases()) {
      if (!path.startsWith('polycom/')) continue;
      const root = xmlRoot(renderer.renderFile(request).body);
      const expected = request.file.endsWith('master')
        ? 'APPLICATION'
        : request.file === 'polycom-directory'
          ? 'directory'
          : 'polycomConfig';
      expect(root.nodeName, path).to.equal(expected);
    }
  });

  it('every Yealink file starts with the version line and is only `name = value` lines', () => {
    for (const [path, request] of cases()) {
      if (!path.startsWith('yealink/')) continue;
      const [first, ...rest] = renderer.renderFile(request).body.split('\n');
      expect(first, path).to.equal('#!version:1.0.0.1');
      for (const line of rest.filter((l) => l !== '')) expect(line, path).to.match(/^[A-Za-z0-9_.-]+ = [^\r\n]*$/);
    }
  });

  it('flags exactly the per-phone files as holding secrets, with the matching content types', () => {
    for (const [path, request] of cases()) {
      const result = renderer.renderFile(request);
      expect(result.containsSecrets, path).to.equal(
        request.file === 'polycom-phone' || request.file === 'yealink-phone',
      );
      expect(result.contentType, path).to.equal(
        path.startsWith('polycom/') ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8',
      );
    }
  });

  it('keeps every secret out of files not flagged as secret', () => {
    const secrets = ['Xk4r9Qz2Lm7w', 'Pq8s3Vn6Rt1y', '7391', 'secret100', '4826'];
    for (const [path, request] of cases()) {
      const result = renderer.renderFile(request);
      if (result.containsSecrets) continue;
      for (const secret of secrets) expect(result.body, `${path} leaks ${secret}`).not.to.contain(secret);
    }
  });

  it('keeps tenant data out of the shared common and bootstrap files', () => {
    for (const [path, request] of cases()) {
      if (
        !(
          request.file.endsWith('common') ||
          request.file.includes('bootstrap') ||
          request.file === 'polycom-generic-master'
        )
      )
        continue;
      const { body } = renderer.renderFile(request);
      expect(body, path).not.to.contain('acme.pbx.test');
      expect(body, path).not.to.contain('apps.dialtone.test');
    }
  });
});
