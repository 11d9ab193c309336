// Route tests of Time Frames, Groups, Conference Bridge and Call flow: pages, saves, errors next to their fields,
// escaping of hostile names, CSRF and role refusal, and for each module that a change made in the page reaches the
// exported FreeSWITCH tree and the live mod_xml_curl answer.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { exportedText as exported, liveAnswer as live } from './freeswitch-views';
import { portalWorld } from './world';

const HOSTILE = '<script>alert(1)</script>${system(id)}';

const dialplan = (ctx: string) => `section=dialplan&Hunt-Context=${ctx}&Hunt-Destination-Number=x`;
const idFrom = (location: string | null) => Number(/\/(\d+)$/.exec(location ?? '')?.[1]);

describe('portal: Time Frames, Groups, Conference Bridge, Call flow', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let employee: PortalClient;
  let ctx: string;

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    ctx = world.acme.pbx.context;
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

  describe('Time Frames', () => {
    it('lists time frames with whether it is inside them right now', async () => {
      await w.services.objects.create(SYSTEM, world.acme.pbx.id, 'time-frames', {
        name: 'Always',
        rules: [{ days: [0, 1, 2, 3, 4, 5, 6], allDay: true }],
        during: 'hangup',
        after: 'hangup',
      });
      const a = await admin.get('/services/time-frames');
      expect(a.status).to.equal(200);
      expect(a.body).to.include('Always').and.include('every day all day').and.include('Inside (during hours)');
      expect(a.body).to.include('America/Chicago');
    });

    it('creates a time frame from the form (empty rows ignored), and shows the live line on its page', async () => {
      await admin.get('/services/time-frames/new');
      const a = await admin.post('/services/time-frames/new', {
        name: 'Closed season',
        'during.kind': 'hangup',
        'after.kind': 'extension',
        'after.extension': String(world.acme.ext['201'].id),
        'rules.1.day.1': 'true',
        'rules.1.day.2': 'true',
        'rules.1.from': '09:00',
        'rules.1.to': '17:00',
        'rules.1.dateFrom': '2020-01-01',
        'rules.1.dateTo': '2020-01-31',
        'rules.2.from': '',
        'rules.3.allDay': 'true',
        'rules.3.day.6': 'true',
        'rules.3.dateFrom': '2020-02-01',
        'rules.3.dateTo': '2020-02-02',
      });
      expect(a.status, a.body.slice(0, 2000)).to.equal(303);
      const page = await admin.follow(a);
      expect(page.body).to.include('Now outside the time frame').and.include('calls go to After hours');
      const saved = (await w.services.snapshot(world.acme.pbx.id)).timeFrames.find((t) => t.name === 'Closed season');
      expect(saved?.rules).to.deep.equal([
        { days: [1, 2], allDay: false, from: '09:00', to: '17:00', dateFrom: '2020-01-01', dateTo: '2020-01-31' },
        { days: [6], allDay: true, from: '00:00', to: '24:00', dateFrom: '2020-02-01', dateTo: '2020-02-02' },
      ]);
      // The saved rows come back on the form.
      expect(page.body)
        .to.match(/name="rules\.2\.day\.6"[^>]*checked/)
        .and.include('value="2020-01-31"');
    });

    it('puts a row error next to its row and keeps what was typed (422), escaping a hostile name', async () => {
      await admin.get('/services/time-frames/new');
      const a = await admin.post('/services/time-frames/new', {
        name: HOSTILE,
        'during.kind': 'hangup',
        'after.kind': 'hangup',
        'rules.1.from': '',
        'rules.2.day.3': 'true',
        'rules.2.from': '18:00',
        'rules.2.to': '08:00',
      });
      expect(a.status).to.equal(422);
      expect(a.body).to.include('must be later than the start time').and.include('href="#f-rules-2-to"');
      expect(a.body).to.include('Time Frame Name: may contain letters');
      expect(a.body).to.include('value="18:00"');
      expect(a.body).to.include('&lt;script&gt;');
      expect(a.body).to.not.include('<script>alert(1)');
    });

    it('refuses an employee (403) and a post without the CSRF token', async () => {
      expect((await employee.get('/services/time-frames')).status).to.equal(403);
      const bad = await admin.request('POST', '/services/time-frames/new', { name: 'x' });
      expect(bad.status).to.equal(403);
    });

    it('a change in the page reaches the exported tree and the live xml_curl answer', async () => {
      const tf = (await w.services.snapshot(world.acme.pbx.id)).timeFrames.find((t) => t.name === 'Closed season');
      await admin.get(`/services/time-frames/${tf?.id}`);
      const a = await admin.post(`/services/time-frames/${tf?.id}`, {
        name: 'Closed season',
        'during.kind': 'hangup',
        'after.kind': 'hangup',
        'rules.1.day.0': 'true',
        'rules.1.from': '07:15',
        'rules.1.to': '11:45',
      });
      expect(a.status).to.equal(303);
      const expected = /<condition wday="sun" time-of-day="07:15-11:45" break="on-true"/;
      expect(await exported(w.services, ctx)).to.match(expected);
      expect(await live(w.services, dialplan(ctx))).to.match(expected);
    });
  });

  describe('Groups', () => {
    const e = (n: '201' | '202') => String(world.acme.ext[n].id);

    it('moves extensions between the lists and reorders them without JavaScript, then saves the order', async () => {
      await admin.get('/services/groups/new');
      const base = { name: 'Support', strategy: 'sequential', secondsToRing: '15', 'afterRing.kind': '' };
      let a = await admin.post('/services/groups/new', {
        ...base,
        memberIds: '',
        op: 'add',
        available: [e('201'), e('202')],
      });
      expect(a.status).to.equal(200);
      expect(a.body).to.include(`name="memberIds" value="${e('201')},${e('202')}"`);
      a = await admin.post('/services/groups/new', {
        ...base,
        memberIds: `${e('201')},${e('202')}`,
        op: 'up',
        selected: e('202'),
      });
      expect(a.body).to.include(`name="memberIds" value="${e('202')},${e('201')}"`);
      a = await admin.post('/services/groups/new', { ...base, memberIds: `${e('202')},${e('201')}`, op: 'save' });
      expect(a.status, a.body.slice(0, 1500)).to.equal(303);
      const g = (await w.services.snapshot(world.acme.pbx.id)).ringGroups.find((x) => x.name === 'Support');
      expect(g?.memberIds).to.deep.equal([Number(e('202')), Number(e('201'))]);
      expect(g?.strategy).to.equal('sequential');
      expect(g?.afterRing).to.deep.equal({ kind: 'hangup' });
      const list = await admin.get('/services/groups');
      expect(list.body).to.include('Support').and.include('202, 201').and.include('Sequentially, 15 s each');
    });

    it('says an empty group needs an extension, next to the lists (422)', async () => {
      await admin.get('/services/groups/new');
      const a = await admin.post('/services/groups/new', {
        name: 'Empty',
        strategy: 'simultaneous',
        secondsToRing: '20',
        memberIds: '',
      });
      expect(a.status).to.equal(422);
      expect(a.body).to.include('select at least one extension').and.include('href="#f-memberIds"');
    });

    it('a change in the page reaches the exported tree and the live xml_curl answer (ring order)', async () => {
      const g = (await w.services.snapshot(world.acme.pbx.id)).ringGroups.find((x) => x.name === 'Support');
      await admin.get(`/services/groups/${g?.id}`);
      const a = await admin.post(`/services/groups/${g?.id}`, {
        name: 'Support',
        strategy: 'sequential',
        secondsToRing: '25',
        memberIds: `${e('201')},${e('202')}`,
        'afterRing.kind': 'hangup',
      });
      expect(a.status).to.equal(303);
      const order = /\[leg_timeout=25\]user\/201@[^|"]+\|\[leg_timeout=25\]user\/202@/;
      expect(await exported(w.services, ctx)).to.match(order);
      expect(await live(w.services, dialplan(ctx))).to.match(order);
    });
  });

  describe('Conference Bridge', () => {
    it('creates a room with a PIN that is never shown back, keeps it when left empty, removes it on request', async () => {
      await admin.get('/services/conference-bridge/new');
      const a = await admin.post('/services/conference-bridge/new', {
        number: '7301',
        password: '97531',
        musicOnHold: 'true',
        enterExitSounds: 'true',
        announceCount: 'true',
        holdMusicGroupId: '',
      });
      expect(a.status, a.body.slice(0, 1500)).to.equal(303);
      const page = await admin.follow(a);
      expect(page.body).to.include('Conference Room 7301').and.not.include('97531');
      const id = idFrom(a.location);
      const pin = /<param name="pin" value="97531"\/>/;
      expect(await exported(w.services, ctx)).to.match(pin);
      expect(await live(w.services, 'section=configuration&key_name=name&key_value=conference.conf')).to.match(pin);
      expect(page.body).to.include('This room has a password.');
      // Shown only when an administrator asks (a POST), through the services' reveal read.
      const shown = await admin.post(`/services/conference-bridge/${id}/password`);
      expect(shown.status).to.equal(200);
      expect(shown.headers.get('cache-control')).to.equal('no-store');
      expect(shown.body).to.match(/data-revealed-pin>[^<]*<strong>97531<\/strong>/);
      // Saved again without typing a PIN: kept, other changes applied.
      await admin.post(`/services/conference-bridge/${id}`, { number: '7301', password: '', announceCount: 'false' });
      let room = (await w.services.snapshot(world.acme.pbx.id)).conferenceRooms.find((r) => r.id === id);
      expect(room?.password).to.equal('97531');
      expect(room?.announceCount).to.equal(false);
      await admin.post(`/services/conference-bridge/${id}`, { number: '7301', password: '', removePassword: 'true' });
      room = (await w.services.snapshot(world.acme.pbx.id)).conferenceRooms.find((r) => r.id === id);
      expect(room?.password).to.equal(null);
      expect(await exported(w.services, ctx)).to.not.match(pin);
    });

    it('refuses a bad PIN next to the field without showing it back (422)', async () => {
      await admin.get('/services/conference-bridge/new');
      const a = await admin.post('/services/conference-bridge/new', { number: '7302', password: '12ab' });
      expect(a.status).to.equal(422);
      expect(a.body).to.include('id="f-password-error"').and.not.include('value="12ab"');
    });

    it('creates a hub, lists rooms and hubs, and the hub reaches the exported tree and the live answer', async () => {
      await admin.get('/services/conference-bridge/hubs/new');
      const refused = await admin.post('/services/conference-bridge/hubs/new', { name: HOSTILE, number: '7399' });
      expect(refused.status).to.equal(422);
      expect(refused.body).to.include('&lt;script&gt;');
      expect(refused.body).to.not.include('<script>alert(1)');
      const a = await admin.post('/services/conference-bridge/hubs/new', {
        name: `Sales & Support's hub`,
        number: '7399',
      });
      expect(a.status, /error-summary[\s\S]*?<\/ul>/.exec(a.body)?.[0]).to.equal(303);
      const list = await admin.get('/services/conference-bridge');
      expect(list.body).to.include('7301').and.include('Sales &amp; Support&#x27;s');
      expect(list.body).to.match(
        /<a href="\/services\/conference-bridge\/\d+">801<\/a><\/td>\s*<td data-label="Password">Yes</,
      );
      const hub = /expression="\^7399\$"/;
      expect(await exported(w.services, ctx)).to.match(hub);
      expect(await live(w.services, dialplan(ctx))).to.match(hub);
    });

    it('refuses an employee (403)', async () => {
      expect((await employee.get('/services/conference-bridge')).status).to.equal(403);
    });
  });

  describe('Call flow', () => {
    let numberId: number;
    before(async () => {
      const o = w.services.objects;
      const p = world.acme.pbx.id;
      const attendant = await o.create(SYSTEM, p, 'attendants', {
        name: 'Day menu',
        buttons: { '1': `mailbox:${world.acme.ext['201'].mailboxId}` },
      });
      const tf = await o.create(SYSTEM, p, 'time-frames', {
        name: 'Office hours',
        rules: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
        during: `auto_attendant:${attendant.id}`,
        after: `mailbox:${world.acme.ext['201'].mailboxId}`,
      });
      await o.create(SYSTEM, p, 'holidays', { name: 'Christmas', date: '2026-12-25' });
      numberId = world.acme.numberId;
      await o.update(SYSTEM, p, 'numbers', numberId, { routeTo: `time_frame:${tf.id}`, ifHoliday: 'hangup' });
    });

    it('draws the phone number’s routing and the way a call takes at a date and time', async () => {
      const path = `/services/call-flow/phone-numbers/${numberId}`;
      const during = await admin.get(`${path}?date=2026-12-07&time=10:00`);
      expect(during.status).to.equal(200);
      const route = (body: string) => /data-flow-route>([\s\S]*?)<\/ol>/.exec(body)?.[1] ?? '';
      expect(route(during.body)).to.include('Time frame “Office hours”').and.include('Auto attendant “Day menu”');
      expect(during.body)
        .to.include('Press 1')
        .and.include('Christmas (2026-12-25)')
        .and.include('Monday 2026-12-07 at 10:00');
      const after = await admin.get(`${path}?date=2026-12-07&time=18:30`);
      expect(route(after.body)).to.include('After hours').and.include('Voice mailbox 201').and.not.include('Day menu');
      const holiday = await admin.get(`${path}?date=2026-12-25&time=10:00`);
      expect(route(holiday.body)).to.include('On a holiday').and.include('Hangs up').and.not.include('Office hours');
    });

    it('finds a phone number (with or without the leading 1) or an extension by what people dial', async () => {
      const menu = await admin.get('/services/call-flow');
      expect(menu.status).to.equal(200);
      expect(menu.body).to.include('Phone number or extension').and.include('aria-current="page"');
      const n = (await w.services.snapshot(world.acme.pbx.id)).phoneNumbers.find((x) => x.id === numberId)?.number;
      const byNumber = await admin.get(
        `/services/call-flow?number=${encodeURIComponent(`+1 (${n?.slice(0, 3)}) ${n?.slice(3)}`)}`,
      );
      expect(byNumber.location).to.equal(`/services/call-flow/phone-numbers/${numberId}`);
      const byExt = await admin.get('/services/call-flow?number=202');
      expect(byExt.location).to.equal(`/services/call-flow/extensions/${world.acme.ext['202'].id}`);
      const none = await admin.get('/services/call-flow?number=<b>999</b>');
      expect(none.status).to.equal(404);
      expect(none.body).to.include('There is no phone number or extension &lt;b&gt;999');
      const theirs = world.other.numberId;
      const otherNumber = (await w.services.snapshot(world.other.pbx.id)).phoneNumbers.find((x) => x.id === theirs);
      expect((await admin.get(`/services/call-flow?number=${otherNumber?.number}`)).status).to.equal(404);
    });

    it('says what is wrong with a bad date instead of guessing', async () => {
      const a = await admin.get(`/services/call-flow/phone-numbers/${numberId}?date=2026-02-30&time=10:00`);
      expect(a.status).to.equal(200);
      expect(a.body).to.include('Enter the date as YYYY-MM-DD');
    });

    it('draws an extension’s busy / not answered / offline branches, linked from its page', async () => {
      const id = world.acme.ext['201'].id;
      const ext = await admin.get(`/services/extensions/${id}`);
      expect(ext.body).to.include(`/services/call-flow/extensions/${id}`);
      const a = await admin.get(`/services/call-flow/extensions/${id}`);
      expect(a.body).to.include('Rings the phone of 201').and.include('If busy').and.include('If offline');
    });

    it('refuses to delete a time frame a phone number routes to, naming it; deletes an unused group', async () => {
      const snap = await w.services.snapshot(world.acme.pbx.id);
      const tf = snap.timeFrames.find((t) => t.name === 'Office hours');
      const confirm = await admin.get(`/services/time-frames/${tf?.id}/delete`);
      expect(confirm.status).to.equal(200);
      expect(confirm.body).to.include('cannot be deleted yet').and.include('/services/phone-numbers/');
      const refused = await admin.post(`/services/time-frames/${tf?.id}/delete`);
      expect(refused.status).to.equal(409);
      const g = await w.services.objects.create(SYSTEM, world.acme.pbx.id, 'groups', {
        name: 'Unused',
        memberIds: [world.acme.ext['201'].id],
      });
      await admin.get(`/services/groups/${g.id}/delete`);
      const gone = await admin.post(`/services/groups/${g.id}/delete`);
      expect(gone.status).to.equal(303);
      expect(gone.location).to.equal('/services/groups');
      expect((await admin.follow(gone)).body).to.include('Group “Unused” deleted.');
    });

    it('is for administrators: an employee gets 403, another tenant’s number 404', async () => {
      expect((await employee.get(`/services/call-flow/extensions/${world.acme.ext['201'].id}`)).status).to.equal(403);
      const other = world.other.numberId;
      expect((await admin.get(`/services/call-flow/phone-numbers/${other}`)).status).to.equal(404);
    });
  });
});
