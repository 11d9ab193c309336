// The IDOR sweep: every route of the portal's table, walked with another tenant's administrator, with an employee of
// the right PBX, and without a login. Generic over ROUTES: a module added to the table is swept without a change here.
import { expect } from 'chai';
import { comingSoonRoutes } from '../../src/portal/portal-router';
import { ROUTES } from '../../src/portal/routes';
import { kindByName } from '../../src/services/kinds';
import { syntheticMessages } from '../fakes/vm-list-fixture';
import { incoming, insertCalls } from '../helpers/call-rows';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import type { TestWorld } from '../helpers/services';
import { openVoicemailWorld, type VoicemailWorld } from '../helpers/voicemail-world';
import { stored } from '../services/support';
import { MARK_OTHER_EMPLOYEE, MARK_OTHER_PBX, type portalWorld } from './world';

// Logging out is swept last by its own test (it would end the sweeping session).
const ALL = [...ROUTES, ...comingSoonRoutes(ROUTES)].filter((r) => !r.public && r.path !== '/logout');

/** Ids of objects of `kind` in a PBX, from its snapshot (users included). */
async function idsOf(w: TestWorld, pbxId: number, kind: string): Promise<number[]> {
  const snap = await w.services.snapshot(pbxId);
  if (kind === 'users') return snap.users.map((u) => u.id);
  const spec = kindByName(kind);
  if (!spec) throw new Error(`route names unknown kind ${kind}`);
  return (snap[spec.list] as Array<{ id: number }>).map((r) => r.id);
}

/** Caller name of an acme call (Activity): no other tenant may ever see it. */
const MARK_ACME_CALL = 'Xray Acmecaller';

// Every mailbox holds a message with this uuid (helpers/voicemail-world.ts), so message routes hit a real one.
const MESSAGE = '00000000-0000-4000-8000-00000000feed';
const concrete = (path: string, id: number) =>
  path.replace(':id', String(id)).replace(':message', MESSAGE).replace('*rest', 'x');

describe('portal IDOR sweep: every route of the table', function () {
  this.timeout(120_000);
  let w: VoicemailWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let otherAdmin: PortalClient;
  let employee: PortalClient;

  before(async () => {
    // With FreeSWITCH's voicemail (fake event socket): the Voicemail routes are swept for real.
    w = await openVoicemailWorld(ENGINES[0]);
    world = w.world;
    for (const domain of ['acme.pbx.local', 'other.pbx.local'])
      for (const box of ['201', '202']) w.setMessages(box, domain, [{ ...syntheticMessages(1)[0]!, uuid: MESSAGE }]);
    // Calls for the Activity pages (today, so default ranges show them): the employee's own, a colleague's, another tenant's.
    const [acme, other, now] = [world.acme.pbx.id, world.other.pbx.id, new Date(Date.now() - 3_600_000).toISOString()];
    await insertCalls(w.orm, [
      incoming(acme, now, { calleeExtension: '201', callerName: MARK_ACME_CALL }),
      incoming(acme, now, { calleeExtension: '202', callerName: MARK_OTHER_EMPLOYEE }),
      incoming(other, now, { calleeExtension: '201', callerName: MARK_OTHER_PBX }),
    ]);
    server = await startPortal(w.services);
    otherAdmin = new PortalClient(server.url);
    expect((await otherAdmin.login('admin@other.test', PASSWORD)).status).to.equal(303);
    employee = new PortalClient(server.url);
    expect((await employee.login('emp@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  it('sweeps some routes with ids (the table declares its objects)', () => {
    expect(ALL.filter((r) => r.object).length).to.be.greaterThan(10);
  });

  it("another tenant's administrator reaches none of acme's objects: 404 like a missing one, nothing changed", async () => {
    const before = await stored(w.services, [world.acme.pbx.id]);
    for (const route of ALL.filter((r) => r.object)) {
      for (const id of await idsOf(w, world.acme.pbx.id, route.object as string)) {
        const path = concrete(route.path, id);
        const a = route.method === 'GET' ? await otherAdmin.get(path) : await otherAdmin.post(path, { name: 'hijack' });
        expect(a.status, `${route.method} ${path}`).to.equal(404);
        expect(a.body, path).to.not.include(MARK_OTHER_EMPLOYEE).and.not.include('Person 201');
      }
    }
    expect(await stored(w.services, [world.acme.pbx.id])).to.equal(before);
  });

  it("an employee reaches only their own extension: others' objects 404, admin pages 403, no leak anywhere", async () => {
    const before = await stored(w.services, [world.acme.pbx.id, world.other.pbx.id]);
    const own = new Set([world.acme.ext['201'].id, world.acme.ext['201'].mailboxId, world.employeeId]);
    for (const route of ALL) {
      const ids = route.object
        ? [
            ...(await idsOf(w, world.acme.pbx.id, route.object)).filter(
              (id) => !own.has(id) || route.object === 'users',
            ),
            ...(await idsOf(w, world.other.pbx.id, route.object)),
          ]
        : [0];
      for (const id of ids) {
        const path = concrete(route.path, id);
        const a = route.method === 'GET' ? await employee.get(path) : await employee.post(path, { name: 'hijack' });
        const where = `${route.method} ${path} → ${a.status}`;
        expect(a.body, where).to.not.include(MARK_OTHER_EMPLOYEE).and.not.include(MARK_OTHER_PBX);
        if (route.admin) expect(a.status, where).to.be.oneOf([403, 404]);
        else if (route.object) expect(a.status, where).to.be.oneOf([403, 404]);
        else expect(a.status, where).to.be.oneOf([200, 303, 403, 404, 422]);
      }
    }
    expect(await stored(w.services, [world.acme.pbx.id, world.other.pbx.id])).to.equal(before);
    // FreeSWITCH was never asked to change anyone else's voicemail.
    expect(w.esl.commandTexts().filter((c) => /vm_(delete|read) /.test(c) && !c.includes('201@acme.'))).to.deep.equal(
      [],
    );
  });

  it("another tenant's administrator sees none of acme's calls on any page (Activity, its export, graphs)", async () => {
    for (const route of ALL.filter((r) => r.method === 'GET' && !r.object)) {
      const path = concrete(route.path, 0);
      for (const q of ['', '?extension=201', '?from=2000-01-01']) {
        const a = await otherAdmin.get(path + q);
        expect(a.body, path + q)
          .to.not.include(MARK_ACME_CALL)
          .and.not.include(MARK_OTHER_EMPLOYEE);
      }
    }
    const mine = await otherAdmin.get('/activity/export.csv');
    expect(mine.body).to.include(MARK_OTHER_PBX).and.not.include(MARK_ACME_CALL);
  });

  it("an employee's Activity, export and graph never show a colleague's calls, even when asked for them", async () => {
    for (const path of ['/activity', '/activity/export.csv', '/activity/graph']) {
      for (const q of ['', '?extension=202', '?number=7735550199', '?direction=incoming']) {
        const a = await employee.get(path + q);
        expect(a.status, path + q).to.be.oneOf([200, 422]);
        expect(a.body, path + q)
          .to.not.include(MARK_OTHER_EMPLOYEE)
          .and.not.include(MARK_OTHER_PBX);
      }
    }
    expect((await employee.get('/activity')).body).to.include(MARK_ACME_CALL);
    expect((await employee.get('/activity/export.csv')).body).to.include(MARK_ACME_CALL);
  });

  it('without a login every page sends to the login page and every form changes nothing', async () => {
    const anon = new PortalClient(server.url);
    const before = await stored(w.services, [world.acme.pbx.id]);
    for (const route of ALL) {
      const path = concrete(route.path, world.acme.ext['201'].id);
      const a = route.method === 'GET' ? await anon.get(path) : await anon.post(path, { name: 'x' });
      expect(a.status, path).to.equal(303);
      expect(a.location, path).to.match(/^\/login/);
    }
    expect(await stored(w.services, [world.acme.pbx.id])).to.equal(before);
  });

  it('every POST without the CSRF token is refused (403) and changes nothing', async () => {
    const admin = new PortalClient(server.url);
    await admin.login('admin@acme.test', PASSWORD);
    const before = await stored(w.services, [world.acme.pbx.id]);
    for (const route of ALL.filter((r) => r.method === 'POST')) {
      const ids = route.object ? await idsOf(w, world.acme.pbx.id, route.object) : [0];
      const path = concrete(route.path, ids[ids.length - 1] ?? 0);
      for (const token of [undefined, 'forged', admin.csrf.slice(0, -1)]) {
        const form: Record<string, string> = { name: 'x' };
        if (token !== undefined) form._csrf = token;
        const a = await admin.request('POST', path, form);
        expect(a.status, `${path} with ${token}`).to.equal(403);
      }
    }
    expect(await stored(w.services, [world.acme.pbx.id])).to.equal(before);
  });
});
