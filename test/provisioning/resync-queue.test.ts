// Staggered check-sync: batches of a few phones per tick, duplicates folded, failures retried a bounded number of times.
import { expect } from 'chai';
import { RecordingFreeswitchControl } from '../../src/freeswitch/event-socket/recording-freeswitch-control';
import { ResyncQueue, type ResyncTarget } from '../../src/provisioning/resync-queue';

const phones = (n: number): ResyncTarget[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `0004f2${String(i).padStart(6, '0')}`,
    user: String(100 + i),
    domain: 'acme.test',
  }));

describe('ResyncQueue', () => {
  it('tells at most perTick phones per tick and never all at once', async () => {
    const fs = new RecordingFreeswitchControl();
    const timers: Array<() => void> = [];
    const q = new ResyncQueue({
      send: (t) => fs.checkSync(t.user, t.domain),
      perTick: 3,
      setTimer: (fn) => {
        timers.push(fn);
        return {};
      },
    });
    expect(q.enqueue(phones(10))).to.equal(10);
    expect(fs.calls).to.have.length(0);
    const sizes: number[] = [];
    for (let i = 0; i < 10 && q.pending; i++) {
      const before = q.sent.length;
      await q.tick();
      sizes.push(q.sent.length - before);
    }
    expect(sizes).to.deep.equal([3, 3, 3, 1]);
    expect(fs.calls.map((c) => c.command)).to.include('sofia profile internal check_sync 100@acme.test');
  });

  it('folds a device queued twice into one check-sync', async () => {
    const sent: string[] = [];
    const q = new ResyncQueue({ send: async (t) => void sent.push(t.key), setTimer: () => ({}) });
    q.enqueue(phones(2));
    expect(q.enqueue(phones(2))).to.equal(0);
    await q.tick();
    expect(sent).to.have.length(2);
  });

  it('retries a failing phone up to maxAttempts, then logs and drops it', async () => {
    let calls = 0;
    const logged: string[] = [];
    const q = new ResyncQueue({
      send: async () => {
        calls++;
        throw new Error('event socket down');
      },
      maxAttempts: 3,
      setTimer: () => ({}),
      log: (msg) => logged.push(msg),
    });
    q.enqueue(phones(1));
    for (let i = 0; i < 5; i++) await q.tick();
    expect(calls).to.equal(3);
    expect(q.pending).to.equal(0);
    expect(logged).to.deep.equal(['check-sync failed']);
  });
});
