// A worker listens before the portal's code has loaded: a portal request in that moment waits for it and is served,
// the code loads once however many ask, and a portal that fails to load ends the process (onFail).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { lazyListener } from '../../src/cluster/lazy-listener';

async function serve(listener: RequestListener): Promise<{ server: Server; base: string }> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('lazy portal listener (cluster worker)', () => {
  it('keeps requests that arrive before the code loaded waiting, then serves them; loads once', async () => {
    let made = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const lazy = lazyListener(
      async () => {
        made++;
        await gate;
        return (req, res) => res.end(`portal ${req.url}`);
      },
      (err) => {
        throw err;
      },
    );
    const { server, base } = await serve(lazy.listener);
    try {
      const early = Promise.all([fetch(`${base}/login`), fetch(`${base}/pbx`)]);
      void lazy.load();
      await new Promise((r) => setTimeout(r, 50));
      release();
      const answers = await Promise.all((await early).map((r) => r.text()));
      expect(answers).to.deep.equal(['portal /login', 'portal /pbx']);
      expect(await (await fetch(`${base}/later`)).text()).to.equal('portal /later');
      expect(made).to.equal(1);
    } finally {
      server.close();
    }
  });

  it('hands a failure to load to onFail (a worker logs it and exits; the primary starts another)', async () => {
    const failures: unknown[] = [];
    const lazy = lazyListener(
      async () => {
        throw new Error('template broken');
      },
      (err) => {
        failures.push(err);
        return new Promise<never>(() => {}) as never;
      },
    );
    void lazy.load();
    await new Promise((r) => setTimeout(r, 10));
    expect(failures.map((e) => (e as Error).message)).to.deep.equal(['template broken']);
  });
});
