// Activity Graph on both engines, against counts done by hand: buckets are the PBX's local days and hours (23 on
// 8 March 2026 in Chicago, 25 on 1 November with two 1 AM buckets), a call belongs to the bucket it started in
// (even when it runs past midnight), internal calls are their own series.
import { expect } from 'chai';
import type { Actor } from '../../src/services/actor';
import { SYSTEM } from '../../src/services/actor';
import { callRow, incoming, insertCalls, outgoing } from '../helpers/call-rows';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';
import { expectInvalid } from './support';

forEachEngine('Activity Graph', (engine) => {
  let w: TestWorld;
  let pbxId: number;
  let employee: Actor;
  before(async () => {
    w = await openWorld(engine);
    const made = await makePbx(w.services, 'graph');
    pbxId = made.pbx.id;
    employee = {
      kind: 'user',
      userId: 7,
      pbxId,
      type: 'employee',
      extensionId: made.ext['201'].id,
      permissions: ['activity'],
    };
    await insertCalls(w.orm, [
      // 7 March, 23:50 CST, 30 minutes: runs past midnight, counts on the 7th.
      incoming(pbxId, '2026-03-08T05:50:00Z', { seconds: 1800, calleeExtension: '201' }),
      // 8 March: 01:10 CST, 01:59:59 CST, then 03:00:00 CDT (the next real second is an hour later on the clock).
      incoming(pbxId, '2026-03-08T07:10:00Z', { calleeExtension: '202' }),
      outgoing(pbxId, '2026-03-08T07:59:59Z', { extensionNumber: '201' }),
      outgoing(pbxId, '2026-03-08T08:00:00Z', { extensionNumber: '202' }),
      callRow(pbxId, { at: '2026-03-08T08:30:00Z' }),
      // 8 March 23:59:59 CDT, and 9 March 00:00:00 CDT.
      incoming(pbxId, '2026-03-09T04:59:59Z'),
      incoming(pbxId, '2026-03-09T05:00:00Z'),
      // 1 November: 01:30 CDT and 01:30 CST, an hour apart.
      incoming(pbxId, '2026-11-01T06:30:00Z'),
      incoming(pbxId, '2026-11-01T07:30:00Z'),
      outgoing(pbxId, '2026-11-01T07:45:00Z'),
    ]);
  });
  after(() => w?.close());

  const graph = (q: Record<string, unknown>, actor: Actor = SYSTEM) => w.services.activity.graph(actor, pbxId, q);

  it('counts calls per local day, a call past midnight on the day it started', async () => {
    const g = await graph({ from: '2026-03-07', to: '2026-03-09' });
    expect(g.buckets.map((b) => [b.label, b.incoming, b.outgoing, b.internal])).to.deep.equal([
      ['2026-03-07', 1, 0, 0],
      ['2026-03-08', 2, 2, 1],
      ['2026-03-09', 1, 0, 0],
    ]);
    expect(g.totals).to.deep.equal({ incoming: 4, outgoing: 2, internal: 1 });
    expect(g.series).to.deep.equal({
      labels: ['2026-03-07', '2026-03-08', '2026-03-09'],
      incoming: [1, 2, 1],
      outgoing: [0, 2, 0],
      internal: [0, 1, 0],
    });
    expect(g.buckets[1].start).to.equal('2026-03-08T00:00:00-06:00');
    expect(g.buckets[2].start).to.equal('2026-03-09T00:00:00-05:00');
  });

  it('gives the spring-forward day 23 hourly buckets, without a 2 AM', async () => {
    const g = await graph({ from: '2026-03-08', to: '2026-03-08', by: 'hour' });
    expect(g.buckets).to.have.length(23);
    expect(g.buckets.slice(0, 4).map((b) => b.label)).to.deep.equal([
      '2026-03-08 00:00',
      '2026-03-08 01:00',
      '2026-03-08 03:00',
      '2026-03-08 04:00',
    ]);
    const nonEmpty = g.buckets.filter((b) => b.incoming + b.outgoing + b.internal > 0);
    expect(nonEmpty.map((b) => [b.label, b.incoming, b.outgoing, b.internal])).to.deep.equal([
      ['2026-03-08 01:00', 1, 1, 0],
      ['2026-03-08 03:00', 0, 1, 1],
      ['2026-03-08 23:00', 1, 0, 0],
    ]);
  });

  it('gives the fall-back day 25 hourly buckets, the second 1 AM labelled with its offset', async () => {
    const g = await graph({ from: '2026-11-01', to: '2026-11-01', by: 'hour' });
    expect(g.buckets).to.have.length(25);
    expect(g.buckets.slice(1, 3).map((b) => [b.label, b.start, b.incoming, b.outgoing])).to.deep.equal([
      ['2026-11-01 01:00', '2026-11-01T01:00:00-05:00', 1, 0],
      ['2026-11-01 01:00 -06:00', '2026-11-01T01:00:00-06:00', 1, 1],
    ]);
  });

  it('filters by type, and shows an employee only the calls of their extension', async () => {
    const g = await graph({ from: '2026-03-07', to: '2026-03-09', direction: 'outgoing' });
    expect(g.totals).to.deep.equal({ incoming: 0, outgoing: 2, internal: 0 });
    const mine = await graph({ from: '2026-03-07', to: '2026-03-09' }, employee);
    expect(mine.totals).to.deep.equal({ incoming: 1, outgoing: 1, internal: 1 });
  });

  it('buckets by local days and hours in a half-hour zone (Asia/Kolkata, +05:30)', async () => {
    const india = await w.services.pbx.create(SYSTEM, { context: 'mumbai', name: 'Mumbai', timezone: 'Asia/Kolkata' });
    await insertCalls(w.orm, [
      incoming(india.id, '2026-03-08T18:29:59Z'), // 23:59:59 on the 8th
      incoming(india.id, '2026-03-08T18:30:00Z'), // 00:00:00 on the 9th
      outgoing(india.id, '2026-03-09T03:45:00Z'), // 09:15 on the 9th
    ]);
    const byDay = await w.services.activity.graph(SYSTEM, india.id, { from: '2026-03-08', to: '2026-03-09' });
    expect(byDay.series).to.deep.include({ incoming: [1, 1], outgoing: [0, 1] });
    const byHour = await w.services.activity.graph(SYSTEM, india.id, {
      from: '2026-03-09',
      to: '2026-03-09',
      by: 'hour',
    });
    expect(byHour.buckets[0]).to.include({ start: '2026-03-09T00:00:00+05:30', incoming: 1 });
    expect(byHour.buckets[9]).to.include({ label: '2026-03-09 09:00', outgoing: 1 });
  });

  it('refuses a range it cannot draw', async () => {
    await expectInvalid(graph({ from: '2026-01-01', to: '2026-12-31', by: 'hour' }), 'to', /92 days/);
    await expectInvalid(graph({ from: '2026-03-09', to: '2026-03-08' }), 'to', /before/);
  });
});
