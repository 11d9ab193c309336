// When phones come back for their configuration on their own: never all in one second. Every Polycom and Yealink
// common file spreads the nightly re-provisioning over a window and over days (by MAC), in the vendors' own terms.
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createRenderer, loadProvisioningTemplates } from '../../src/provisioning/render/index';
import { loadFirmwareProfiles } from '../../src/vendors/load-profiles';
import { polycomParams, yealinkParams } from './render-fixtures';

const renderer = createRenderer(loadProvisioningTemplates());
const profiles = loadFirmwareProfiles(fileURLToPath(new URL('../../firmware-profiles', import.meta.url)));
const minutes = (hhmm: string | undefined) => {
  const m = /^(\d\d):(\d\d)$/.exec(hhmm ?? '');
  if (!m) throw new Error(`not HH:MM: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

describe('provisioning render: staggered polling', () => {
  const polycoms = [null, ...profiles.filter((p) => p.vendor === 'polycom')];
  for (const profile of polycoms) {
    it(`Polycom ${profile?.id ?? 'generic common.cfg'}: random mode in 02:00–05:00, on a day the MAC picks`, () => {
      const p = polycomParams(renderer.renderFile({ file: 'polycom-common', profile }).body);
      expect(p.get('prov.polling.enabled')).to.equal('1');
      // `abs` polls at prov.polling.time sharp and ignores timeRandomEnd: every phone at 02:00:00.
      expect(p.get('prov.polling.mode')).to.equal('random');
      // Random mode honours the start/end window only when the period is longer than a day (day chosen by MAC).
      const period = Number(p.get('prov.polling.period'));
      expect(period).to.be.above(86400);
      expect(period % 86400, 'whole days (the phone rounds up)').to.equal(0);
      expect(minutes(p.get('prov.polling.time'))).to.equal(2 * 60);
      expect(minutes(p.get('prov.polling.timeRandomEnd'))).to.equal(5 * 60);
    });
  }

  for (const profile of profiles.filter((p) => p.vendor === 'yealink')) {
    it(`Yealink ${profile.id}: flexible auto provision in 02:00–05:00, on a day the MAC picks`, () => {
      const p = yealinkParams(renderer.renderFile({ file: 'yealink-common', profile }).body);
      expect(p.get('static.auto_provision.flexible.enable')).to.equal('1');
      expect(Number(p.get('static.auto_provision.flexible.interval'))).to.equal(2);
      expect(minutes(p.get('static.auto_provision.flexible.begin_time'))).to.equal(2 * 60);
      expect(minutes(p.get('static.auto_provision.flexible.end_time'))).to.equal(5 * 60);
      // The weekly schedule would add a second, differently timed poll: off.
      expect(p.get('static.auto_provision.weekly.enable')).to.equal('0');
    });
  }
});
