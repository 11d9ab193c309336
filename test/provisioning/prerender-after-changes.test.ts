// Re-rendering after changes: a PBX is re-rendered once its revision has stayed still for the quiet period, once per
// revision, never twice at a time; failures are logged and retried on the next pass.
import { expect } from 'chai';
import { type PbxRevision, PrerenderAfterChanges } from '../../src/provisioning/prerender-after-changes';

function world(quietMs = 10_000) {
  let now = 0;
  let rows: PbxRevision[] = [
    { id: 1, revision: 5 },
    { id: 2, revision: 9 },
  ];
  const warmed: number[] = [];
  const logs: string[] = [];
  let failing = false;
  const s = new PrerenderAfterChanges({
    revisions: async () => rows.map((r) => ({ ...r })),
    warm: async (pbxId) => {
      if (failing) throw new Error('database gone');
      warmed.push(pbxId);
      return 10;
    },
    quietMs,
    now: () => now,
    log: (level, msg) => logs.push(`${level} ${msg}`),
  });
  return {
    s,
    warmed,
    logs,
    at: (t: number) => {
      now = t;
    },
    set: (next: PbxRevision[]) => {
      rows = next;
    },
    fail: (f: boolean) => {
      failing = f;
    },
  };
}

describe('PrerenderAfterChanges', () => {
  it('leaves alone what start-up rendered; re-renders a changed PBX once it stayed still, once', async () => {
    const w = world();
    w.s.markWarmed([
      { id: 1, revision: 5 },
      { id: 2, revision: 9 },
    ]);
    expect(await w.s.tick()).to.equal(0);
    w.set([
      { id: 1, revision: 6 },
      { id: 2, revision: 9 },
    ]);
    w.at(1000);
    expect(await w.s.tick()).to.equal(0); // first seen
    w.at(8000);
    expect(await w.s.tick()).to.equal(0); // still within the quiet period
    w.at(11_500);
    expect(await w.s.tick()).to.equal(10);
    expect(w.warmed).to.deep.equal([1]);
    w.at(60_000);
    expect(await w.s.tick()).to.equal(0);
    expect(w.warmed).to.deep.equal([1]);
    expect(w.logs).to.include('info provisioning: phone files re-rendered after changes');
  });

  it('waits while an administrator keeps saving, and renders a PBX it never saw once it is quiet', async () => {
    const w = world();
    for (let i = 0; i < 5; i++) {
      w.set([{ id: 3, revision: 100 + i }]);
      w.at(i * 6000);
      await w.s.tick();
    }
    expect(w.warmed).to.deep.equal([]);
    w.at(4 * 6000 + 10_000);
    await w.s.tick();
    expect(w.warmed).to.deep.equal([3]);
  });

  it('logs a failed render and tries again on the next pass; joins a pass already running', async () => {
    const w = world(0);
    w.set([{ id: 4, revision: 1 }]);
    await w.s.tick();
    w.fail(true);
    await w.s.tick();
    expect(w.warmed).to.deep.equal([]);
    expect(w.logs.some((l) => l.startsWith('warn'))).to.equal(true);
    w.fail(false);
    const [a, b] = [w.s.tick(), w.s.tick()];
    expect(a).to.equal(b);
    expect(await a).to.equal(10);
    expect(w.warmed).to.deep.equal([4]);
  });

  it('stops between PBXs when aborted', async () => {
    const w = world(0);
    await w.s.tick();
    const stop = new AbortController();
    stop.abort();
    expect(await w.s.tick(stop.signal)).to.equal(0);
    expect(w.warmed).to.deep.equal([]);
  });
});
