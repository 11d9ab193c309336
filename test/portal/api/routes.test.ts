// Every /api/v1 route over real HTTP: status and body, 422 shape, 401 with WWW-Authenticate for missing, bad, revoked
// and orphaned tokens, tenant and role refusals, body checks (415, 413, 400), paging, 409 with referrers, 405/404.
import { expect } from 'chai';
import { ApiTokenSchema, ExtensionSchema, MailboxSchema } from '../../../src/domain/model';
import { SYSTEM } from '../../../src/services/actor';
import { forEachEngine } from '../../helpers/databases';
import { validInput } from '../../services/fixture';
import { type ApiWorld, openApiWorld } from './api-world';

forEachEngine('API routes', (engine) => {
  let w: ApiWorld;
  before(async function () {
    this.timeout(120_000);
    w = await openApiWorld(engine);
  });
  after(async () => w?.close());

  const A = '/api/v1/pbxs/pbx_a';

  describe('authentication', () => {
    it('answers 401 with WWW-Authenticate: Bearer to a request without a token (or with another scheme)', async function () {
      this.timeout(120_000);
      const variants: Array<Record<string, string>> = [
        {},
        { authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' },
        { cookie: 'session=abc' },
      ];
      for (const headers of variants) {
        const r = await w.call('GET', `${A}/extensions`, { headers });
        expect(r.status).to.equal(401);
        expect(r.headers.get('www-authenticate')).to.equal('Bearer realm="dialtone"');
        expect(r.json).to.deep.include({ error: 'unauthorized' });
      }
    });

    it('answers 401 with error="invalid_token" to an unknown, malformed or revoked token, and when its user is gone', async function () {
      this.timeout(120_000);
      const { token, secret } = await w.fx.s.apiTokens.create(SYSTEM, w.fx.a.pbx.id, w.userIds.adminA, {});
      expect((await w.call('GET', `${A}/extensions`, { token: secret })).status).to.equal(200);
      await w.fx.s.apiTokens.revoke(SYSTEM, w.fx.a.pbx.id, token.id);
      const temp = await w.fx.s.users.create(SYSTEM, w.fx.a.pbx.id, {
        username: 'api-temp@a.test',
        password: 'correct horse battery',
        type: 'admin',
      });
      const orphan = (await w.fx.s.apiTokens.create(SYSTEM, w.fx.a.pbx.id, temp.id, {})).secret;
      await w.fx.s.users.delete(SYSTEM, w.fx.a.pbx.id, temp.id);
      for (const bad of [secret, orphan, `dt_${'x'.repeat(43)}`, 'dt_short', 'not-a-token', `${w.tokens.adminA}x`]) {
        const r = await w.call('GET', `${A}/extensions`, { token: bad });
        expect(r.status, bad).to.equal(401);
        expect(r.headers.get('www-authenticate')).to.equal('Bearer realm="dialtone", error="invalid_token"');
        expect(r.text).to.not.include('extension');
      }
    });

    it('records when a token was last used', async function () {
      this.timeout(120_000);
      await w.call('GET', '/api/v1/me', { token: w.tokens.employeeA2 });
      const row = await w.fx.s.orm.em.fork().findOneOrFail(ApiTokenSchema, { name: 'employeeA2' });
      expect(row.lastUsedAt).to.be.instanceOf(Date);
    });

    it('GET /me says who the token acts as', async function () {
      this.timeout(120_000);
      const r = await w.call('GET', '/api/v1/me', { token: w.tokens.employeeA1 });
      expect(r.status).to.equal(200);
      expect(r.json.user).to.include({
        username: 'api-emp1@a.test',
        type: 'employee',
        extensionId: w.fx.a.ext['201'].id,
      });
      expect(r.json.pbx).to.deep.equal({ id: w.fx.a.pbx.id, context: 'pbx_a', name: w.fx.a.pbx.name });
    });
  });

  describe('the PBX', () => {
    it('GET /pbxs lists only the token’s PBX; GET /pbxs/{context} shows it without PIN or phone admin password', async function () {
      this.timeout(120_000);
      const list = await w.call('GET', '/api/v1/pbxs', { token: w.tokens.adminA });
      expect(list.status).to.equal(200);
      expect(list.json.items.map((p: { context: string }) => p.context)).to.deep.equal(['pbx_a']);
      const one = await w.call('GET', A, { token: w.tokens.adminA });
      expect(one.status).to.equal(200);
      expect(one.json).to.include({ context: 'pbx_a', timezone: 'America/Chicago' });
      expect(one.json).to.not.have.any.keys('pin', 'phoneAdminPassword', 'pbxId');
      expect(one.headers.get('cache-control')).to.equal('no-store');
    });

    it('PATCH changes PBX Info; PIN is write-only; context and operator fields are refused', async function () {
      this.timeout(120_000);
      const r = await w.call('PATCH', A, { token: w.tokens.adminA, body: { parkingTimeout: 300, pin: '80801234' } });
      expect(r.status, r.text).to.equal(200);
      expect(r.json.parkingTimeout).to.equal(300);
      expect(r.json).to.not.have.property('pin');
      const pbxA = await w.fx.s.pbx.byContext('pbx_a');
      expect((await w.fx.s.pbx.revealSecrets(SYSTEM, pbxA.id)).pin).to.equal('80801234');
      const ctx = await w.call('PATCH', A, { token: w.tokens.adminA, body: { context: 'other' } });
      expect(ctx.status).to.equal(422);
      expect(ctx.json.fields).to.deep.equal({ context: 'is read-only' });
      const paths = await w.call('PATCH', A, { token: w.tokens.adminA, body: { prepaidPaths: 999 } });
      expect(paths.status).to.equal(422);
      expect(paths.json.fields.prepaidPaths).to.match(/operator/);
    });

    it('employees cannot read or change the PBX (403); another tenant’s PBX is 404 like a missing one', async function () {
      this.timeout(120_000);
      expect((await w.call('GET', A, { token: w.tokens.employeeA1 })).status).to.equal(403);
      expect((await w.call('PATCH', A, { token: w.tokens.employeeA1, body: { name: 'X' } })).status).to.equal(403);
      const other = await w.call('GET', A, { token: w.tokens.adminB });
      const missing = await w.call('GET', '/api/v1/pbxs/no_such_pbx', { token: w.tokens.adminB });
      expect(other.status).to.equal(404);
      expect(other.json).to.deep.equal(missing.json);
    });
  });

  describe('objects of every kind', () => {
    it('GET lists a page, POST creates (201, Location), GET/PATCH/DELETE one — for a plain kind', async function () {
      this.timeout(120_000);
      const t = { token: w.tokens.adminA };
      const made = await w.call('POST', `${A}/holidays`, { ...t, body: { name: 'Founders Day', date: '2032-05-04' } });
      expect(made.status, made.text).to.equal(201);
      expect(made.json).to.include({ name: 'Founders Day', date: '2032-05-04' });
      expect(made.headers.get('location')).to.equal(`${A}/holidays/${made.json.id}`);
      const got = await w.call('GET', `${A}/holidays/${made.json.id}`, t);
      expect(got.status).to.equal(200);
      expect(got.json).to.deep.equal(made.json);
      const list = await w.call('GET', `${A}/holidays`, t);
      expect(list.status).to.equal(200);
      expect(list.json.nextCursor).to.equal(null);
      expect(list.json.items.map((h: { id: number }) => h.id)).to.include(made.json.id);
      const patched = await w.call('PATCH', `${A}/holidays/${made.json.id}`, { ...t, body: { name: 'Founders' } });
      expect(patched.status).to.equal(200);
      expect(patched.json).to.include({ name: 'Founders', date: '2032-05-04' });
      const gone = await w.call('DELETE', `${A}/holidays/${made.json.id}`, t);
      expect(gone.status).to.equal(204);
      expect(gone.text).to.equal('');
      expect((await w.call('GET', `${A}/holidays/${made.json.id}`, t)).status).to.equal(404);
    });

    it('creates an object of every creatable kind with the same input the services take', async function () {
      this.timeout(120_000);
      for (const kind of [
        'extensions',
        'mailboxes',
        'e911',
        'attendants',
        'time-frames',
        'groups',
        'conferences',
        'conference-hubs',
        'queues',
        'hold-music',
        'call-blocks',
        'trunks',
      ]) {
        const body = await validInput(kind, w.fx);
        const r = await w.call('POST', `${A}/${kind}`, { token: w.tokens.adminA, body });
        expect(r.status, `${kind}: ${r.text}`).to.equal(201);
        expect(r.json.id).to.be.a('number');
      }
    });

    it("phone numbers are the operator's: a PBX administrator cannot add one (403 with the reason)", async function () {
      this.timeout(120_000);
      const r = await w.call('POST', `${A}/numbers`, {
        token: w.tokens.adminA,
        body: await validInput('numbers', w.fx),
      });
      expect(r.status, r.text).to.equal(403);
      expect(r.json.message).to.match(/assigned to the PBX by your provider/);
    });

    it('an extension gets a generated SIP password that the API never shows', async function () {
      this.timeout(120_000);
      const body = await validInput('extensions', w.fx);
      const r = await w.call('POST', `${A}/extensions`, { token: w.tokens.adminA, body });
      expect(r.status).to.equal(201);
      expect(r.json).to.not.have.property('sipPassword');
      const row = await w.fx.s.orm.em.fork().findOneOrFail(ExtensionSchema, { id: r.json.id });
      expect(row.sipPassword).to.match(/^[A-Za-z0-9]{20}$/);
      const typed = await w.call('POST', `${A}/extensions`, {
        token: w.tokens.adminA,
        body: { ...(await validInput('extensions', w.fx)), sipPassword: 'Chosen1234567' },
      });
      expect(typed.status).to.equal(422);
      expect(typed.json.fields).to.deep.equal({ sipPassword: 'is read-only' });
    });

    it('a device is added with its provisioning password in the 201 answer only', async function () {
      this.timeout(120_000);
      const body = { mac: '00:04:f2:00:aa:01', profileId: 'polycom-vvx450', extensionIds: [w.fx.a.ext['201'].id] };
      const r = await w.call('POST', `${A}/devices`, { token: w.tokens.adminA, body });
      expect(r.status, r.text).to.equal(201);
      expect(r.json.provisioningPassword).to.match(/^[A-Za-z0-9]{25}$/);
      expect(r.json).to.include({ mac: '0004f200aa01', profileId: 'polycom-vvx450' });
      expect(r.json).to.not.have.any.keys('provisioningHa1', 'appTokenHash', 'appTokenSalt');
      const got = await w.call('GET', `${A}/devices/${r.json.id}`, { token: w.tokens.adminA });
      expect(got.json).to.not.have.property('provisioningPassword');
      expect(got.json.provisioningUsername).to.equal(r.json.provisioningUsername);
      const label = await w.call('PATCH', `${A}/devices/${r.json.id}`, {
        token: w.tokens.adminA,
        body: { label: 'Desk' },
      });
      expect(label.status, label.text).to.equal(200);
      expect(label.json.label).to.equal('Desk');
    });

    it('audio is upload-only: POST and PATCH refused (403), GET and DELETE answer', async function () {
      this.timeout(120_000);
      const r = await w.call('POST', `${A}/audio`, { token: w.tokens.adminA, body: { originalName: 'x.mp3' } });
      expect(r.status).to.equal(403);
      expect((await w.call('GET', `${A}/audio`, { token: w.tokens.adminA })).status).to.equal(200);
    });

    it('422: {error, message, fields} naming each bad field; unknown and read-only fields are errors too', async function () {
      this.timeout(120_000);
      const r = await w.call('POST', `${A}/holidays`, { token: w.tokens.adminA, body: { name: '', date: 'soon' } });
      expect(r.status).to.equal(422);
      expect(r.json.error).to.equal('validation');
      expect(r.json.message).to.be.a('string');
      expect(r.json.fields).to.have.keys('name', 'date');
      const typo = await w.call('POST', `${A}/holidays`, {
        token: w.tokens.adminA,
        body: { name: 'X', date: '2033-01-01', nmae: 'typo', id: 5, pbxId: 2 },
      });
      expect(typo.status).to.equal(422);
      expect(typo.json.fields).to.deep.equal({
        nmae: 'is not a field of holidays',
        id: 'is read-only',
        pbxId: 'is read-only',
      });
      const ext = w.fx.a.ext['201'].id;
      const nested = await w.call('PATCH', `${A}/extensions/${ext}`, {
        token: w.tokens.adminA,
        body: { routing: { tryFirst: 'extension:99999' } },
      });
      expect(nested.status).to.equal(422);
      expect(Object.keys(nested.json.fields)[0]).to.match(/^routing/);
    });

    it('422 for a body that is not an object; 400 for broken JSON; 415 without application/json; 413 when too big', async function () {
      this.timeout(120_000);
      const t = { token: w.tokens.adminA };
      for (const body of [[1, 2], 'text', 42, null]) {
        const r = await w.call('POST', `${A}/holidays`, {
          ...t,
          raw: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        expect([400, 422], JSON.stringify(body)).to.include(r.status);
        expect(r.json.error).to.be.oneOf(['validation', 'bad_json']);
      }
      const broken = await w.call('POST', `${A}/holidays`, {
        ...t,
        raw: '{"name": "x",',
        headers: { 'content-type': 'application/json' },
      });
      expect(broken.status).to.equal(400);
      expect(broken.json.error).to.equal('bad_json');
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const r = await w.call('POST', `${A}/holidays`, { ...t, raw: 'name=x', headers: { 'content-type': type } });
        expect(r.status, type).to.equal(415);
      }
      expect((await w.call('PATCH', `${A}/holidays/1`, t)).status).to.equal(415);
      const big = await w.call('POST', `${A}/holidays`, { ...t, body: { name: 'x'.repeat(200 * 1024) } });
      expect(big.status).to.equal(413);
      expect(big.json.error).to.equal('too_large');
      const latin = await w.call('POST', `${A}/holidays`, {
        ...t,
        raw: '{}',
        headers: { 'content-type': 'application/json; charset=latin1' },
      });
      expect(latin.status).to.equal(415);
    });

    it('pages through a long list with limit and cursor; bad paging values are 422', async function () {
      this.timeout(120_000);
      const t = { token: w.tokens.adminA };
      for (let i = 0; i < 5; i++) await w.call('POST', `${A}/conference-hubs`, { ...t, body: { name: `Paged ${i}` } });
      const all = (await w.call('GET', `${A}/conference-hubs?limit=500`, t)).json.items;
      const seen: unknown[] = [];
      let path = `${A}/conference-hubs?limit=2`;
      for (let guard = 0; guard < 20; guard++) {
        const r = await w.call('GET', path, t);
        expect(r.json.items.length).to.be.at.most(2);
        seen.push(...r.json.items);
        if (!r.json.nextCursor) break;
        path = `${A}/conference-hubs?limit=2&cursor=${r.json.nextCursor}`;
      }
      expect(seen).to.deep.equal(all);
      for (const q of ['limit=0', 'limit=501', 'limit=abc', 'cursor=-1', 'cursor=x', 'limit=1&limit=2']) {
        const r = await w.call('GET', `${A}/conference-hubs?${q}`, t);
        expect(r.status, q).to.equal(422);
        expect(r.json.fields).to.be.an('object');
      }
    });

    it('409 on deleting something referenced, with each referrer as {kind, id, label, field}', async function () {
      this.timeout(120_000);
      const box = w.fx.a.ext['201'].mailboxId;
      const r = await w.call('DELETE', `${A}/mailboxes/${box}`, { token: w.tokens.adminA });
      expect(r.status).to.equal(409);
      expect(r.json.error).to.equal('conflict');
      expect(r.json.referrers).to.deep.include({
        kind: 'extensions',
        id: w.fx.a.ext['201'].id,
        label: 'extension 201',
        field: 'voice mailbox',
      });
      expect(await w.fx.s.orm.em.fork().count(MailboxSchema, { id: box })).to.equal(1);
      const loc = await w.call('DELETE', `${A}/e911/${w.fx.a.locationId}`, { token: w.tokens.adminA });
      expect(loc.status).to.equal(409);
      expect(loc.json.referrers.every((x: { kind: string }) => x.kind === 'extensions')).to.equal(true);
    });

    it('404 for an unknown kind, a malformed or missing id, another PBX’s object, an unknown route; 405 for a method', async function () {
      this.timeout(120_000);
      const t = { token: w.tokens.adminA };
      expect((await w.call('GET', `${A}/widgets`, t)).status).to.equal(404);
      expect((await w.call('GET', `${A}/extensions/abc`, t)).status).to.equal(404);
      expect((await w.call('GET', `${A}/extensions/1e3`, t)).status).to.equal(404);
      expect((await w.call('GET', `${A}/extensions/99999999`, t)).status).to.equal(404);
      const b = await w.call('GET', `${A}/extensions/${w.fx.b.ext['201'].id}`, t);
      expect(b.status).to.equal(404);
      expect(b.json.message).to.equal(`extensions #${w.fx.b.ext['201'].id} does not exist`);
      const nope = await w.call('GET', '/api/v1/nothing', t);
      expect(nope.status).to.equal(404);
      expect(nope.json.error).to.equal('not_found');
      const put = await w.call('PUT', `${A}/extensions/${w.fx.a.ext['201'].id}`, { ...t, body: {} });
      expect(put.status).to.equal(405);
      expect(put.headers.get('allow')).to.equal('GET, PATCH, DELETE');
    });

    it('403 for a module the user lacks, and for employees creating or deleting', async function () {
      this.timeout(120_000);
      const limited = { token: w.tokens.limitedA };
      expect((await w.call('GET', `${A}/trunks`, limited)).status).to.equal(403);
      expect((await w.call('POST', `${A}/trunks`, { ...limited, body: { name: 'x' } })).status).to.equal(403);
      expect((await w.call('GET', `${A}/devices`, limited)).status).to.equal(403);
      expect((await w.call('GET', `${A}/holidays`, limited)).status).to.equal(200);
      const emp = { token: w.tokens.employeeA1 };
      const body = await validInput('extensions', w.fx);
      expect((await w.call('POST', `${A}/extensions`, { ...emp, body })).status).to.equal(403);
      expect((await w.call('DELETE', `${A}/extensions/${w.fx.a.ext['201'].id}`, emp)).status).to.equal(403);
      const r = await w.call('GET', `${A}/holidays`, emp);
      expect(r.status).to.equal(403);
      expect(r.json).to.deep.equal({ error: 'forbidden', message: 'no permission for holidays' });
    });

    it('an employee reads and changes the personal settings of their own extension only', async function () {
      this.timeout(120_000);
      const own = w.fx.a.ext['201'].id;
      const emp = { token: w.tokens.employeeA1 };
      const list = await w.call('GET', `${A}/extensions`, emp);
      expect(list.json.items.map((e: { id: number }) => e.id)).to.deep.equal([own]);
      const r = await w.call('PATCH', `${A}/extensions/${own}`, {
        ...emp,
        body: { name: 'Zoë Ñandú', secondsToRing: 25 },
      });
      expect(r.status, r.text).to.equal(200);
      expect(r.json).to.include({ name: 'Zoë Ñandú', secondsToRing: 25 });
      const renumber = await w.call('PATCH', `${A}/extensions/${own}`, { ...emp, body: { number: '299' } });
      expect(renumber.status).to.equal(403);
      const other = await w.call('PATCH', `${A}/extensions/${w.fx.a.ext['202'].id}`, { ...emp, body: { name: 'X' } });
      expect(other.status).to.equal(404);
    });
  });
});
