// Both ends of a recording by phone agree: every name the generated record flows put in dialtone_recorded is one
// Dialtone imports, and the file they record to is the path Dialtone rebuilds from that name and the call's uuid.
import { expect } from 'chai';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import {
  CALL_UUID_VARIABLE,
  parsePhoneRecording,
  phoneRecordingPath,
  phoneRecordingWhat,
} from '../../src/freeswitch/phone-recording';
import { demoSnapshot } from '../helpers/demo-snapshot';

describe('phone recording names', () => {
  it('round-trips mailbox greetings and attendant announcements, and nothing else', () => {
    for (const what of ['mailbox-12-unavailable', 'mailbox-3-busy', 'mailbox-9000000001-name', 'attendant-4'])
      expect(phoneRecordingWhat(parsePhoneRecording(what)!)).to.equal(what);
    for (const what of ['mailbox-0-busy', 'mailbox-1-Busy', 'mailbox-1-busy ', 'attendant-', 'attendant-1/..', '../x'])
      expect(parsePhoneRecording(what), what).to.equal(null);
  });

  it('every recording the generated dialplan makes is one the import accepts, at the path it rebuilds', async () => {
    const snap = await demoSnapshot();
    const text = [...generate([snap], DEFAULT_OPTIONS).values()].join('\n');
    const pairs = [
      ...text.matchAll(
        /data="dialtone_recorded=([^"]+)"\/>\s*<action application="set" data="dialtone_recorded_file=([^"]+)"/g,
      ),
    ];
    expect(pairs.length).to.be.greaterThan(3);
    for (const [, template, file] of pairs) {
      // $1 is the mailbox id the extension's condition captured.
      const what = template.replace('$1', '27');
      expect(parsePhoneRecording(what), what).to.not.equal(null);
      expect(file.replace('$1', '27')).to.equal(
        phoneRecordingPath(DEFAULT_OPTIONS.audioDir, snap.pbx.context, what, CALL_UUID_VARIABLE),
      );
    }
  });
});
