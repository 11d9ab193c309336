// Record via Phone for auto attendants: the originate the portal's Record button sends, and how the real FreeSWITCH
// reply shapes (+OK <uuid> / -ERR <cause>) are read.
import { expect } from 'chai';
import { RecordingFreeswitchControl } from '../../src/freeswitch/event-socket';
import { recordAttendantByPhone } from '../../src/services/record-by-phone';

describe('record an attendant announcement by phone', () => {
  const call = { extension: '201', domain: 'acme.pbx.test', context: 'acme', attendantId: 7 };

  it('rings the extension into dt_record_attendant_<id> with the auth the generated flow checks', async () => {
    const fs = new RecordingFreeswitchControl().answer(/^originate /, '+OK 0b6c1a62-3c1e-4d6c-9a57-2f1d2c3b4a59\n');
    expect(await recordAttendantByPhone(fs)(call)).to.equal('ringing');
    expect(fs.commands()).to.deep.equal([
      'originate {originate_timeout=30,dialtone_record_auth=attendant_7}user/201@acme.pbx.test dt_record_attendant_7 XML acme',
    ]);
  });

  it('says failed when the phone does not answer or is not registered', async () => {
    const fs = new RecordingFreeswitchControl().answer(/^originate /, '-ERR USER_NOT_REGISTERED\n');
    expect(await recordAttendantByPhone(fs)(call)).to.equal('failed');
  });
});
