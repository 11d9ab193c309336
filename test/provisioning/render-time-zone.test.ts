// Time zones: IANA zone + reference year -> each vendor's offset and yearly DST rule, computed deterministically.

import { expect } from 'chai';
import { PhoneConfigError, zoneRule } from '../../src/provisioning/render/index';
import { polycomParams, renderer, richConfig, t54w, vvx450, yealinkParams } from './render-fixtures';

/** [zone, Polycom gmtOffset, Polycom start (month/date/dayOfWeek/lastInMonth/time), stop, Yealink zone, start, end, offset] */
const ZONES: [string, string, string | null, string | null, string, string | null, string | null, string | null][] = [
  ['America/New_York', '-18000', '3/8/1/0/2', '11/1/1/0/2', '-5', '3/2/7/2', '11/1/7/2', '60'],
  ['America/Los_Angeles', '-28800', '3/8/1/0/2', '11/1/1/0/2', '-8', '3/2/7/2', '11/1/7/2', '60'],
  ['America/Phoenix', '-25200', null, null, '-7', null, null, null],
  ['America/St_Johns', '-12600', '3/8/1/0/2', '11/1/1/0/2', '-3:30', '3/2/7/2', '11/1/7/2', '60'],
  ['Europe/Paris', '3600', '3/1/1/1/2', '10/1/1/1/3', '+1', '3/5/7/2', '10/5/7/3', '60'],
  ['Europe/London', '0', '3/1/1/1/1', '10/1/1/1/2', '+0', '3/5/7/1', '10/5/7/2', '60'],
  ['Australia/Sydney', '36000', '10/1/1/0/2', '4/1/1/0/3', '+10', '10/1/7/2', '4/1/7/3', '60'],
  ['Asia/Kolkata', '19800', null, null, '+5:30', null, null, null],
  ['UTC', '0', null, null, '+0', null, null, null],
];

function polycomTime(timeZone: string) {
  const config = richConfig(vvx450, '0004f2a1b2c3');
  config.time.timeZone = timeZone;
  return polycomParams(renderer.renderFile({ file: 'polycom-phone', config, profile: vvx450 }).body);
}
function yealinkTime(timeZone: string) {
  const config = richConfig(t54w, '805ec0123456');
  config.time.timeZone = timeZone;
  return yealinkParams(renderer.renderFile({ file: 'yealink-phone', config, profile: t54w }).body);
}
const dst = (p: Map<string, string>, edge: 'start' | 'stop') =>
  ['month', 'date', 'dayOfWeek', 'dayOfWeek.lastInMonth', 'time']
    .map((f) => p.get(`tcpIpApp.sntp.daylightSavings.${edge}.${f}`))
    .join('/');

describe('provisioning render: time zones', () => {
  for (const [zone, gmt, pStart, pStop, yZone, yStart, yEnd, yOffset] of ZONES) {
    it(`${zone}: Polycom gmtOffset ${gmt}, DST ${pStart ?? 'off'}`, () => {
      const p = polycomTime(zone);
      expect(p.get('tcpIpApp.sntp.gmtOffset')).to.equal(gmt);
      expect(p.get('tcpIpApp.sntp.daylightSavings.enable')).to.equal(pStart ? '1' : '0');
      if (pStart) {
        expect(p.get('tcpIpApp.sntp.daylightSavings.fixedDayEnable')).to.equal('0');
        expect(dst(p, 'start')).to.equal(pStart);
        expect(dst(p, 'stop')).to.equal(pStop);
      }
    });

    it(`${zone}: Yealink time_zone ${yZone}, DST ${yStart ?? 'off'}`, () => {
      const y = yealinkTime(zone);
      expect(y.get('local_time.time_zone')).to.equal(yZone);
      expect(y.get('local_time.summer_time')).to.equal(yStart ? '1' : '0');
      expect(y.get('local_time.start_time')).to.equal(yStart ?? undefined);
      expect(y.get('local_time.end_time')).to.equal(yEnd ?? undefined);
      expect(y.get('local_time.offset_time')).to.equal(yOffset ?? undefined);
    });
  }

  it("names only the zones in Yealink's list (time-zone-names.json), never an invented name", () => {
    expect(yealinkTime('America/Chicago').get('local_time.time_zone_name')).to.equal('United States-Central Time');
    expect(yealinkTime('Europe/Paris').has('local_time.time_zone_name')).to.equal(false);
  });

  it('depends on the reference year passed in, not on the clock; weekday rules are stable across years', () => {
    expect(zoneRule('America/New_York', 2026)).to.deep.equal(zoneRule('America/New_York', 2026));
    const a = zoneRule('America/New_York', 2026).dst;
    const b = zoneRule('America/New_York', 2031).dst;
    expect({ ...a?.start, day: 0 }).to.deep.equal({ ...b?.start, day: 0 });
    expect(a?.start.day).to.equal(8);
    expect(b?.start.day).to.equal(9);
  });

  it('refuses an unknown zone with a field error', () => {
    const config = richConfig(vvx450, '0004f2a1b2c3');
    config.time.timeZone = 'Mars/Olympus_Mons';
    expect(() => renderer.renderFile({ file: 'polycom-phone', config, profile: vvx450 }))
      .to.throw(PhoneConfigError)
      .with.property('fields')
      .that.has.property('time.timeZone');
  });

  it('gives zones with more than two changes a fixed offset and says so (Casablanca 2013: DST paused for Ramadan)', () => {
    expect(zoneRule('Africa/Casablanca', 2013)).to.deep.equal({
      standardOffsetMinutes: 0,
      dst: null,
      note: 'Africa/Casablanca changes offset 4 time(s) in 2013; phones get a fixed offset',
    });
    const config = richConfig(vvx450, '0004f2a1b2c3');
    config.time = { ...config.time, timeZone: 'Africa/Casablanca', referenceYear: 2013 };
    const result = renderer.renderFile({ file: 'polycom-phone', config, profile: vvx450 });
    expect(result.omitted).to.include('Africa/Casablanca changes offset 4 time(s) in 2013; phones get a fixed offset');
    expect(polycomParams(result.body).get('tcpIpApp.sntp.daylightSavings.enable')).to.equal('0');
  });
});
