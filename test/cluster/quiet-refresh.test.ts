// QuietRefresh: the work runs at start, then once after each burst of events goes quiet, never twice at a time.
import { expect } from 'chai';
import { QuietRefresh } from '../../src/cluster/quiet-refresh';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('QuietRefresh', () => {
  it('runs at start, then once a burst has been quiet for its delay; nothing before start', async () => {
    let runs = 0;
    const q = new QuietRefresh(30, () => {});
    q.schedule(); // before start: no work to run
    await sleep(50);
    q.start(async () => {
      runs++;
    });
    await q.idle();
    expect(runs).to.equal(1);
    for (let i = 0; i < 5; i++) {
      q.schedule();
      await sleep(5);
    }
    expect(runs).to.equal(1);
    await sleep(60);
    await q.idle();
    expect(runs).to.equal(2);
  });

  it('can wait for quiet before its first run: a burst that begins meanwhile postpones it to its end', async () => {
    let runs = 0;
    const q = new QuietRefresh(20, () => {});
    q.start(async () => {
      runs++;
    }, 40);
    for (let i = 0; i < 4; i++) {
      await sleep(15);
      q.schedule();
    }
    expect(runs).to.equal(0);
    await sleep(50);
    await q.idle();
    expect(runs).to.equal(1);
  });

  it('never runs twice at once: a burst during a run gets one run after it; errors are reported, not thrown', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const q = new QuietRefresh(1, (err) => errors.push(err));
    q.start(async () => {
      active++;
      most = Math.max(most, active);
      runs++;
      await sleep(40);
      active--;
      if (runs === 1) throw new Error('first run fails');
    });
    q.schedule();
    await sleep(10);
    q.schedule();
    await sleep(10);
    await q.idle();
    await sleep(5);
    await q.idle();
    expect(most).to.equal(1);
    expect(runs).to.equal(2);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['first run fails']);
  });
});
