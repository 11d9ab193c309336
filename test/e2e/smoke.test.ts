import { expect } from 'chai';
import { PbxUnderTest } from './support/pbx-under-test';

describe('e2e smoke', function () {
  this.timeout(60000);
  let t: PbxUnderTest;
  before(async () => {
    t = await PbxUnderTest.start({
      mode: 'static',
      setup: async (b) => {
        await b.extension('201');
        await b.extension('202');
      },
    });
  });
  after(async () => t?.stop());

  it('starts clean and connects a call', async () => {
    console.log(t.startupProblems());
    const p202 = await t.phone('202');
    const r = await t.call({ from: '201', to: '202' });
    console.log(
      r.status,
      r.apps,
      r.hangupCause,
      r.legs.map((l) => l.name),
    );
    console.log(p202.invites().length);
    expect(r.status).to.equal(200);
  });
});
