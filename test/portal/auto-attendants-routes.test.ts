// Route tests of Services → Auto Attendants: the manual's sections, buttons through the picker, timeout and invalid
// destinations, announcement upload (JSON for the progress bar), Play, back to default, Record via Phone with and
// without FreeSWITCH; escaping, CSRF, roles; and a change reaching FreeSWITCH (exported tree, live xml_curl answer).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { wav } from '../helpers/audio-files';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { exportedTree, liveAnswer } from './freeswitch-reach';
import { MARK_OTHER_PBX, portalWorld } from './world';

describe('portal: Auto Attendants', function () {
  this.timeout(90_000);
  let w: TestWorld;
  let services: Services;
  let dataDir: string;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let groupId: number;
  const rings: unknown[] = [];
  let reachable = true;
  const snap = () => w.services.snapshot(world.acme.pbx.id);
  const cookie = () => [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-aa-'));
    services = createServices(w.orm, { profileIds: new Set() }, { dataDir });
    const g = await services.objects.create(SYSTEM, world.acme.pbx.id, 'groups', {
      name: 'Support',
      strategy: 'simultaneous',
      secondsToRing: 20,
      memberIds: [world.acme.ext['201'].id, world.acme.ext['202'].id],
      afterRing: { kind: 'hangup' },
    });
    groupId = g.id as number;
    await services.users.update(SYSTEM, world.acme.pbx.id, world.adminId, { extensionId: world.acme.ext['201'].id });
    server = await startPortal(services, {
      hooks: {
        recordAttendantByPhone: async (r) => {
          if (!reachable) throw new Error('connect ECONNREFUSED');
          rings.push(r);
          return 'ringing';
        },
      },
    });
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const form = (more: Record<string, string> = {}) => ({
    name: 'Front Desk',
    timeoutSec: '8',
    digitTimeoutSec: '3',
    dialExtensions: 'true',
    'announcement.source': 'default',
    'buttons.1.kind': 'mailbox',
    'buttons.1.mailbox': String(world.acme.ext['201'].mailboxId),
    'buttons.0.kind': 'group',
    'buttons.0.group': String(groupId),
    'buttons.timeout.kind': 'mailbox',
    'buttons.timeout.mailbox': String(world.acme.ext['202'].mailboxId),
    ...more,
  });
  const frontDesk = async () => (await snap()).autoAttendants.find((a) => a.name === 'Front Desk');

  it('shows General Settings, Announcement and Button Configuration with the manual’s words', async () => {
    const a = await admin.get('/services/auto-attendants/new');
    expect(a.status).to.equal(200);
    for (const text of [
      'General Settings',
      'Attendant Name',
      'Attendant Timeout',
      'Digit Timeout',
      'Announcement',
      'Default Recording',
      'If you know your party’s extension, you may dial it at any time',
      'Button Configuration',
      'Button 0',
      'Button 9',
      'Button *',
      'Button #',
      'Invalid Entry',
    ])
      expect(a.body, text).to.include(text);
    const list = await admin.get('/services/auto-attendants');
    expect(list.body).to.include('>Main Menu</a>').and.not.include(MARK_OTHER_PBX);
  });

  it('creates an attendant whose 1 reaches a mailbox and 0 a ring group; the menu reaches the tree and xml_curl', async () => {
    const a = await admin.post('/services/auto-attendants/new', form());
    expect(a.status, a.body.slice(0, 2000)).to.equal(303);
    expect((await admin.follow(a)).body).to.include('Auto attendant Front Desk saved.');
    const aa = await frontDesk();
    expect(aa?.timeoutSec).to.equal(8);
    expect(aa?.buttons['1']).to.deep.include({ kind: 'mailbox', id: world.acme.ext['201'].mailboxId });
    expect(aa?.buttons['0']).to.deep.equal({ kind: 'group', id: groupId });
    expect(aa?.buttons.timeout).to.deep.include({ kind: 'mailbox', id: world.acme.ext['202'].mailboxId });
    const entry = (digits: string) =>
      new RegExp(`<entry action="menu-exec-app" digits="${digits}" param="transfer ([^"]+)"`);
    const tree = await exportedTree(w, world.acme.pbx.id);
    expect(tree).to.match(entry('1')).and.match(entry('0'));
    const conf = await liveAnswer(w, 'section=configuration&key_value=ivr.conf');
    expect(conf).to.match(entry('1')).and.match(entry('0'));
    expect(conf).to.include('timeout="8000"');
    // Editing in the page changes what FreeSWITCH gets: button 1 to hang up.
    const b = await admin.post(`/services/auto-attendants/${aa?.id}`, form({ 'buttons.1.kind': 'hangup' }));
    expect(b.status, b.body.slice(0, 1500)).to.equal(303);
    const conf2 = await liveAnswer(w, 'section=configuration&key_value=ivr.conf');
    expect(conf2).to.not.equal(conf);
    expect(await exportedTree(w, world.acme.pbx.id)).to.not.equal(tree);
  });

  it('shows errors next to the field (unknown number, bad timeout, duplicate name) and prints hostile names escaped', async () => {
    const before = JSON.stringify((await snap()).autoAttendants);
    const a = await admin.post(
      '/services/auto-attendants/new',
      form({ name: 'Main Menu', timeoutSec: '99', 'buttons.2.kind': 'extension', 'buttons.2.extension': '' }),
    );
    expect(a.status).to.equal(422);
    expect(a.body).to.include('href="#f-timeoutSec"').and.include('href="#f-name"').and.include('href="#f-buttons-2"');
    const h = await admin.post(
      '/services/auto-attendants/new',
      form({ name: '<script>alert(1)</script>', timeoutSec: 'x' }),
    );
    expect(h.status).to.equal(422);
    expect(h.body).to.not.include('<script>alert(1)');
    expect(JSON.stringify((await snap()).autoAttendants)).to.equal(before);
  });

  it('uploads an announcement (JSON answer for the progress bar), plays it, and goes back to the default', async () => {
    const aa = await frontDesk();
    const path = `/services/auto-attendants/${aa?.id}`;
    const page = await admin.get(path);
    expect(page.body).to.include('data-upload-progress').and.include('at most 10 MB').and.include('*323');
    const body = new FormData();
    body.append('_csrf', admin.csrf);
    body.append('file', new Blob([wav({ seconds: 1 })], { type: 'audio/wav' }), 'welcome.wav');
    const up = await fetch(`${server.url}${path}/announcement?_csrf=${encodeURIComponent(admin.csrf)}`, {
      method: 'POST',
      body,
      headers: { cookie: cookie(), accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(up.status, await up.clone().text()).to.equal(200);
    expect(await up.json()).to.deep.equal({ redirect: path });
    const after = await frontDesk();
    expect(after?.announcement.source).to.equal('audio');
    const shown = await admin.get(path);
    expect(shown.body).to.include('welcome.wav').and.include('Uploaded or recorded');
    const play = await fetch(`${server.url}${path}/announcement`, { headers: { cookie: cookie() } });
    expect(play.status).to.equal(200);
    expect(play.headers.get('content-type')).to.match(/audio\/wav/);
    // The uploaded file is in the tree the generator writes for this attendant.
    expect(await liveAnswer(w, 'section=configuration&key_value=ivr.conf')).to.match(/greet-long="[^"]*\/acme\//);
    const d = await admin.post(`${path}/announcement/default`);
    expect(d.status).to.equal(303);
    expect((await frontDesk())?.announcement).to.deep.equal({ source: 'default' });
  });

  it('Record via Phone rings the administrator’s extension, or says plainly that FreeSWITCH cannot be reached', async () => {
    const aa = await frontDesk();
    const path = `/services/auto-attendants/${aa?.id}`;
    const a = await admin.post(`${path}/record`);
    expect(a.status).to.equal(303);
    expect((await admin.follow(a)).body).to.include('Your phone (extension 201) is ringing');
    expect(rings).to.deep.equal([
      { extension: '201', domain: (await snap()).pbx.domain, context: 'acme', attendantId: aa?.id },
    ]);
    reachable = false;
    const b = await admin.post(`${path}/record`);
    expect((await admin.follow(b)).body)
      .to.include('cannot be reached right now')
      .and.include('Dial *323');
    reachable = true;
  });

  it('refuses posts without CSRF; an employee cannot create, edit or delete; delete is refused while used', async () => {
    const aa = await frontDesk();
    const before = JSON.stringify((await snap()).autoAttendants);
    expect((await admin.request('POST', '/services/auto-attendants/new', { ...form(), _csrf: 'x' })).status).to.equal(
      403,
    );
    const emp = new PortalClient(server.url);
    await emp.login('emp@acme.test', PASSWORD);
    expect((await emp.post('/services/auto-attendants/new', form({ name: 'x' }))).status).to.equal(403);
    expect((await emp.post(`/services/auto-attendants/${aa?.id}`, form({ name: 'x' }))).status).to.be.oneOf([403, 404]);
    expect(JSON.stringify((await snap()).autoAttendants)).to.equal(before);
    await services.objects.update(SYSTEM, world.acme.pbx.id, 'numbers', world.acme.numberId, {
      routeTo: { kind: 'auto_attendant', id: aa?.id },
    });
    const del = await admin.get(`/services/auto-attendants/${aa?.id}/delete`);
    expect(del.body).to.include('cannot be deleted yet');
    expect((await admin.post(`/services/auto-attendants/${aa?.id}/delete`)).status).to.equal(409);
  });
});
