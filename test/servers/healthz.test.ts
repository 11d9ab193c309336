// /healthz in front of the portal: a cluster worker answers it before the portal's code has loaded, the same way the
// portal app does (status, JSON, security headers); everything else passes on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { type Orm, openDatabase } from '../../src/db';
import { healthzListener } from '../../src/servers/healthz';

describe('healthz listener', () => {
  let orm: Orm;
  let server: Server;
  let base: string;
  let passed: string[];

  before(async () => {
    orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
    passed = [];
    server = createServer(
      healthzListener(orm, (req, res) => {
        passed.push(req.url ?? '');
        res.end('next');
      }),
    ).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await orm.close(true);
  });

  it('answers 200 with the database up, with the portal security headers, without calling the next listener', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(await res.json()).to.deep.equal({ status: 'ok', database: 'ok' });
    expect(passed).to.deep.equal([]);
  });

  it('passes every other path and method on', async () => {
    expect(await (await fetch(`${base}/healthzx`)).text()).to.equal('next');
    expect(await (await fetch(`${base}/healthz`, { method: 'POST' })).text()).to.equal('next');
    expect(passed).to.deep.equal(['/healthzx', '/healthz']);
  });

  it('answers 503 when the database does not', async () => {
    const down = await openDatabase({ url: null, sqlitePath: ':memory:' });
    await down.close(true);
    const s = createServer(healthzListener(down, (_req, res) => res.end('next'))).listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/healthz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ status: 'unavailable', database: 'unreachable' });
    } finally {
      s.close();
    }
  });
});
