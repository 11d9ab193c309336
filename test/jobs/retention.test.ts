// The retention jobs on both engines: call records older than each PBX's setting go (in batches), newer ones and other
// PBXs' stay; voicemail retention asks the (injected) voicemail service to purge each mailbox by its own setting.
import { expect } from 'chai';
import { CallRecordSchema } from '../../src/domain/model';
import { callRecordRetentionJob } from '../../src/jobs/call-record-retention';
import { type RetentionMailbox, voicemailRetentionJob } from '../../src/jobs/voicemail-retention';
import { SYSTEM } from '../../src/services/actor';
import { callRow, insertCalls } from '../helpers/call-rows';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';
import { expectInvalid } from '../services/support';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const ctx = () => ({ signal: new AbortController().signal, log: () => {}, slot: new Date(NOW) });

forEachEngine('retention jobs', (engine) => {
  let w: TestWorld;
  let a: Awaited<ReturnType<typeof makePbx>>;
  let b: Awaited<ReturnType<typeof makePbx>>;
  before(async () => {
    w = await openWorld(engine);
    a = await makePbx(w.services, 'keep_a');
    b = await makePbx(w.services, 'keep_b');
  });
  after(() => w?.close());

  it('the PBX setting: a year by default, 1 to 3650 days, refused outside', async () => {
    expect(a.pbx.callRecordRetentionDays).to.equal(365);
    await w.services.pbx.update(SYSTEM, a.pbx.id, { callRecordRetentionDays: 30 });
    await expectInvalid(
      w.services.pbx.update(SYSTEM, a.pbx.id, { callRecordRetentionDays: 0 }),
      'callRecordRetentionDays',
    );
    await expectInvalid(
      w.services.pbx.update(SYSTEM, a.pbx.id, { callRecordRetentionDays: 4000 }),
      'callRecordRetentionDays',
    );
  });

  it('deletes call records past each PBX retention, a batch at a time, and nothing else', async () => {
    const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
    const old = Array.from({ length: 250 }, (_, i) => callRow(a.pbx.id, { at: at(31 + i / 100) }));
    await insertCalls(w.orm, [
      ...old,
      callRow(a.pbx.id, { at: at(29) }),
      callRow(b.pbx.id, { at: at(31) }), // B keeps a year
      callRow(b.pbx.id, { at: at(400) }),
    ]);
    const summary = await callRecordRetentionJob(w.orm, () => NOW, 100).run(ctx());
    expect(summary).to.deep.equal({ pbxs: 2, deleted: 251 });
    const left = await w.orm.em.fork().find(CallRecordSchema, {}, { orderBy: { startedAt: 'asc' } });
    expect(left.map((r) => [r.pbxId, Math.round((NOW - r.startedAt.getTime()) / DAY)])).to.deep.equal([
      [b.pbx.id, 31],
      [a.pbx.id, 29],
    ]);
  });

  it('purges each mailbox by its own retention (1-180 days) and reports a mailbox that failed', async () => {
    const purged: Array<[RetentionMailbox, number]> = [];
    await w.services.objects.update(SYSTEM, a.pbx.id, 'mailboxes', a.ext['201'].mailboxId, { retentionDays: 14 });
    const job = voicemailRetentionJob({
      orm: w.orm,
      purgeOlderThan: async (box, days) => {
        purged.push([box, days]);
        return box.number === '201' ? 2 : 0;
      },
    });
    expect(await job.run(ctx())).to.deep.equal({ mailboxes: 4, deleted: 4 });
    expect(purged.map(([box, days]) => [box.context, box.number, days])).to.deep.equal([
      ['keep_a', '201', 14],
      ['keep_a', '202', 180],
      ['keep_b', '201', 180],
      ['keep_b', '202', 180],
    ]);
    expect(purged[0][0]).to.deep.include({ pbxId: a.pbx.id, domain: a.pbx.domain, mailboxId: a.ext['201'].mailboxId });

    const failing = voicemailRetentionJob({
      orm: w.orm,
      purgeOlderThan: async (box) => {
        if (box.context === 'keep_a' && box.number === '202') throw new Error('event socket down');
        return 1;
      },
    });
    let error: Error | null = null;
    await failing.run(ctx()).catch((e: Error) => {
      error = e;
    });
    expect(String(error)).to.contain(
      '1 of 4 mailboxes not purged (3 messages deleted); first: keep_a/202: event socket down',
    );
  });
});
