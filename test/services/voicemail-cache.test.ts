// ListCache (one vm_list per mailbox per moment): fresh copies are shared, concurrent readers share one fetch, a
// dropped copy is never served, and an expired copy is served for a bounded while only as a fresh one is fetched.
import { expect } from 'chai';
import { ListCache } from '../../src/services/voicemail-cache';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('voicemail list cache', () => {
  let clock: number;
  let fetches: Array<{ key: string; answer: ReturnType<typeof deferred<string>> }>;
  let cache: ListCache<string>;
  const tick = () => new Promise((r) => setImmediate(r));

  beforeEach(() => {
    clock = 1_000_000;
    fetches = [];
    cache = new ListCache(
      (key) => {
        const answer = deferred<string>();
        fetches.push({ key, answer });
        return answer.promise;
      },
      { ttlMs: 2000, staleMs: 10_000, now: () => clock, random: () => 0 },
    );
  });

  it('shares one fetch between concurrent readers, then serves the copy while it is fresh', async () => {
    const a = cache.get('101@d');
    const b = cache.get('101@d');
    await tick();
    expect(fetches).to.have.length(1);
    fetches[0]!.answer.resolve('v1');
    expect(await a).to.equal('v1');
    expect(await b).to.equal('v1');
    clock += 1999;
    expect(await cache.get('101@d')).to.equal('v1');
    expect(fetches).to.have.length(1);
  });

  it('serves an expired copy at once while one fresh fetch runs behind it, then the fresh one', async () => {
    const first = cache.get('101@d');
    fetches[0]!.answer.resolve('v1');
    await first;
    clock += 2500;
    expect(await cache.get('101@d')).to.equal('v1');
    expect(await cache.get('101@d')).to.equal('v1');
    expect(fetches, 'one refresh for both readers').to.have.length(2);
    fetches[1]!.answer.resolve('v2');
    await tick();
    expect(await cache.get('101@d')).to.equal('v2');
    expect(fetches).to.have.length(2);
  });

  it('waits for a fresh list once the copy is older than ttl + stale', async () => {
    const first = cache.get('101@d');
    fetches[0]!.answer.resolve('v1');
    await first;
    clock += 12_000;
    const reader = cache.get('101@d');
    let settled = false;
    void reader.then(() => {
      settled = true;
    });
    await tick();
    expect(settled, 'a 12 s old copy is not served').to.equal(false);
    fetches[1]!.answer.resolve('v2');
    expect(await reader).to.equal('v2');
  });

  it('never serves a dropped copy, nor keeps a fetch that started before the drop', async () => {
    const first = cache.get('101@d');
    fetches[0]!.answer.resolve('v1');
    await first;
    clock += 2500;
    expect(await cache.get('101@d')).to.equal('v1'); // refresh #2 starts
    cache.invalidate('101@d'); // e.g. MESSAGE_WAITING, or our own delete
    const after = cache.get('101@d');
    expect(fetches).to.have.length(3);
    fetches[1]!.answer.resolve('before the change');
    fetches[2]!.answer.resolve('after the change');
    expect(await after).to.equal('after the change');
    await tick();
    expect(await cache.get('101@d')).to.equal('after the change');
  });

  it('a failed refresh leaves the stale copy until it is too old, then readers see the failure', async () => {
    const first = cache.get('101@d');
    fetches[0]!.answer.resolve('v1');
    await first;
    clock += 2500;
    expect(await cache.get('101@d')).to.equal('v1');
    fetches[1]!.answer.reject(new Error('FreeSWITCH gone'));
    await tick();
    expect(await cache.get('101@d')).to.equal('v1'); // still within ttl + stale: tries again behind it
    expect(fetches).to.have.length(3);
    fetches[2]!.answer.reject(new Error('FreeSWITCH gone'));
    await tick();
    clock += 10_000;
    const late = cache.get('101@d');
    fetches[3]!.answer.reject(new Error('FreeSWITCH gone'));
    let error: unknown;
    await late.catch((e) => {
      error = e;
    });
    expect((error as Error).message).to.equal('FreeSWITCH gone');
  });

  it('shortens a copy’s ttl by at most half (random() = 1), so lists fetched together expire apart', async () => {
    let calls = 0;
    const counting = new ListCache(
      async (key) => {
        calls++;
        return key;
      },
      { ttlMs: 2000, staleMs: 0, now: () => clock, random: () => 1 },
    );
    await counting.get('x');
    clock += 999;
    await counting.get('x');
    expect(calls, 'a copy lives at least half the ttl').to.equal(1);
    clock += 1;
    await counting.get('x');
    expect(calls).to.equal(2);
  });
});
