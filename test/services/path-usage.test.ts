// Path Usage: the sweep against hand-computed cases (overlaps at the same second, a call ending as another starts,
// calls already up when the window opens), then on both engines the zoom levels over real rows of a Chicago PBX,
// including the 23-hour 8 March 2026, a call from the previous evening and one longer than a day.
import { expect } from 'chai';
import { maxConcurrency } from '../../src/services/activity/path-usage';
import type { Actor } from '../../src/services/actor';
import { SYSTEM } from '../../src/services/actor';
import { callRow, incoming, insertCalls, outgoing } from '../helpers/call-rows';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';
import { expectForbidden } from './support';

const sweep = (calls: Array<[number, number]>, bounds: number[]) =>
  maxConcurrency(Float64Array.from(calls.map((c) => c[0])), Float64Array.from(calls.map((c) => c[1])), bounds);

describe('Path Usage sweep', () => {
  it('counts calls starting at the same second together, and one ending as another starts apart', () => {
    const r = sweep(
      [
        [10, 20],
        [10, 30],
        [20, 25], // starts when the first ends: 2 up, not 3
        [40, 41],
      ],
      [0, 15, 35, 50],
    );
    expect(r.max).to.deep.equal([2, 2, 1]);
    expect(r.peak).to.deep.equal({ value: 2, at: 10 });
  });

  it('counts calls already up when a bucket (or the window) opens, and none that ended at its first instant', () => {
    const r = sweep(
      [
        [-100, 5],
        [-50, 0], // ended exactly as the window opens
        [-10, 100],
      ],
      [0, 10, 20],
    );
    expect(r.max).to.deep.equal([2, 1]);
    expect(r.peak).to.deep.equal({ value: 2, at: 0 });
    expect(sweep([], [0, 10]).peak).to.deep.equal({ value: 0, at: null });
  });
});

forEachEngine('Path Usage', (engine) => {
  let w: TestWorld;
  let pbxId: number;
  before(async () => {
    w = await openWorld(engine);
    const made = await makePbx(w.services, 'paths');
    pbxId = made.pbx.id;
    await w.services.pbx.update(SYSTEM, pbxId, { prepaidPaths: 4, onDemandPaths: 2 });
    await insertCalls(w.orm, [
      // From 7 March 23:00 CST to 8 March 00:30 CST: up when 8 March opens.
      incoming(pbxId, '2026-03-08T05:00:00Z', { seconds: 5400 }),
      // Two calls at 01:59:00 CST for 2 minutes: they cross the DST jump (to 03:01 CDT).
      incoming(pbxId, '2026-03-08T07:59:00Z', { seconds: 120 }),
      outgoing(pbxId, '2026-03-08T07:59:00Z', { seconds: 120 }),
      // A third starting at 03:00:00 CDT: three up at once.
      outgoing(pbxId, '2026-03-08T08:00:00Z', { seconds: 30 }),
      // Internal calls use no path.
      callRow(pbxId, { at: '2026-03-08T07:59:30Z', seconds: 60 }),
      // Two days and more: started 6 March, ends 8 March 10:00 CDT (found through the duration index).
      outgoing(pbxId, '2026-03-06T12:00:00Z', { seconds: 50 * 3600 + 3600 }),
    ]);
  });
  after(() => w?.close());

  const usage = (q: Record<string, unknown>, actor: Actor = SYSTEM) => w.services.activity.pathUsage(actor, pbxId, q);

  it('day by minute: 1,380 minutes on 8 March, calls from before the window counted, the peak marked', async () => {
    const u = await usage({ zoom: 'day', start: '2026-03-08' });
    expect(u.paths).to.deep.equal({ prepaid: 4, onDemand: 2, total: 6 });
    expect(u.buckets).to.have.length(23 * 60);
    const at = (label: string) => u.buckets.find((b) => b.label === label)?.max;
    expect(at('00:00')).to.equal(2); // the evening call and the two-day call
    expect(at('00:29')).to.equal(2);
    expect(at('00:30')).to.equal(1);
    expect(at('01:58')).to.equal(1);
    expect(at('01:59')).to.equal(3);
    expect(u.buckets.some((b) => b.label.startsWith('02:'))).to.equal(false);
    expect(at('03:00')).to.equal(4);
    expect(at('03:01')).to.equal(1);
    expect(at('10:00')).to.equal(0);
    expect(u.peak).to.deep.equal({ value: 4, at: '2026-03-08T03:00:00-05:00' });
    expect(u.series.max).to.have.length(1380);
  });

  it('week by hour and month by day: the maximum of each bucket', async () => {
    const week = await usage({ zoom: 'week', start: '2026-03-05' });
    expect(week.buckets).to.have.length(7 * 24 - 1);
    const hour = (label: string) => week.buckets.find((b) => b.label === label)?.max;
    expect(hour('2026-03-06 05:00')).to.equal(0);
    expect(hour('2026-03-06 06:00')).to.equal(1);
    expect(hour('2026-03-08 01:00')).to.equal(3);
    expect(hour('2026-03-08 03:00')).to.equal(4);
    expect(hour('2026-03-08 10:00')).to.equal(0);
    const month = await usage({ zoom: 'month', start: '2026-03-01' });
    expect(month.buckets.map((b) => b.max)).to.have.length(31);
    expect(month.buckets.slice(4, 9).map((b) => [b.label, b.max])).to.deep.equal([
      ['2026-03-05', 0],
      ['2026-03-06', 1],
      ['2026-03-07', 2],
      ['2026-03-08', 4],
      ['2026-03-09', 0],
    ]);
    expect(month.peak.value).to.equal(4);
  });

  it('is for administrators: an employee is refused', async () => {
    await expectForbidden(
      usage({}, { kind: 'user', userId: 1, pbxId, type: 'employee', extensionId: null, permissions: ['activity'] }),
    );
  });
});
