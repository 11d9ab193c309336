// The miss limiter shared by the cluster's processes, wired through the real Hub and ChildLinks in one process (the
// IPC channel replaced by direct calls, delivered on later turns as IPC would): a guesser is throttled after the same
// number of misses whichever worker answers, and a refusal is sent only once every worker counted it.
import { expect } from 'chai';
import { ChildLink } from '../../src/cluster/child';
import { Hub, type Peer } from '../../src/cluster/hub';
import type { Message } from '../../src/cluster/ipc';
import type { SharedMissLimiter } from '../../src/cluster/shared-limiter';
import { MissLimiter } from '../../src/provisioning/miss-limiter';
import { Metrics } from '../../src/servers/metrics';

interface World {
  hub: Hub;
  workers: SharedMissLimiter[];
  /** Messages delivered so far, and a switch to hold deliveries to one worker. */
  delivered: number;
  hold: Set<number>;
  release(id: number): void;
}

function world(count: number, limits = { perMinute: 5 }): World {
  const hub = new Hub(new MissLimiter(limits), new Metrics('primary'));
  const held = new Map<number, Message[]>();
  const w: World = {
    hub,
    workers: [],
    delivered: 0,
    hold: new Set(),
    release(id) {
      this.hold.delete(id);
      for (const m of held.get(id) ?? []) links[id - 1]?.receive(m);
      held.delete(id);
    },
  };
  const links: ChildLink[] = [];
  for (let id = 1; id <= count; id++) {
    const peer: Peer = {
      id,
      role: 'http',
      // primary -> worker, on a later turn (an IPC message is never handled in the sender's turn).
      send: (m) =>
        setImmediate(() => {
          w.delivered++;
          if (w.hold.has(id)) held.set(id, [...(held.get(id) ?? []), m]);
          else links[id - 1]?.receive(m);
        }),
    };
    const link = new ChildLink({
      // worker -> primary
      send: (m) => setImmediate(() => hub.receive(peer, m)),
      metrics: new Metrics(`worker-${id}`),
      onStop: () => {},
    });
    links.push(link);
    hub.add(peer);
    w.workers.push(link.sharedLimiter(new MissLimiter(limits)));
  }
  return w;
}

describe('cluster: shared miss limiter', () => {
  const ip = '198.51.100.7';
  const t0 = 1_000_000;

  it('throttles a guesser after the same number of misses, whichever worker answers each try', async () => {
    const { workers } = world(3);
    // Five tokens per address: the guesser's tries go round the workers, each waiting for its answer.
    for (let i = 0; i < 5; i++) {
      const answering = workers[i % 3] as SharedMissLimiter;
      expect(answering.isLimited(ip, t0 + i), `try ${i + 1}`).to.equal(false);
      await answering.recordMiss(ip, t0 + i);
    }
    for (const w of workers) expect(w.isLimited(ip, t0 + 5)).to.equal(true);
  });

  it('resolves a miss only once every other worker applied it', async () => {
    const w = world(2);
    w.hold.add(2);
    let counted = false;
    const miss = (w.workers[0] as SharedMissLimiter).recordMiss(ip, t0);
    void Promise.resolve(miss).then(() => {
      counted = true;
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(counted, 'answered before worker 2 had the miss').to.equal(false);
    w.release(2);
    await miss;
    expect(counted).to.equal(true);
  });

  it("counts the primary's own misses (TFTP) in every worker", async () => {
    const w = world(2, { perMinute: 1 });
    await w.hub.limiter.recordMiss(ip, t0);
    for (const l of w.workers) expect(l.isLimited(ip, t0 + 1)).to.equal(true);
  });

  it('passes a settled challenge on: the token comes back in every worker', async () => {
    const w = world(2, { perMinute: 1 });
    const [a, b] = w.workers as [SharedMissLimiter, SharedMissLimiter];
    await a.recordMiss(ip, t0, { mac: '0004f2000001', answered: false });
    expect(b.isLimited(ip, t0 + 1)).to.equal(true);
    expect(b.awaitsAnswer(ip, '0004f2000001', t0 + 1)).to.equal(true);
    b.settle(ip, '0004f2000001', t0 + 2);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(a.isLimited(ip, t0 + 3)).to.equal(false);
    expect(b.isLimited(ip, t0 + 3)).to.equal(false);
    expect(a.awaitsAnswer(ip, '0004f2000001', t0 + 3)).to.equal(false);
  });

  it('does not wait for a worker that went away', async () => {
    const w = world(2);
    w.hold.add(2);
    const miss = (w.workers[0] as SharedMissLimiter).recordMiss(ip, t0);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    w.hub.remove(2);
    await miss;
  });

  it('sends nothing for allow-listed addresses', async () => {
    const w = world(2, { perMinute: 1, allow: ['10.0.0.0/8'] } as never);
    const before = w.delivered;
    expect((w.workers[0] as SharedMissLimiter).recordMiss('10.1.2.3', t0)).to.equal(undefined);
    await new Promise((r) => setImmediate(r));
    expect(w.delivered).to.equal(before);
  });
});
