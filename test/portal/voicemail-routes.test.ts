// Voicemail pages over the fake event socket (real FreeSWITCH reply formats): who sees which mailbox (an employee
// only their own; another's and another tenant's answer 404 like a missing one), the list in the PBX's time,
// hostile caller names escaped, audio by byte range and as a download, mark saved / new and delete with CSRF,
// the unread count on Home and in the menu, and a clear 503 when FreeSWITCH does not answer.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { syntheticMessages } from '../fakes/vm-list-fixture';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openVoicemailWorld, type VoicemailWorld } from '../helpers/voicemail-world';
import { compile, expectValid, type SchemaDoc } from './api/openapi-schemas';
import { MARK_OTHER_EMPLOYEE } from './world';

const ACME = 'acme.pbx.local';
const HOSTILE = `<script>alert(1)</script> O'Hara & "Co" ]]>`;

describe('portal voicemail pages', function () {
  this.timeout(60_000);
  let w: VoicemailWorld;
  let server: PortalServer;
  let admin: PortalClient;
  let employee: PortalClient;
  let box201: number;
  let box202: number;
  let otherBox: number;

  before(async () => {
    w = await openVoicemailWorld(ENGINES[0]);
    server = await startPortal(w.services);
    box201 = w.world.acme.ext['201'].mailboxId;
    box202 = w.world.acme.ext['202'].mailboxId;
    otherBox = w.world.other.ext['201'].mailboxId;
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
    employee = new PortalClient(server.url);
    expect((await employee.login('emp@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  beforeEach(() => {
    // 201: three messages (the newest one heard, one with a hostile caller name); 202: the colleague's two.
    const mine = syntheticMessages(3, (i) => (i === 1 ? HOSTILE : `Caller ${i}`));
    w.setMessages('201', ACME, mine);
    w.setMessages(
      '202',
      ACME,
      syntheticMessages(2, () => MARK_OTHER_EMPLOYEE),
    );
    w.setMessages(
      '201',
      'other.pbx.local',
      syntheticMessages(1, () => 'Zulu Othertenant'),
    );
  });

  const msgPath = (box: number, uuid: string, what: string) => `/voicemail/mailboxes/${box}/messages/${uuid}/${what}`;

  it('an employee goes straight to their own mailbox; its list shows caller, PBX time, length and New/Saved', async () => {
    const start = await employee.get('/voicemail');
    expect(start.status).to.equal(303);
    expect(start.location).to.equal(`/voicemail/mailboxes/${box201}?folder=new`);
    const page = await employee.follow(start);
    expect(page.status).to.equal(200);
    const [m0, m1, m2] = w.messagesOf('201', ACME);
    // New folder: the two unheard ones, newest first; 1796470000 is 2026-12-05 11:26:40 UTC = 05:26 in Chicago.
    expect(page.body.indexOf(m1!.uuid)).to.be.greaterThan(0);
    expect(page.body.indexOf(m1!.uuid)).to.be.lessThan(page.body.indexOf(m0!.uuid));
    expect(page.body).to.not.include(m2!.uuid);
    expect(page.body).to.include('2026-12-05 05:26');
    expect(page.body).to.include('0:05');
    expect(page.body).to.include('Caller 0').and.include('5551230000');
    expect(page.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Hara &amp; &quot;Co&quot; ]]&gt;');
    expect(page.body).to.not.include('<script>alert(1)');
    expect(page.body).to.not.include(MARK_OTHER_EMPLOYEE);
    const saved = await employee.get(`/voicemail/mailboxes/${box201}?folder=saved`);
    expect(saved.body).to.include(m2!.uuid).and.not.include(m0!.uuid);
    expect(saved.body).to.include('Mark New');
  });

  it("another employee's mailbox and another tenant's answer 404 exactly like a missing one, and change nothing", async () => {
    const [c0] = w.messagesOf('202', ACME);
    const [o0] = w.messagesOf('201', 'other.pbx.local');
    const missing = await employee.get('/voicemail/mailboxes/999999');
    for (const path of [
      `/voicemail/mailboxes/${box202}`,
      `/voicemail/mailboxes/${otherBox}`,
      msgPath(box202, c0!.uuid, 'audio'),
      msgPath(otherBox, o0!.uuid, 'audio'),
    ]) {
      const a = await employee.get(path);
      expect(a.status, path).to.equal(404);
      expect(a.body).to.not.include(MARK_OTHER_EMPLOYEE).and.not.include('Zulu');
      expect(mainOf(a.body)).to.equal(mainOf(missing.body));
    }
    for (const what of ['save', 'mark-new', 'delete'])
      expect((await employee.post(msgPath(box202, c0!.uuid, what))).status, what).to.equal(404);
    // A message of another mailbox under the employee's own mailbox id is not found either.
    expect((await employee.post(msgPath(box201, c0!.uuid, 'delete'))).status).to.equal(404);
    expect((await employee.get(msgPath(box201, c0!.uuid, 'audio'))).status).to.equal(404);
    expect(w.messagesOf('202', ACME)).to.have.length(2);
    expect(w.esl.commandTexts().filter((c) => /vm_(delete|read) 202@/.test(c))).to.deep.equal([]);
    // The other tenant's administrator sees none of acme's mailboxes.
    const otherAdmin = new PortalClient(server.url);
    await otherAdmin.login('admin@other.test', PASSWORD);
    expect((await otherAdmin.get(`/voicemail/mailboxes/${box201}`)).status).to.equal(404);
  });

  it('an administrator sees every mailbox with counts and picks a mailbox and folder with Submit', async () => {
    const page = await admin.get('/voicemail');
    expect(page.status).to.equal(200);
    expect(page.body).to.include('select a folder, and click Submit');
    expect(page.body).to.include(MARK_OTHER_EMPLOYEE).and.not.include('Zulu');
    const go = await admin.get(`/voicemail?mailbox=${box202}&folder=saved`);
    expect(go.status).to.equal(303);
    expect(go.location).to.equal(`/voicemail/mailboxes/${box202}?folder=saved`);
    const box = await admin.get(`/voicemail/mailboxes/${box202}?folder=new`);
    expect(box.body).to.include(w.messagesOf('202', ACME)[0]!.uuid);
  });

  it('streams the WAV whole, by byte range (206, seeking) and as a download; 416 past the end', async () => {
    const [m0] = w.messagesOf('201', ACME);
    const bytes = w.audioOf(m0!.uuid);
    const path = msgPath(box201, m0!.uuid, 'audio');
    const whole = await fetch(server.url + path, { headers: { cookie: cookieOf(employee) } });
    expect(whole.status).to.equal(200);
    expect(whole.headers.get('content-type')).to.equal('audio/wav');
    expect(whole.headers.get('accept-ranges')).to.equal('bytes');
    expect(whole.headers.get('content-disposition')).to.match(
      /^inline; filename="voicemail-201-2026-12-05-0526\.wav"$/,
    );
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).to.equal(true);

    const part = await fetch(server.url + path, { headers: { cookie: cookieOf(employee), range: 'bytes=44-99' } });
    expect(part.status).to.equal(206);
    expect(part.headers.get('content-range')).to.equal(`bytes 44-99/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(44, 100))).to.equal(true);

    const tail = await fetch(server.url + path, { headers: { cookie: cookieOf(employee), range: 'bytes=-10' } });
    expect(tail.status).to.equal(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).to.equal(true);

    const past = await fetch(server.url + path, {
      headers: { cookie: cookieOf(employee), range: `bytes=${bytes.length}-` },
    });
    expect(past.status).to.equal(416);
    expect(past.headers.get('content-range')).to.equal(`bytes */${bytes.length}`);

    const dl = await fetch(`${server.url + path}?download=1`, { headers: { cookie: cookieOf(employee) } });
    expect(dl.headers.get('content-disposition')).to.match(/^attachment; /);
    expect(dl.headers.get('content-security-policy')).to.equal("default-src 'none'; sandbox");
    await dl.arrayBuffer();
  });

  it('mark saved, mark new and delete go to FreeSWITCH (vm_read / vm_delete) with the CSRF token only', async () => {
    const [m0, m1] = w.messagesOf('201', ACME);
    for (const what of ['save', 'mark-new', 'delete']) {
      const forged = await employee.request('POST', msgPath(box201, m0!.uuid, what), { _csrf: 'forged' });
      expect(forged.status, what).to.equal(403);
      const none = await employee.request('POST', msgPath(box201, m0!.uuid, what), {});
      expect(none.status, what).to.equal(403);
    }
    expect(w.esl.commandTexts().filter((c) => c.includes(m0!.uuid))).to.deep.equal([]);

    const back = `/voicemail/mailboxes/${box201}?folder=new`;
    const saved = await employee.post(msgPath(box201, m0!.uuid, 'save'), { back });
    expect(saved.status).to.equal(303);
    expect(saved.location).to.equal(back);
    expect(w.esl.commandTexts()).to.include(`api vm_read 201@${ACME} read ${m0!.uuid}`);
    const after = await employee.follow(saved);
    expect(after.body).to.include('Message marked saved.');
    expect(after.body).to.not.include(m0!.uuid);

    await employee.post(msgPath(box201, m0!.uuid, 'mark-new'), { back });
    expect(w.esl.commandTexts()).to.include(`api vm_read 201@${ACME} unread ${m0!.uuid}`);

    const gone = await employee.post(msgPath(box201, m1!.uuid, 'delete'), { back: 'https://evil.example/' });
    expect(gone.location).to.equal(back); // never anywhere else
    expect(w.esl.commandTexts()).to.include(`api vm_delete 201@${ACME} ${m1!.uuid}`);
    expect(w.messagesOf('201', ACME).map((m) => m.uuid)).to.not.include(m1!.uuid);
    expect((await employee.follow(gone)).body)
      .to.include('Message deleted.')
      .and.not.include(m1!.uuid);
  });

  it('shows the unread count on Home and next to Voicemail in the menu', async () => {
    const c = new PortalClient(server.url);
    await c.login('emp@acme.test', PASSWORD);
    const home = await c.get('/');
    expect(home.body).to.include('Unread voicemail');
    expect(home.body).to.match(/<td>201<\/td><td>[^<]*<\/td><td class="num">2<\/td>/);
    expect(home.body).to.match(/>Voicemail <span class="count-badge">2<span class="visually-hidden"> new<\/span>/);
  });

  it('the API (/api/v1/pbxs/{ctx}/voicemail…) answers the same messages, to the token owner only', async () => {
    const token = async (userId: number) =>
      (await w.services.apiTokens.create(SYSTEM, w.world.acme.pbx.id, userId, { name: `vm-${userId}` })).secret;
    const emp = await token(w.world.employeeId);
    const api = (path: string, init: RequestInit = {}, secret = emp) =>
      fetch(`${server.url}/api/v1/pbxs/acme${path}`, {
        ...init,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...init.headers },
      });
    // Every JSON answer as the API document describes it.
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as SchemaDoc;
    const schema = compile(doc);
    const described = async (path: string, name: string, init: RequestInit = {}) => {
      const json = await (await api(path, init)).json();
      expectValid(schema(name), json, `${init.method ?? 'GET'} ${path}`);
      return json;
    };
    await described('/voicemail', 'VoicemailMailboxList');
    await described(`/voicemail/${box201}`, 'VoicemailMessageList');
    await described(`/voicemail/${box201}/messages/${w.messagesOf('201', ACME)[0]!.uuid}`, 'VoicemailMessage');
    const boxes = (await (await api('/voicemail')).json()) as { mailboxes: Array<{ number: string }> };
    expect(boxes.mailboxes.map((b: { number: string }) => b.number)).to.deep.equal(['201']);
    const [m0, m1] = w.messagesOf('201', ACME);
    const list = (await (await api(`/voicemail/${box201}?folder=new`)).json()) as {
      messages: Array<Record<string, unknown>>;
    };
    expect(list.messages.map((m) => m.id)).to.deep.equal([m1!.uuid, m0!.uuid]);
    expect(list.messages[0]).to.include({ callerName: HOSTILE, folder: 'new', receivedLocal: '2026-12-05T05:27' });
    expect((await api(`/voicemail/${box202}`)).status).to.equal(404);
    expect((await api(`/voicemail/${otherBox}`)).status).to.equal(404);
    const c0 = w.messagesOf('202', ACME)[0]!;
    expect((await api(`/voicemail/${box202}/messages/${c0.uuid}`, { method: 'DELETE' })).status).to.equal(404);
    expect(w.messagesOf('202', ACME)).to.have.length(2);

    const saved = await api(`/voicemail/${box201}/messages/${m0!.uuid}`, {
      method: 'PATCH',
      body: JSON.stringify({ folder: 'saved' }),
    });
    expect(saved.status).to.equal(200);
    const savedJson = await saved.json();
    expectValid(schema('VoicemailMessage'), savedJson, 'PATCH');
    expect((savedJson as { folder: string }).folder).to.equal('saved');
    const bad = await api(`/voicemail/${box201}/messages/${m0!.uuid}`, {
      method: 'PATCH',
      body: JSON.stringify({ folder: 'trash' }),
    });
    expect(bad.status).to.equal(422);
    const audio = await api(`/voicemail/${box201}/messages/${m0!.uuid}/audio`, { headers: { range: 'bytes=0-43' } });
    expect(audio.status).to.equal(206);
    expect(Buffer.from(await audio.arrayBuffer()).equals(w.audioOf(m0!.uuid).subarray(0, 44))).to.equal(true);
    expect((await api(`/voicemail/${box201}/messages/${m1!.uuid}`, { method: 'DELETE' })).status).to.equal(204);
    expect(w.messagesOf('201', ACME).map((m) => m.uuid)).to.not.include(m1!.uuid);
    // No bearer token: 401, whatever cookie the browser has.
    const anon = await fetch(`${server.url}/api/v1/pbxs/acme/voicemail`, { headers: { cookie: cookieOf(employee) } });
    expect(anon.status).to.equal(401);
  });

  it('a big PBX: the table counts 50 mailboxes a page, and opening one mailbox counts only that one', async () => {
    const pbxId = w.world.acme.pbx.id;
    const created: number[] = [];
    for (let i = 0; i < 55; i++) {
      const number = String(7000 + i);
      created.push(
        (
          await w.services.objects.create(SYSTEM, pbxId, 'mailboxes', {
            number,
            name: `Big ${number}`,
            password: '4321',
          })
        ).id as number,
      );
      w.esl.setApiReply(`vm_list vm_${number}@${ACME}`, { fixture: 'esl-api-vm_list-empty.txt' });
    }
    try {
      const lists = () => w.esl.commandTexts().filter((c) => c.startsWith('api vm_list')).length;
      const before = lists();
      const first = await admin.get('/voicemail');
      expect(first.status).to.equal(200);
      const asked = lists() - before;
      expect(asked, 'one vm_list per mailbox shown').to.be.at.most(50);
      expect(first.body.match(/<tr>/g)?.length).to.equal(51); // the header row and 50 mailboxes
      expect(first.body).to.include('Showing 1&#8211;50 of').and.include('href="/voicemail?page&#x3D;2"');
      // The chooser still offers every mailbox, counted or not.
      expect(first.body).to.include('>7054 Big 7054</option>');
      const second = await admin.get('/voicemail?page=2');
      expect(second.body).to.include('Big 7054</td>');
      const beforeOne = lists();
      const one = await admin.get(`/voicemail/mailboxes/${created[0]}?folder=new`);
      expect(one.status).to.equal(200);
      expect(lists() - beforeOne, 'the mailbox shown only (its counts and its messages)').to.be.at.most(2);
    } finally {
      for (const id of created) await w.services.objects.delete(SYSTEM, pbxId, 'mailboxes', id);
    }
  });

  it('says plainly that voicemail is unavailable when FreeSWITCH does not answer (503, no stack)', async () => {
    w.esl.setApiReply(`vm_list 201@${ACME}`, { hang: true });
    w.esl.admission = 'close';
    w.esl.dropConnections();
    try {
      const page = await employee.get(`/voicemail/mailboxes/${box201}?folder=new`);
      expect(page.status).to.equal(503);
      expect(page.body).to.include('voicemail is unavailable');
      expect(page.body).to.not.match(/at \w+ \(/);
    } finally {
      w.esl.admission = 'accept';
    }
  });
});

function cookieOf(c: PortalClient): string {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The page's own content (the menu's unread badge may differ between two answers). */
function mainOf(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}
