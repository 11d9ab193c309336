// Route tests of Services → Mailboxes and Voicemail → Voicemail Configuration: list, New Standard Mailbox, edit
// (write-only password), delete with what points at it, greetings (upload, play, default, record by phone over a
// real event-socket connection), employees kept to their own mailbox, hostile names escaped, and the change reaching
// the exported FreeSWITCH tree and the live xml_curl answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MailboxSchema } from '../../src/domain/model';
import { EslFreeswitchControl } from '../../src/freeswitch/event-socket';
import { SYSTEM } from '../../src/services/actor';
import { GreetingRecorder } from '../../src/services/greeting-recorder';
import { FakeEslServer } from '../fakes/fake-esl-server';
import { wav } from '../helpers/audio-files';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { exportedText, liveAnswer } from './freeswitch-views';
import { MARK_OTHER_EMPLOYEE, MARK_OTHER_PBX, portalWorld } from './world';

const HOSTILE = '<script>alert(1)</script>';
const BOUNDARY = '----dialtone-mailbox-test';

/** A multipart upload of one file, with the fields first (as the page's form sends them). */
function multipart(fields: Record<string, string>, file: Buffer, name: string): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: audio/wav\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  );
  return Buffer.concat(parts);
}

describe('portal mailboxes and voicemail configuration', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let dataDir: string;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let employee: PortalClient;
  let own: number;
  let colleague: number;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-portal-mailboxes-'));
    w = await openWorld(ENGINES[0], { dataDir });
    world = await portalWorld(w);
    own = world.acme.ext['201'].mailboxId;
    colleague = world.acme.ext['202'].mailboxId;
    server = await startPortal(w.services);
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
    employee = new PortalClient(server.url);
    expect((await employee.login('emp@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const mailbox = async (id: number) => w.orm.em.fork().findOneOrFail(MailboxSchema, { id });

  async function upload(c: PortalClient, path: string, file: Buffer, name: string, json = false) {
    const res = await fetch(`${server.url}${path}?_csrf=${encodeURIComponent(c.csrf)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(json ? { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' } : {}),
      },
      body: multipart({ _csrf: c.csrf, back: path.replace(/\/greetings\/.*$/, '') }, file, name),
    });
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  }

  describe('list and New Standard Mailbox', () => {
    it('lists every mailbox for an administrator, only their own for an employee', async () => {
      const a = await admin.get('/services/mailboxes');
      expect(a.status).to.equal(200);
      expect(a.body).to.include('New Standard Mailbox').and.include('>201</a>').and.include(MARK_OTHER_EMPLOYEE);
      expect(a.body).to.not.include(MARK_OTHER_PBX);
      const e = await employee.get('/services/mailboxes');
      expect(e.status).to.equal(200);
      expect(e.body).to.include('>201</a>').and.not.include('>202</a>').and.not.include('New Standard Mailbox');
      expect((await employee.get('/services/mailboxes/new')).status).to.equal(403);
    });

    it('creates a mailbox with every section of the manual; the password is never shown back', async () => {
      const page = await admin.get('/services/mailboxes/new');
      for (const label of [
        'General Settings',
        'Mailbox Number',
        'Name (for directory)',
        'Confirm password',
        'Notifications',
        'Email to Notify',
        'SMS email to Notify',
        'Advanced Settings',
        'Dial During Announcement',
        'Skip Voicemail Instructions',
        'Announcement Only',
        'Hide from Directory',
        'Delete Voicemail after (days)',
        'Recordings and Greeting',
      ])
        expect(page.body, label).to.include(label);
      const a = await admin.post('/services/mailboxes/new', {
        number: '3301',
        name: 'Sales Line',
        password: '97531',
        passwordConfirm: '97531',
        email: 'sales@acme.test',
        smsEmail: '3125550100@sms.example.net',
        skipInstructions: 'true',
        hideFromDirectory: 'true',
        retentionDays: '30',
      });
      expect(a.status, a.body.slice(0, 1500)).to.equal(303);
      const edit = await admin.follow(a);
      expect(edit.body).to.include('Mailbox 3301 saved.').and.include('Recordings and Greeting');
      expect(edit.body).to.not.include('97531');
      expect(edit.body).to.include('Leave blank to keep the current password');
      const row = (await w.services.snapshot(world.acme.pbx.id)).mailboxes.find((m) => m.number === '3301');
      expect(row).to.include({
        password: '97531',
        email: 'sales@acme.test',
        smsEmail: '3125550100@sms.example.net',
        skipInstructions: true,
        hideFromDirectory: true,
        announcementOnly: false,
        retentionDays: 30,
      });
      // The feature code to record by phone is * + the mailbox number.
      expect(edit.body).to.include('*3301');
    });

    it('shows each error next to its field with the input kept; a hostile name is escaped and nothing saved', async () => {
      const before = JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).mailboxes);
      const a = await admin.post('/services/mailboxes/new', {
        number: '3302',
        name: HOSTILE,
        password: '3302',
        passwordConfirm: '3303',
        email: 'not an email',
        retentionDays: '365',
      });
      expect(a.status).to.equal(422);
      for (const f of ['name', 'password', 'passwordConfirm', 'email', 'retentionDays'])
        expect(a.body, f).to.include(`href="#f-${f}"`);
      expect(a.body).to.include('must not be the same as the mailbox number');
      expect(a.body).to.include('value="3302"').and.include('value="not an email"');
      expect(a.body).to.not.include(HOSTILE);
      expect(a.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(a.body).to.not.match(/type="password"[^>]*value="[^"]/);
      expect(JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).mailboxes)).to.equal(before);
    });

    it('a hostile name already stored (by the operator) is shown escaped in the list and the page', async () => {
      const box = await w.services.objects.create(SYSTEM, world.acme.pbx.id, 'mailboxes', {
        number: '3399',
        name: 'Q&A (front) / #2',
        password: '8642',
      });
      const list = await admin.get('/services/mailboxes?q=3399');
      expect(list.body).to.include('Q&amp;A (front) / #2');
      const page = await admin.get(`/services/mailboxes/${box.id}`);
      expect(page.body).to.include('value="Q&amp;A (front) / #2"');
    });
  });

  describe('edit', () => {
    it('a blank password keeps the saved one; a new one needs the confirmation', async () => {
      const id = colleague;
      const before = (await mailbox(id)).password;
      const keep = await admin.post(`/services/mailboxes/${id}`, {
        number: '202',
        name: 'Yankee Colleague',
        password: '',
        passwordConfirm: '',
        retentionDays: '90',
      });
      expect(keep.status, keep.body.slice(0, 1000)).to.equal(303);
      expect((await mailbox(id)).password).to.equal(before);
      expect((await mailbox(id)).retentionDays).to.equal(90);
      const half = await admin.post(`/services/mailboxes/${id}`, {
        number: '202',
        name: 'Yankee Colleague',
        passwordConfirm: '5555',
        retentionDays: '90',
      });
      expect(half.status).to.equal(422);
      expect(half.body).to.include('leave both empty to keep the password');
      const set = await admin.post(`/services/mailboxes/${id}`, {
        number: '202',
        name: 'Yankee Colleague',
        password: '24680',
        passwordConfirm: '24680',
        retentionDays: '90',
      });
      expect(set.status).to.equal(303);
      expect((await mailbox(id)).password).to.equal('24680');
    });

    it('the change reaches the exported FreeSWITCH tree and the live xml_curl answer', async () => {
      const a = await admin.post(`/services/mailboxes/${colleague}`, {
        number: '202',
        name: 'Yankee Colleague',
        email: 'yankee@acme.test',
        smsEmail: 'pager@acme.test',
        retentionDays: '90',
      });
      expect(a.status).to.equal(303);
      const tree = await exportedText(w.services, 'acme');
      expect(tree).to.include('name="vm-mailto" value="yankee@acme.test"');
      expect(tree).to.include('name="vm-notify-mailto" value="pager@acme.test"');
      const live = await liveAnswer(
        w.services,
        'section=directory&tag_name=domain&key_name=name&key_value=acme.pbx.local&user=202&domain=acme.pbx.local&key=id',
      );
      expect(live).to.include('name="vm-mailto" value="yankee@acme.test"');
      expect(live).to.include('name="vm-password" value="24680"');
    });

    it('explains what points at a mailbox before deleting it, with links; deletes an unused one', async () => {
      const page = await admin.get(`/services/mailboxes/${colleague}/delete`);
      expect(page.body)
        .to.include('cannot be deleted yet')
        .and.include(`href="/services/extensions/${world.acme.ext['202'].id}"`);
      expect((await admin.post(`/services/mailboxes/${colleague}/delete`)).status).to.equal(409);
      const spare = (await w.services.snapshot(world.acme.pbx.id)).mailboxes.find((m) => m.number === '3301');
      const gone = await admin.post(`/services/mailboxes/${spare?.id}/delete`);
      expect(gone.status).to.equal(303);
      expect((await admin.follow(gone)).body).to.include('Mailbox 3301 deleted.');
    });
  });

  describe('employees: Voicemail Configuration', () => {
    it('opens straight on their own mailbox and never reaches another (404, also by URL)', async () => {
      const index = await employee.get('/voicemail/configuration');
      expect(index.status).to.equal(303);
      expect(index.location).to.equal(`/voicemail/configuration/${own}`);
      const page = await employee.get(index.location as string);
      expect(page.status).to.equal(200);
      expect(page.body).to.include('Mailbox Number:').and.not.include('name="number"');
      expect(page.body).to.include('aria-current="page" class="is-current">Voicemail Configuration');
      for (const path of [
        `/voicemail/configuration/${colleague}`,
        `/services/mailboxes/${colleague}`,
        `/voicemail/configuration/${world.other.ext['201'].mailboxId}`,
        `/services/mailboxes/${colleague}/greetings/busy`,
      ]) {
        const other = await employee.get(path);
        expect(other.status, path).to.equal(404);
        expect(other.body).to.not.include(MARK_OTHER_EMPLOYEE).and.not.include(MARK_OTHER_PBX);
      }
      expect((await employee.post(`/voicemail/configuration/${colleague}`, { name: 'Mine' })).status).to.equal(404);
    });

    it('changes their own name, password and settings, but not the number', async () => {
      const a = await employee.post(`/voicemail/configuration/${own}`, {
        number: '999',
        name: 'Emma Employee',
        password: '13579',
        passwordConfirm: '13579',
        announcementOnly: 'true',
        retentionDays: '14',
      });
      expect(a.status, a.body.slice(0, 1500)).to.equal(303);
      expect(a.location).to.equal(`/voicemail/configuration/${own}`);
      expect(await mailbox(own)).to.include({
        number: '201',
        name: 'Emma Employee',
        password: '13579',
        announcementOnly: true,
        retentionDays: 14,
      });
    });

    it('an administrator picks an extension’s mailbox from the list', async () => {
      const a = await admin.get('/voicemail/configuration');
      expect(a.status).to.equal(200);
      expect(a.body).to.include(`href="/voicemail/configuration/${own}"`).and.include('Configure mailbox 201');
      expect(a.body).to.not.include(MARK_OTHER_PBX);
    });
  });

  describe('greetings', () => {
    it('uploads a greeting (progress-bar XHR gets JSON), plays it back as audio, goes back to the default', async () => {
      const path = `/voicemail/configuration/${own}/greetings/busy`;
      const up = await upload(employee, path, wav({ seconds: 1 }), 'my busy.wav', true);
      expect(up.status, up.body).to.equal(200);
      expect(JSON.parse(up.body)).to.deep.equal({ redirect: `/voicemail/configuration/${own}` });
      const m = await mailbox(own);
      expect(m.busyGreetingId).to.be.a('number');
      const page = await employee.get(`/voicemail/configuration/${own}`);
      // (The flash travels in the JSON answer's cookie, which this fetch does not keep: the browser test sees it.)
      expect(page.body).to.include('my busy.wav');
      const played = await fetch(`${server.url}${path}`, {
        headers: { cookie: [...employee.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect(played.status).to.equal(200);
      expect(played.headers.get('content-type')).to.equal('audio/wav');
      expect((await played.arrayBuffer()).byteLength).to.be.greaterThan(1000);
      // The greeting is in what FreeSWITCH gets, both ways.
      const stored = (await w.services.snapshot(world.acme.pbx.id)).audioFiles.find((x) => x.id === m.busyGreetingId);
      expect(await exportedText(w.services, 'acme')).to.include(stored?.storedName);
      expect(
        await liveAnswer(
          w.services,
          'section=dialplan&Caller-Context=acme&Caller-Destination-Number=201&Hunt-Context=acme',
        ),
      ).to.include(stored?.storedName);
      const cleared = await employee.post(`/voicemail/configuration/${own}/greetings/busy/clear`, {
        back: `/voicemail/configuration/${own}`,
      });
      expect(cleared.status).to.equal(303);
      expect((await mailbox(own)).busyGreetingId).to.equal(null);
      expect((await employee.follow(cleared)).body).to.include('uses the default busy message again');
    });

    it('a refused file is explained next to that greeting and the previous greeting stays', async () => {
      const path = `/services/mailboxes/${own}/greetings/unavailable`;
      expect((await upload(admin, path, wav({ seconds: 1 }), 'first.wav')).status).to.equal(303);
      const before = (await mailbox(own)).unavailableGreetingId;
      const bad = await upload(admin, path, Buffer.from('<html><script>alert(1)</script></html>'), 'x.wav');
      expect(bad.status).to.equal(422);
      expect(bad.body).to.include('id="greeting-unavailable-error"').and.not.include('<script>alert(1)');
      const json = await upload(admin, path, Buffer.from('just some text, not audio at all'), 'x.mp3', true);
      expect(json.status).to.equal(422);
      expect(JSON.parse(json.body).fields.file).to.be.a('string');
      expect((await mailbox(own)).unavailableGreetingId).to.equal(before);
      // Only from a page of this portal: an outside "back" is ignored.
      const off = await admin.post(`/services/mailboxes/${own}/greetings/unavailable/clear`, {
        back: '//evil.example/x',
      });
      expect(off.location).to.equal(`/services/mailboxes/${own}`);
    });

    it('without a connection to FreeSWITCH the Record button is not offered, and a post says so plainly', async () => {
      const page = await admin.get(`/services/mailboxes/${own}`);
      expect(page.body).to.include('dial <strong class="code">*201</strong>').and.not.include('/greetings/busy/record');
      const a = await admin.post(`/services/mailboxes/${own}/greetings/busy/record`);
      expect(a.status).to.equal(503);
      expect(a.body).to.include('not connected to the phone system').and.include('dial *201 from your phone');
    });
  });

  describe('record by phone (event socket)', () => {
    let esl: FakeEslServer;
    let control: EslFreeswitchControl;
    let portal: PortalServer;
    let c: PortalClient;
    const command = (greeting: string) =>
      `originate {originate_timeout=30,dialtone_record_auth=mailbox_${own}}user/201@acme.pbx.local dt_record_greeting_${own}_${greeting} XML acme`;

    before(async () => {
      esl = await FakeEslServer.start();
      control = new EslFreeswitchControl({ host: '127.0.0.1', port: esl.port, password: 'ClueCon', reconnect: false });
      const recorder = new GreetingRecorder(w.orm, w.services.browse, control, { waitMs: 500, where: 'test' });
      portal = await startPortal(w.services, {
        hooks: { recordGreeting: (...args) => recorder.ring(...args) },
      });
      c = new PortalClient(portal.url);
      await c.login('emp@acme.test', PASSWORD);
    });
    after(async () => {
      esl?.releaseHung();
      await control?.close();
      await esl?.close();
      await portal?.close();
    });

    it('rings the employee’s own phone into recording that greeting, authorised for that mailbox only', async () => {
      esl.setApiReply(command('name'), { hang: true }); // the phone rings; nobody has answered yet
      const page = await c.get(`/voicemail/configuration/${own}`);
      expect(page.body).to.include(`action="/voicemail/configuration/${own}/greetings/name/record"`);
      const a = await c.post(`/voicemail/configuration/${own}/greetings/name/record`, {
        back: `/voicemail/configuration/${own}`,
      });
      expect(a.status).to.equal(303);
      expect((await c.follow(a)).body).to.include('Your phone (extension 201) is ringing');
      expect(esl.commandTexts()).to.include(`bgapi ${command('name')}`);
    });

    it('says plainly when the phone is not connected, with the feature code to dial instead', async () => {
      esl.setApiReply(command('busy'), { body: '-ERR USER_NOT_REGISTERED\n' });
      const a = await c.post(`/voicemail/configuration/${own}/greetings/busy/record`);
      expect(a.status).to.equal(503);
      expect(a.body).to.include('is not connected to the phone system right now').and.include('dial *201');
      expect(a.body).to.include('id="greeting-busy-error"');
    });

    it('says plainly when the event socket cannot be reached', async () => {
      const dead = new EslFreeswitchControl({ host: '127.0.0.1', port: 1, password: 'ClueCon', reconnect: false });
      const recorder = new GreetingRecorder(w.orm, w.services.browse, dead, { waitMs: 2000, where: '127.0.0.1:1' });
      const p = await startPortal(w.services, { hooks: { recordGreeting: (...args) => recorder.ring(...args) } });
      try {
        const d = new PortalClient(p.url);
        await d.login('admin@acme.test', PASSWORD);
        const a = await d.post(`/services/mailboxes/${own}/greetings/unavailable/record`);
        expect(a.status).to.equal(503);
        expect(a.body).to.include('could not reach the phone system’s event socket (127.0.0.1:1)');
      } finally {
        await dead.close();
        await p.close();
      }
    });
  });
});
