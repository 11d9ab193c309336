// Route tests of the portal frame, Extensions and Users: status, escaping, sessions, CSRF, throttling, roles, audit.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PortalSessionSchema } from '../../src/domain/model';
import { MENU } from '../../src/portal/menu';
import { SYSTEM } from '../../src/services/actor';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { portalWorld } from './world';

const HOSTILE = ['<script>alert(1)</script>', '${system(id)}', '"><img src=x onerror=alert(1)>'];

describe('portal routes', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    server = await startPortal(w.services);
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  describe('frame', () => {
    it('sends security headers with every page', async () => {
      const a = await admin.get('/');
      expect(a.status).to.equal(200);
      const csp = a.headers.get('content-security-policy') ?? '';
      expect(csp)
        .to.include("script-src 'self'")
        .and.include("frame-ancestors 'none'")
        .and.not.include('unsafe-inline');
      expect(a.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(a.headers.get('referrer-policy')).to.equal('same-origin');
      expect(a.body).to.include('Skip to main content').and.include('Test acme');
    });

    it('shows the manual menu, and every item of it is a page that works (nothing "coming soon" is left)', async function () {
      this.timeout(120_000);
      const home = await admin.get('/');
      for (const tab of ['Home', 'Activity', 'Voicemail', 'Services', 'Settings'])
        expect(home.body).to.include(`>${tab}</a>`);
      // The admin has every module: each item of the manual's menu must answer a real page.
      const menu = MENU.flatMap((section) => section.items.map((i) => i.path));
      expect(menu.length).to.be.greaterThan(20);
      for (const path of menu) {
        const page = await admin.get(path);
        // Voicemail lives in FreeSWITCH: without an event socket (as here) its page says so, in the frame, with a 503.
        expect(page.status, path).to.equal(path === '/voicemail' ? 503 : 200);
        expect(page.body, path).to.not.include('coming soon');
      }
    });

    it('the busiest pages are pure Latin-1 apart from what users typed (a one-byte page is ~4x cheaper to send)', async () => {
      const list = await admin.get('/services/extensions');
      const id = /href="\/services\/extensions\/(\d+)"/.exec(list.body)?.[1];
      expect(id).to.be.a('string');
      for (const path of ['/services/extensions', `/services/extensions/${id}`, '/services/mailboxes', '/']) {
        const page = await admin.get(path);
        expect(page.status, path).to.equal(200);
        const wide = [...new Set([...page.body].filter((c) => c.codePointAt(0)! > 0xff))];
        const at = wide.map((c) => page.body.slice(page.body.indexOf(c) - 60, page.body.indexOf(c) + 10));
        expect(at, `${path} writes these characters as text instead of references`).to.deep.equal([]);
      }
    });

    it('Home shows what part 2 adds: counts of attendants, groups, queues, rooms, and time frames open right now', async () => {
      const home = await admin.get('/');
      for (const label of ['Auto Attendants', 'Groups', 'Queues', 'Conference Rooms', 'Time frames right now'])
        expect(home.body, label).to.include(label);
      expect(home.body).to.match(/(Inside|Outside) \((during|after) hours\)/);
      expect(home.body).to.include('href="/services/call-flow"');
    });

    it('hides menu items an employee has no permission for', async () => {
      const emp = new PortalClient(server.url);
      await emp.login('emp@acme.test', PASSWORD);
      const home = await emp.get('/');
      expect(home.body).to.not.include('>Settings</a>').and.not.include('PBX Info');
      expect(home.body).to.include('Open my extension');
      expect((await emp.get('/settings/users')).status).to.equal(403);
      expect((await emp.get('/services/phone-numbers')).status).to.equal(403);
    });

    it('answers HTML error pages for the portal and JSON under /api/', async () => {
      const page = await admin.get('/no/such/page');
      expect(page.status).to.equal(404);
      expect(page.headers.get('content-type')).to.match(/html/);
      expect(page.body).to.include('Page not found').and.include('Log out');
      // The API takes bearer tokens only: a portal session cookie gets its JSON 401, never a page.
      const api = await admin.get('/api/v1/nothing-here');
      expect(api.status).to.equal(401);
      expect(api.headers.get('content-type')).to.match(/json/);
    });

    it('serves our own static files with nosniff', async () => {
      const css = await admin.get('/static/css/portal.css');
      expect(css.status).to.equal(200);
      expect(css.headers.get('content-type')).to.match(/text\/css/);
      expect((await admin.get('/static/../src/main.ts')).status).to.be.oneOf([303, 404]);
    });

    it('no template prints with a triple-stash except the layout body', () => {
      const root = join(process.cwd(), 'templates', 'portal');
      const walk = (d: string): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.hbs') ? [join(d, e.name)] : [],
        );
      const offenders: string[] = [];
      for (const f of walk(root)) {
        const text = readFileSync(f, 'utf8');
        for (const m of text.matchAll(/\{\{\{\s*([^}]*)\}\}\}/g))
          if (!(f.endsWith(join('layouts', 'main.hbs')) && m[1].trim() === 'body')) offenders.push(`${f}: ${m[0]}`);
      }
      expect(offenders).to.deep.equal([]);
    });
  });

  describe('login and sessions', () => {
    it('sets an HttpOnly, SameSite=Lax session cookie; Remember Me makes it last 30 days', async () => {
      const c = new PortalClient(server.url);
      const page = await c.get('/login');
      const token = /name="_login" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const res = await fetch(`${server.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dialtone_login=${token}` },
        body: new URLSearchParams({ _login: token, username: 'admin@acme.test', password: PASSWORD, remember: 'on' }),
      });
      expect(res.status).to.equal(303);
      const cookie = res.headers.getSetCookie().find((x) => x.startsWith('dialtone_session=')) ?? '';
      expect(cookie).to.include('HttpOnly').and.include('SameSite=Lax').and.not.include('Secure');
      const age = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
      expect(age).to.be.within(29 * 86400, 30 * 86400);
      const plain = await new PortalClient(server.url).login('admin@acme.test', PASSWORD);
      expect(plain.headers.getSetCookie().find((x) => x.startsWith('dialtone_session='))).to.not.match(/Max-Age/);
    });

    it('uses Secure __Host- cookies when the public URL is https', async () => {
      const s = await startPortal(w.services, { publicUrl: 'https://pbx.example.com' });
      try {
        const page = await fetch(`${s.url}/login`);
        expect(page.headers.getSetCookie()[0]).to.match(/^__Host-dialtone_login=.*; Secure/);
      } finally {
        await s.close();
      }
    });

    it('stores only a hash of the session token, and a new app on the same database keeps the session', async () => {
      const c = new PortalClient(server.url);
      await c.login('admin@acme.test', PASSWORD);
      const token = c.cookies.get('dialtone_session') as string;
      const rows = await w.orm.em.fork().find(PortalSessionSchema, {});
      expect(rows.map((r) => r.tokenHash)).to.not.include(token);
      const restarted = await startPortal(w.services);
      try {
        const again = new PortalClient(restarted.url);
        again.cookies.set('dialtone_session', token);
        expect((await again.get('/')).status).to.equal(200);
      } finally {
        await restarted.close();
      }
    });

    it('refuses a wrong password with a clear message and logs out with POST + CSRF only', async () => {
      const c = new PortalClient(server.url);
      const bad = await c.login('admin@acme.test', 'wrong password!');
      expect(bad.status).to.equal(401);
      expect(bad.body).to.include('username or password is not correct');
      await c.login('admin@acme.test', PASSWORD);
      expect((await c.request('POST', '/logout', { _csrf: 'nope' })).status).to.equal(403);
      expect((await c.get('/')).status).to.equal(200);
      const out = await c.post('/logout');
      expect(out.status).to.equal(303);
      expect((await c.get('/')).status).to.equal(303);
    });

    it('throttles failed logins per account with a clear message (also for the right password)', async () => {
      const c = new PortalClient(server.url);
      for (let i = 0; i < 5; i++)
        expect((await c.login('colleague@acme.test', `wrong-${i}-password`)).status).to.equal(401);
      const blocked = await c.login('colleague@acme.test', PASSWORD);
      expect(blocked.status).to.equal(429);
      expect(blocked.body).to.include('Too many failed attempts for this username');
      expect(blocked.headers.get('retry-after')).to.match(/^\d+$/);
    });

    it('throttles failed logins per address across usernames', async () => {
      const s = await startPortal(w.services, { throttle: { perAddress: { max: 3, windowMs: 60_000 } } });
      try {
        const c = new PortalClient(s.url);
        for (let i = 0; i < 3; i++) await c.login(`nobody${i}@acme.test`, 'wrong password!');
        const blocked = await c.login('admin@acme.test', PASSWORD);
        expect(blocked.status).to.equal(429);
        expect(blocked.body).to.include('Too many failed logins from your network');
      } finally {
        await s.close();
      }
    });

    it('a login form posted without its token (cross-site) is refused', async () => {
      const res = await fetch(`${server.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'admin@acme.test', password: PASSWORD }),
      });
      expect(res.status).to.equal(403);
    });

    it('never redirects to another site after login', async () => {
      const c = new PortalClient(server.url);
      const page = await c.get('/login?next=//evil.example/x');
      expect(page.body).to.include('name="next" value="/"');
    });
  });

  describe('extensions', () => {
    const base = (more: Record<string, string> = {}) => ({
      number: '301',
      name: 'New Person',
      e911LocationId: String(world.acme.locationId),
      secondsToRing: '25',
      'routing.tryFirst.kind': 'phone',
      'routing.ifBusy.kind': 'mailbox',
      'routing.ifBusy.mailbox': 'x',
      'routing.ifNotAnswered.kind': 'hangup',
      'routing.ifOffline.kind': 'hangup',
      'findMe.ringSeconds': '20',
      'findMe.alwaysActive': 'true',
      'findMe.fallback.kind': 'check_voicemail',
      buddyList: 'true',
      mailbox: 'none',
      ...more,
    });

    it('lists with search and pages', async () => {
      const a = await admin.get('/services/extensions?q=202');
      expect(a.status).to.equal(200);
      expect(a.body).to.include('>202</a>').and.not.include('>201</a>');
      expect(a.body).to.include('Showing 1&#8211;1 of 1');
    });

    it('creates an extension with a new mailbox and Find Me, then edits it', async () => {
      const a = await admin.post(
        '/services/extensions/new',
        base({
          'routing.ifBusy.kind': 'check_voicemail',
          mailbox: 'new',
          'mailbox.password': '8642',
          'mailbox.passwordConfirm': '8642',
          'findMe.locations.1.type': 'outside_number',
          'findMe.locations.1.number': '(312) 555-0199',
          'findMe.locations.1.active': 'true',
          'findMe.locations.2.type': 'my_extension',
        }),
      );
      expect(a.status, a.body.slice(0, 2000)).to.equal(303);
      const page = await admin.follow(a);
      expect(page.body).to.include('Extension 301 saved.');
      const snap = await w.services.snapshot(world.acme.pbx.id);
      const ext = snap.extensions.find((e) => e.number === '301');
      const box = snap.mailboxes.find((m) => m.id === ext?.mailboxId);
      expect(box?.number).to.equal('301');
      expect(ext?.findMe.locations).to.deep.equal([
        { active: true, type: 'outside_number', number: '3125550199' },
        { active: false, type: 'my_extension' },
      ]);
      expect(ext?.secondsToRing).to.equal(25);
    });

    it('keeps the input and shows every error next to its field, with the summary; hostile text is escaped', async () => {
      const before = JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).extensions);
      for (const hostile of HOSTILE) {
        const a = await admin.post('/services/extensions/new', base({ number: '4x', name: hostile }));
        expect(a.status).to.equal(422);
        expect(a.body).to.include('There is a problem').and.include('href="#f-number"').and.include('href="#f-name"');
        expect(a.body).to.include('value="4x"');
        // Kept in the form (so it can be corrected), but only ever as escaped text.
        expect(a.body).to.not.match(/<script>alert|<img src=x/);
      }
      expect(JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).extensions)).to.equal(before);
    });

    it('a typed target that is not in the PBX is explained next to its picker, with the other errors', async () => {
      const a = await admin.post(
        '/services/extensions/new',
        base({ name: '', 'routing.ifBusy.kind': 'extension', 'routing.ifBusy.extension.number': '999' }),
      );
      expect(a.status).to.equal(422);
      expect(a.body).to.include('there is no extension 999 in this PBX').and.include('href="#f-name"');
    });

    it('explains what points at an extension before deleting, with links', async () => {
      const id = world.acme.ext['202'].id;
      await w.services.objects.update(SYSTEM, world.acme.pbx.id, 'extensions', world.acme.ext['201'].id, {
        routing: { tryFirst: { kind: 'extension', id } },
      });
      const page = await admin.get(`/services/extensions/${id}/delete`);
      expect(page.status).to.equal(200);
      expect(page.body)
        .to.include('cannot be deleted yet')
        .and.include(`href="/services/extensions/${world.acme.ext['201'].id}"`);
      const post = await admin.post(`/services/extensions/${id}/delete`);
      expect(post.status).to.equal(409);
      await w.services.objects.update(SYSTEM, world.acme.pbx.id, 'extensions', world.acme.ext['201'].id, {
        routing: { tryFirst: { kind: 'phone' } },
      });
    });

    it('deletes an unreferenced extension and says so', async () => {
      const id = (await w.services.snapshot(world.acme.pbx.id)).extensions.find((e) => e.number === '301')?.id;
      const a = await admin.post(`/services/extensions/${id}/delete`);
      expect(a.status).to.equal(303);
      expect((await admin.follow(a)).body).to.include('Extension 301 deleted.');
    });

    it('an employee edits only the fields kinds.ts allows them on their own extension', async () => {
      const emp = new PortalClient(server.url);
      await emp.login('emp@acme.test', PASSWORD);
      const id = world.acme.ext['201'].id;
      const page = await emp.get(`/services/extensions/${id}`);
      expect(page.status).to.equal(200);
      expect(page.body).to.include('Find Me').and.not.include('name="number"').and.not.include('name="e911LocationId"');
      expect(page.body).to.not.include('name="mailbox"');
      const a = await emp.post(`/services/extensions/${id}`, {
        number: '999',
        name: 'Emma Employee',
        secondsToRing: '30',
        'routing.tryFirst.kind': 'phone',
        'findMe.fallback.kind': 'check_voicemail',
      });
      expect(a.status, a.body.slice(0, 1500)).to.equal(303);
      const ext = (await w.services.snapshot(world.acme.pbx.id)).extensions.find((e) => e.id === id);
      expect(ext?.number).to.equal('201');
      expect(ext?.name).to.equal('Emma Employee');
      expect((await emp.get(`/services/extensions/${world.acme.ext['202'].id}`)).status).to.equal(404);
    });
  });

  describe('users and the audit log', () => {
    it('creates a user with custom permissions, changes them later, disables, resets and deletes', async () => {
      const a = await admin.post('/settings/users/new', {
        type: 'employee',
        extensionId: String(world.acme.ext['202'].id),
        username: 'new.person@acme.test',
        password: 'long enough pw',
        firstName: 'New',
        lastName: 'Person',
        email: 'new.person@acme.test',
        permissionMode: 'custom',
        permissions: ['extensions', 'voicemail'],
      });
      expect(a.status, a.body.slice(0, 2000)).to.equal(303);
      const id = Number(a.location?.split('/').pop());
      const u = await w.services.users.get(SYSTEM, world.acme.pbx.id, id);
      expect(u.permissions).to.deep.equal(['extensions', 'voicemail']);
      const p = await admin.post(`/settings/users/${id}/permissions`, {
        permissionMode: 'custom',
        permissions: ['mailboxes'],
      });
      expect(p.status).to.equal(303);
      expect((await w.services.users.get(SYSTEM, world.acme.pbx.id, id)).permissions).to.deep.equal(['mailboxes']);
      const user = new PortalClient(server.url);
      expect((await user.login('new.person@acme.test', 'long enough pw')).status).to.equal(303);
      expect((await admin.post(`/settings/users/${id}/disable`)).status).to.equal(303);
      expect((await user.get('/')).status, 'session ended by disable').to.equal(303);
      expect((await new PortalClient(server.url).login('new.person@acme.test', 'long enough pw')).status).to.equal(401);
      expect((await admin.post(`/settings/users/${id}/enable`)).status).to.equal(303);
      const short = await admin.post(`/settings/users/${id}/password`, { password: 'short', passwordConfirm: 'short' });
      expect(short.status).to.equal(422);
      expect(short.body).to.include('must be 10 to 200 characters');
      expect(
        (
          await admin.post(`/settings/users/${id}/password`, {
            password: 'a new long one',
            passwordConfirm: 'a new long one',
          })
        ).status,
      ).to.equal(303);
      expect((await new PortalClient(server.url).login('new.person@acme.test', 'a new long one')).status).to.equal(303);
      expect((await admin.post(`/settings/users/${id}/delete`)).status).to.equal(303);
    });

    it('keeps the input and the errors of a bad new user; hostile names are escaped', async () => {
      const a = await admin.post('/settings/users/new', {
        type: 'admin',
        username: 'x',
        password: '',
        firstName: HOSTILE[0],
        permissionMode: 'default',
      });
      expect(a.status).to.equal(422);
      expect(a.body).to.include('href="#f-username"').and.include('value="x"').and.not.include(HOSTILE[0]);
    });

    it('an administrator cannot disable or delete their own login', async () => {
      expect((await admin.post(`/settings/users/${world.adminId}/disable`)).status).to.equal(403);
      expect((await admin.post(`/settings/users/${world.adminId}/delete`)).status).to.equal(403);
    });

    it('shows every change in the audit log, filterable, with secrets masked', async () => {
      const all = await admin.get('/settings/audit');
      expect(all.status).to.equal(200);
      expect(all.body).to.include('admin@acme.test').and.include('extension 301').and.include('Password reset');
      expect(all.body).to.not.include('long enough pw').and.not.include('a new long one').and.not.include('scrypt$');
      const users = await admin.get('/settings/audit?kind=users&action=disable');
      expect(users.body).to.include('Disabled').and.not.include('extension 301');
      const other = new PortalClient(server.url);
      await other.login('admin@other.test', PASSWORD);
      expect((await other.get('/settings/audit')).body).to.not.include('new.person@acme.test');
    });
  });
});
