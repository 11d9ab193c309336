// timezones.conf: every PBX zone gets a POSIX rule FreeSWITCH can evaluate; rules match the tz database.
import { expect } from 'chai';
import { posixTz, timezonesConf } from '../../../src/freeswitch/generator/timezones';
import { renderConfFile } from '../../../src/freeswitch/generator/xml';
import { parseXmlStrict } from '../../../src/freeswitch/xml-strict';
import { demoSnapshot } from '../../helpers/demo-snapshot';

describe('timezones.conf', () => {
  it('expresses zones as POSIX TZ rules', () => {
    expect(posixTz('America/New_York', 2026)).to.equal('STD5DST,M3.2.0/2,M11.1.0/2');
    expect(posixTz('Europe/Paris', 2026)).to.equal('STD-1DST,M3.5.0/2,M10.5.0/3');
    expect(posixTz('Asia/Kolkata', 2026)).to.equal('STD-5:30');
    expect(posixTz('UTC', 2026)).to.equal('STD0');
    expect(posixTz('Australia/Sydney', 2026)).to.match(/^STD-10DST,M10\.1\.0\/2,M4\.1\.0\/3$/);
  });

  it('lists UTC and each PBX zone once, as well-formed XML', async () => {
    const snap = await demoSnapshot();
    const text = renderConfFile(timezonesConf([snap, snap], 2026), 'test');
    expect(() => parseXmlStrict(text)).to.not.throw();
    expect(text.match(/<zone /g)).to.have.length(2);
    expect(text).to.contain('<zone name="America/New_York" value="STD5DST,M3.2.0/2,M11.1.0/2"/>');
  });
});
