// The Activity API (GET /api/v1/pbxs/{ctx}/calls, /calls/graph, /calls/path-usage): the page's parameters and rules
// as JSON — filters, keyset pages, 422 per field, an employee's own calls only, another tenant's PBX 404, no token 401.
import { expect } from 'chai';
import { incoming, insertCalls, outgoing } from '../../helpers/call-rows';
import { ENGINES } from '../../helpers/databases';
import { type ApiWorld, openApiWorld } from './api-world';

describe('API: Activity (calls, graph, path usage)', function () {
  this.timeout(120_000);
  let w: ApiWorld;
  const A = '/api/v1/pbxs/pbx_a';

  before(async () => {
    w = await openApiWorld(ENGINES[0]);
    const a = w.fx.a.pbx.id;
    await insertCalls(w.fx.s.orm, [
      incoming(a, '2026-03-02T15:00:00Z', { calleeExtension: '201', seconds: 600 }),
      incoming(a, '2026-03-02T15:05:00Z', { calleeExtension: '202', callerName: 'Colleague Caller' }),
      outgoing(a, '2026-03-02T15:06:00Z', { extensionNumber: '201', seconds: 120 }),
      incoming(w.fx.b.pbx.id, '2026-03-02T15:01:00Z', { calleeExtension: '201', callerName: 'Tenant B Caller' }),
    ]);
  });
  after(async () => w?.close());

  it('searches with the page parameters and pages by keyset', async () => {
    const r = await w.call('GET', `${A}/calls?from=2026-03-01&to=2026-03-31&limit=2`, { token: w.tokens.adminA });
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/application\/json/);
    expect(r.json.calls).to.have.length(2);
    expect(r.json.nextCursor).to.be.a('string');
    expect(r.json.query).to.include({ from: '2026-03-01', to: '2026-03-31', direction: 'both', limit: 2 });
    const next = await w.call('GET', `${A}/calls?from=2026-03-01&to=2026-03-31&limit=2&cursor=${r.json.nextCursor}`, {
      token: w.tokens.adminA,
    });
    expect(next.json.calls).to.have.length(1);
    expect(next.json.nextCursor).to.equal(null);
    const ids = [...r.json.calls, ...next.json.calls].map((c: { id: number }) => c.id);
    expect(new Set(ids).size).to.equal(3);
    const out = await w.call('GET', `${A}/calls?direction=outgoing&extension=201`, { token: w.tokens.adminA });
    expect(out.json.calls.map((c: { direction: string }) => c.direction)).to.deep.equal(['outgoing']);
    expect(JSON.stringify(r.json) + JSON.stringify(next.json)).to.not.include('Tenant B Caller');
  });

  it('answers a bad query with 422 and a message per field', async () => {
    const r = await w.call('GET', `${A}/calls?from=yesterday&direction=sideways`, { token: w.tokens.adminA });
    expect(r.status).to.equal(422);
    expect(r.json.error).to.equal('validation');
    expect(r.json.fields).to.have.keys('from', 'direction');
  });

  it("gives an employee only their own extension's calls, also when asked for another", async () => {
    const r = await w.call('GET', `${A}/calls`, { token: w.tokens.employeeA1 });
    expect(r.status).to.equal(200);
    expect(r.json.calls).to.have.length(2);
    expect(r.text).to.not.include('Colleague Caller');
    const other = await w.call('GET', `${A}/calls?extension=202`, { token: w.tokens.employeeA1 });
    expect(other.json.calls).to.deep.equal([]);
    const g = await w.call('GET', `${A}/calls/graph?from=2026-03-02&to=2026-03-02`, { token: w.tokens.employeeA1 });
    expect(g.json.totals).to.deep.equal({ incoming: 1, outgoing: 1, internal: 0 });
    expect((await w.call('GET', `${A}/calls/path-usage`, { token: w.tokens.employeeA1 })).status).to.equal(403);
  });

  it('serves the graph and path usage numbers as JSON', async () => {
    const g = await w.call('GET', `${A}/calls/graph?from=2026-03-02&to=2026-03-03&by=day`, { token: w.tokens.adminA });
    expect(g.status).to.equal(200);
    expect(g.json.buckets).to.have.length(2);
    expect(g.json.totals).to.deep.equal({ incoming: 2, outgoing: 1, internal: 0 });
    const p = await w.call('GET', `${A}/calls/path-usage?zoom=month&start=2026-03-01`, { token: w.tokens.adminA });
    expect(p.status).to.equal(200);
    expect(p.json.peak.value).to.equal(2);
    expect(p.json.paths).to.have.keys('prepaid', 'onDemand', 'total');
    expect(p.json.buckets).to.have.length(31);
  });

  it("answers another tenant's PBX like a missing one (404) and no token with 401", async () => {
    for (const path of ['/calls', '/calls/graph', '/calls/path-usage']) {
      const r = await w.call('GET', `${A}${path}`, { token: w.tokens.adminB });
      expect(r.status, path).to.equal(404);
      expect(r.text).to.not.include('Colleague Caller');
      expect((await w.call('GET', `${A}${path}`)).status, path).to.equal(401);
      expect((await w.call('GET', `/api/v1/pbxs/nope${path}`, { token: w.tokens.adminA })).status).to.equal(404);
    }
  });
});
