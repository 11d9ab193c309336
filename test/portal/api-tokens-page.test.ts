// Route tests of Settings → API Tokens: create (the token shown once, working against /api/v1 as its user), revoke
// (it stops working), an employee's own tokens only, another user's or tenant's token 404, CSRF refused, names escaped.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { portalWorld } from './world';

describe('portal Settings → API Tokens', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let employee: PortalClient;

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    server = await startPortal(w.services);
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
    employee = new PortalClient(server.url);
    expect((await employee.login('emp@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  const api = (token: string, path = '/api/v1/pbxs/acme/extensions') =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const secretOf = (body: string) => /Your new API token:<\/strong> <code class="copy">([^<]+)</.exec(body)?.[1];

  it('creates a token shown once that acts as its user; revoking it stops it', async () => {
    const revision = (await w.services.pbx.get(SYSTEM, world.acme.pbx.id)).revision;
    const page = await admin.get('/settings/api-tokens');
    expect(page.status).to.equal(200);
    expect(page.body).to.include('You have no API tokens.');
    const a = await admin.post('/settings/api-tokens', { name: 'Q&A export (nightly)' });
    expect(a.status).to.equal(200);
    const secret = secretOf(a.body) as string;
    expect(secret).to.match(/^dt_/);
    expect(a.body).to.include('Q&amp;A export (nightly)').and.not.include('Q&A export');
    const hostile = await admin.post('/settings/api-tokens', { name: '<script>alert(1)</script>' });
    expect(hostile.status).to.equal(422);
    expect(hostile.body)
      .to.include('value="&lt;script&gt;alert(1)&lt;/script&gt;"')
      .and.not.include('<script>alert(1)');
    expect(a.headers.get('set-cookie') ?? '').to.not.include(secret);
    expect((await api(secret)).status).to.equal(200);
    const again = await admin.get('/settings/api-tokens');
    expect(again.body).to.not.include(secret);
    expect(again.body).to.include(`${secret.slice(0, 6)}`);
    const token = (await w.services.apiTokens.list(SYSTEM, world.acme.pbx.id))[0];
    const r = await admin.post(`/settings/api-tokens/${token?.id}/revoke`);
    expect(r.status).to.equal(303);
    expect((await admin.follow(r)).body)
      .to.include('revoked: it no longer works')
      .and.include('Revoked');
    expect((await api(secret)).status).to.equal(401);
    // Tokens are not configuration: FreeSWITCH and phone caches keyed on the PBX revision stay valid.
    expect((await w.services.pbx.get(SYSTEM, world.acme.pbx.id)).revision).to.equal(revision);
  });

  it('an employee manages only their own tokens; others’ answer 404; the token has the employee’s rights', async () => {
    const a = await employee.post('/settings/api-tokens', { name: 'my script' });
    expect(a.status).to.equal(200);
    const secret = secretOf(a.body) as string;
    expect(a.body).to.not.include('Tokens of other users').and.not.include('Q&amp;A');
    // The admin's (revoked) token and another tenant's are "not there" for the employee.
    const admins = (await w.services.apiTokens.list(SYSTEM, world.acme.pbx.id)).find((t) => t.name !== 'my script');
    expect((await employee.post(`/settings/api-tokens/${admins?.id}/revoke`)).status).to.equal(404);
    const other = new PortalClient(server.url);
    await other.login('admin@other.test', PASSWORD);
    const mine = (await w.services.apiTokens.list(SYSTEM, world.acme.pbx.id)).find((t) => t.name === 'my script');
    expect((await other.post(`/settings/api-tokens/${mine?.id}/revoke`)).status).to.equal(404);
    expect((await api(secret)).status).to.equal(200);
    // The administrator sees it under other users and may revoke it.
    expect((await admin.get('/settings/api-tokens')).body)
      .to.include('Tokens of other users')
      .and.include('my script');
    // Without the CSRF token nothing is created.
    const forged = await employee.request('POST', '/settings/api-tokens', { _csrf: 'forged', name: 'x' });
    expect(forged.status).to.equal(403);
    expect((await w.services.apiTokens.list(SYSTEM, world.acme.pbx.id)).length).to.equal(2);
  });

  it('a name that is too long is explained next to the field, nothing created', async () => {
    const a = await admin.post('/settings/api-tokens', { name: 'x'.repeat(60) });
    expect(a.status).to.equal(422);
    expect(a.body).to.include('href="#f-name"');
    expect((await w.services.apiTokens.list(SYSTEM, world.acme.pbx.id)).length).to.equal(2);
  });
});
