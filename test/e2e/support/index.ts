// End-to-end telephony harness: a real FreeSWITCH 1.10 and sipp phones, driven by a PBX built through the service layer.
//
// One FreeSWITCH per test FILE (starting one takes ~3 s), many calls per instance:
//
//   describeE2e('ring groups', { mode: 'static', setup: async (b) => { await b.extension('201'); ... } }, (t) => {
//     it('rings members in turn', async () => {
//       const phone = await t().phone('202', 'ring');           // registers 202, rings without answering
//       const call = await t().call({ from: '201', to: '600' }); // places a call, waits until it is over
//       expect(call.status).to.equal(200);                       // what the caller's SIP got
//       expect(call.ran('bridge', /user\/202@/)).to.equal(true); // what FreeSWITCH executed (event socket)
//       expect(phone.invites()).to.have.length(1);               // what the phone received
//     });
//   });
//
// - mode 'static': the tree `freeswitch export --mode static` writes (nothing asks Dialtone); 'live': a running
//   Dialtone (xml_curl + CDR intake in this process) answers FreeSWITCH's lookups, so service-layer changes made
//   during a test apply to the next call without reloadxml.
// - `setup` runs before FreeSWITCH starts; the builder creates objects (`b.create('groups', {...})`) and extensions
//   with their mailbox (`b.extension('201')`); the PBX has one phone number (b.mainNumber) and an E911 location.
// - A call's result (support/caller.ts): the caller's final SIP status and messages, the applications FreeSWITCH ran
//   on its channel, its variables at hang-up, and the legs it originated. Steps (`{ dtmf: '1#' }`, `{ wait: 2000 }`,
//   `{ speak: true }`) run once the call is answered. `{ from: { trunk: true, number } }` calls in from a carrier.
// - Phones (support/phones.ts) answer, refuse (486) or ring; `t().carrier` is the far end of the PBX's SIP trunks
//   (point them at 127.0.0.1:b.carrierPort). `t().events` holds conference/callcenter/voicemail/parking events,
//   `t().api()` runs FreeSWITCH API commands (vm_list, callcenter_config, ...).
// - Every instance has its own temp dirs and a locked block of ports (support/ports.ts), and is stopped in `after`
//   and by an exit handler. Set DIALTONE_E2E_KEEP=1 to keep its directory (log, conf, sipp traces) for reading.
// - Without freeswitch or sipp installed the suite skips with a message; with CI set it fails instead.
import { expect } from 'chai';
import { telephonyToolsMissing } from './freeswitch';
import { PbxUnderTest, type StartOptions } from './pbx-under-test';

export type { CallResult, Step } from './caller';
export { type PbxBuilder, PbxUnderTest } from './pbx-under-test';
export type { Endpoint, Phone } from './phones';
export { header, nameAndUser, type SipMessage } from './sip-log';

/** A mocha suite with one PbxUnderTest for all its tests: `t()` returns it once started. */
export function describeE2e(title: string, options: StartOptions, body: (t: () => PbxUnderTest) => void): void {
  describe(title, function () {
    this.timeout(120_000);
    let instance: PbxUnderTest | null = null;
    before(async function () {
      const missing = telephonyToolsMissing();
      if (missing) {
        if (process.env.CI) throw new Error(`end-to-end telephony tests need FreeSWITCH and sipp in CI: ${missing}`);
        console.warn(`[e2e] skipped: ${missing}`);
        this.skip();
      }
      instance = await PbxUnderTest.start(options);
    });
    after(async () => {
      await instance?.stop();
      instance = null;
    });
    body(() => {
      if (!instance) throw new Error('PbxUnderTest not started');
      return instance;
    });
    // The export checks the host has every prompt the tree plays; this holds it to that for every call made here
    // (a suite of its own, so it runs after every test of the file, nested suites included).
    describe('after every call', () => {
      it('played no prompt the export did not check the host for', () => {
        expect(instance?.missingPromptsPlayed() ?? []).to.deep.equal([]);
      });
    });
  });
}
