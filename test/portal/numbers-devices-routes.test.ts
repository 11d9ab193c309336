// Route tests of Services → Phone Numbers, Services → Devices and the installer form (/install): pages, saving through
// the picker, operator-owned fields never changed from the portal, MAC in any notation, model grouped by vendor,
// extension(s) and buddy keys, the result page (provisioning URL, DHCP option 66, login, the window button), rotate,
// delete, hostile input escaped, employees refused, and a phone number change reaching FreeSWITCH both ways.
import { expect } from 'chai';
import { DeviceSchema, PhoneNumberSchema } from '../../src/domain/model';
import { buildPhoneConfig } from '../../src/provisioning/build-phone-config';
import { provisioningSettings } from '../../src/provisioning/default-settings';
import { defaultProfileDir } from '../../src/provisioning/profile-dir';
import { createRenderer, defaultTemplateRoot, loadProvisioningTemplates } from '../../src/provisioning/render';
import { SYSTEM } from '../../src/services/actor';
import type { FirmwareProfile } from '../../src/vendors/firmware-profile';
import { loadProfileCatalog } from '../../src/vendors/profile-catalog';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { exportedText, liveAnswer } from './freeswitch-views';
import { MARK_OTHER_PBX, portalWorld } from './world';

const HOSTILE = '<script>alert(1)</script>';

describe('portal phone numbers, devices and the installer form', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let employee: PortalClient;

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    server = await startPortal(w.services, { publicUrl: 'https://pbx.example.net', provisioning: { tftpPort: 69 } });
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
    employee = new PortalClient(server.url);
    expect((await employee.login('emp@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  const number = (id: number) => w.orm.em.fork().findOneOrFail(PhoneNumberSchema, { id });
  const deviceByMac = (mac: string) => w.orm.em.fork().findOne(DeviceSchema, { mac });

  describe('Phone Numbers', () => {
    it('lists this PBX’s numbers only, formatted, without New or Delete (the provider’s)', async () => {
      const a = await admin.get('/services/phone-numbers');
      expect(a.status).to.equal(200);
      const n = (await number(world.acme.numberId)).number;
      expect(a.body).to.include(`(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`);
      expect(a.body).to.include(`href="/services/phone-numbers/${world.acme.numberId}"`);
      expect(a.body).to.not.include(`/services/phone-numbers/${world.other.numberId}"`);
      expect(a.body).to.not.include('/services/phone-numbers/new').and.not.include('/delete');
    });

    it('shows every section of the manual with the number and Toll Free read-only', async () => {
      const a = await admin.get(`/services/phone-numbers/${world.acme.numberId}`);
      expect(a.status).to.equal(200);
      expect(a.body).to.include(`href="/services/call-flow/phone-numbers/${world.acme.numberId}"`);
      for (const label of [
        'Incoming Number',
        'Toll Free Number',
        'State',
        'Caller ID (CNAM)',
        'Show Caller ID',
        'Route To',
        'If Holiday',
        'Hold Music Group',
        'Privacy Screening',
      ])
        expect(a.body, label).to.include(label);
      expect(a.body).to.not.include('name="number"').and.not.include('name="tollFree"');
    });

    it('routes the number to an extension with holiday routing to a mailbox; it reaches FreeSWITCH both ways', async () => {
      const id = world.acme.numberId;
      const a = await admin.post(`/services/phone-numbers/${id}`, {
        state: 'il',
        callerIdName: 'Acme Sales',
        showCallerId: 'true',
        'routeTo.kind': 'extension',
        'routeTo.extension': String(world.acme.ext['202'].id),
        'ifHoliday.kind': 'mailbox',
        'ifHoliday.mailbox': String(world.acme.ext['201'].mailboxId),
        privacyScreening: 'true',
        // Operator fields posted by a crafted form are ignored, never saved.
        number: '9995550100',
        tollFree: 'true',
      });
      expect(a.status, a.body.slice(0, 2000)).to.equal(303);
      expect((await admin.follow(a)).body).to.include('saved.');
      const n = await number(id);
      expect(n).to.include({ state: 'IL', callerIdName: 'Acme Sales', privacyScreening: true, tollFree: false });
      expect(n.number).to.not.equal('9995550100');
      expect(n.routeTo).to.deep.equal({ kind: 'extension', id: world.acme.ext['202'].id });
      expect(n.ifHoliday).to.deep.include({ kind: 'mailbox', id: world.acme.ext['201'].mailboxId });
      const list = await admin.get('/services/phone-numbers');
      expect(list.body).to.include('Extension 202').and.include('Mailbox 201');

      const tree = await exportedText(w.services, 'acme');
      expect(tree).to.include(`dt_called_number=${n.number}`);
      const live = await liveAnswer(
        w.services,
        `section=dialplan&Caller-Context=acme&Caller-Destination-Number=dt_did_${id}&Hunt-Context=acme`,
      );
      expect(live).to.include(`dialtone_route=did_${id}`);
    });

    it('an empty If Holiday routes holidays like other days; Route To is required, errors next to the field', async () => {
      const id = world.acme.numberId;
      const a = await admin.post(`/services/phone-numbers/${id}`, {
        'routeTo.kind': 'extension',
        'routeTo.extension': String(world.acme.ext['201'].id),
        'ifHoliday.kind': '',
        showCallerId: 'true',
      });
      expect(a.status).to.equal(303);
      expect((await number(id)).ifHoliday).to.equal(null);
      const bad = await admin.post(`/services/phone-numbers/${id}`, {
        'routeTo.kind': '',
        callerIdName: '<b>x</b>',
        state: '12',
      });
      expect(bad.status).to.equal(422);
      expect(bad.body).to.include('href="#f-routeTo"').and.include('href="#f-state"');
      expect(bad.body).to.not.include('<b>x</b>');
      expect(bad.body).to.include('value="&lt;b&gt;x&lt;/b&gt;"');
      expect((await number(id)).routeTo).to.deep.equal({ kind: 'extension', id: world.acme.ext['201'].id });
    });

    it('refuses employees (403), another tenant’s number (404) and a post without the CSRF token', async () => {
      expect((await employee.get('/services/phone-numbers')).status).to.equal(403);
      expect((await employee.get(`/services/phone-numbers/${world.acme.numberId}`)).status).to.equal(403);
      const other = await admin.get(`/services/phone-numbers/${world.other.numberId}`);
      expect(other.status).to.equal(404);
      expect(other.body).to.not.include(MARK_OTHER_PBX);
      const forged = await admin.post(`/services/phone-numbers/${world.acme.numberId}`, {
        _csrf: 'forged',
        callerIdName: 'Forged',
        'routeTo.kind': 'hangup',
      });
      expect(forged.status).to.equal(403);
      expect((await number(world.acme.numberId)).callerIdName).to.equal(null);
    });
  });

  describe('the installer form', () => {
    it('offers the models grouped by vendor, fits a phone (no table), and refuses employees', async () => {
      const a = await admin.get('/install');
      expect(a.status).to.equal(200);
      expect(a.body).to.include('<optgroup label="Polycom">').and.include('<optgroup label="Yealink">');
      expect(a.body).to.include('value="yealink-t54w"').and.include('MAC address').and.include('Buddy list keys');
      expect((await employee.get('/install')).status).to.equal(403);
    });

    it('saves a phone from a MAC in any notation; the result page shows URL, option 66, login and password once', async () => {
      const a = await admin.post('/install', {
        mac: '00-04-F2-AB-CD-EF',
        profileId: 'polycom-vvx450',
        extensions: '201, 202',
        buddies: '202',
        label: 'Front desk',
      });
      expect(a.status, a.body.slice(0, 2000)).to.equal(201);
      const d = await deviceByMac('0004f2abcdef');
      expect(d).to.not.equal(null);
      expect(d?.extensionIds).to.deep.equal([world.acme.ext['201'].id, world.acme.ext['202'].id]);
      expect(d?.lineKeys).to.deep.equal([{ type: 'blf', extensionId: world.acme.ext['202'].id }]);
      expect(a.body).to.include('https://pbx.example.net/provisioning/');
      expect(a.body).to.include('DHCP option 66').and.include('Provisioning login');
      expect(a.body).to.include(d?.provisioningUsername as string);
      const password = /Provisioning password<\/dt><dd><code class="copy">([A-Za-z0-9]+)</.exec(a.body)?.[1];
      expect(password).to.have.length(25);
      expect(a.body).to.include(`action="/install/${d?.id}/arm"`);
      // Shown once: the page again has no password.
      const again = await admin.get(`/install/${d?.id}`);
      expect(again.status).to.equal(200);
      expect(again.body).to.not.include(password as string);
      // The button arms the 15-minute window.
      const arm = await admin.post(`/install/${d?.id}/arm`);
      expect(arm.status).to.equal(303);
      const until = (await deviceByMac('0004f2abcdef'))?.armedUntil as Date;
      const minutes = (until.getTime() - Date.now()) / 60_000;
      expect(minutes).to.be.within(14, 15.1);
      expect((await admin.follow(arm)).body)
        .to.include('provisioning window is open for 15 minutes')
        .and.include('Open until');
    });

    for (const mac of ['0004.f2ab.cd01', '00:04:f2:ab:cd:02', '0004F2ABCD03', '00 04 f2 ab cd 04'])
      it(`normalises the MAC ${mac}`, async () => {
        const a = await admin.post('/install', { mac, profileId: 'yealink-t54w', extensions: '202' });
        expect(a.status, a.body.slice(0, 1500)).to.equal(201);
        const hex = mac.replace(/[\s:.]/g, '').toLowerCase();
        expect(await deviceByMac(hex)).to.not.equal(null);
      });

    it('shows each error next to its field with the input kept, nothing saved', async () => {
      const before = await w.orm.em.fork().count(DeviceSchema, {});
      const a = await admin.post('/install', {
        mac: 'not-a-mac',
        profileId: 'acme-9000',
        extensions: '201, 777',
        buddies: HOSTILE,
      });
      expect(a.status).to.equal(422);
      for (const f of ['mac', 'profileId', 'extensionIds', 'lineKeys']) expect(a.body, f).to.include(`href="#f-${f}"`);
      expect(a.body).to.include('there is no extension 777');
      expect(a.body).to.include('value="not-a-mac"').and.include('value="201, 777"');
      expect(a.body).to.not.include(HOSTILE);
      expect(a.body).to.include('&lt;script&gt;');
      const dup = await admin.post('/install', {
        mac: '00:04:f2:ab:cd:ef',
        profileId: 'yealink-t54w',
        extensions: '201',
      });
      expect(dup.status).to.equal(422);
      expect(dup.body).to.include('this phone is already registered');
      expect(await w.orm.em.fork().count(DeviceSchema, {})).to.equal(before);
    });
  });

  describe('Devices', () => {
    it('lists phones with model, lines, last fetch, window and warnings; search finds a MAC in any notation', async () => {
      const a = await admin.get('/services/devices');
      expect(a.status).to.equal(200);
      expect(a.body).to.include('00:04:f2:ab:cd:ef').and.include('Polycom VVX 450').and.include('201, 202');
      expect(a.body).to.include('Front desk').and.include('Never').and.include('Open until');
      const found = await admin.get('/services/devices?q=00-04-F2-AB-CD-EF');
      expect(found.body).to.include('00:04:f2:ab:cd:ef').and.not.include('00:04:f2:ab:cd:02');
      expect((await employee.get('/services/devices')).status).to.equal(403);
    });

    it('edits lines and buddy keys (other keys kept), closes the window, shows warnings', async () => {
      const d = await deviceByMac('0004f2abcdef');
      const id = d?.id as number;
      await w.services.objects.update(SYSTEM, world.acme.pbx.id, 'devices', id, {
        lineKeys: [
          { type: 'blf', extensionId: world.acme.ext['202'].id },
          { type: 'speed_dial', number: '5551234', label: 'Lobby' },
        ],
      });
      const page = await admin.get(`/services/devices/${id}`);
      expect(page.status).to.equal(200);
      expect(page.body).to.include('value="00:04:f2:ab:cd:ef"').and.include('value="201, 202"');
      expect(page.body).to.include('1 park or speed-dial key(s)');
      const a = await admin.post(`/services/devices/${id}`, {
        mac: '00:04:f2:ab:cd:ef',
        profileId: 'polycom-vvx450',
        extensions: '201',
        buddies: '202, 201',
        label: 'Q&A desk',
      });
      expect(a.status, a.body.slice(0, 500)).to.equal(303);
      const saved = await deviceByMac('0004f2abcdef');
      expect(saved?.extensionIds).to.deep.equal([world.acme.ext['201'].id]);
      expect(saved?.lineKeys).to.deep.equal([
        { type: 'blf', extensionId: world.acme.ext['202'].id },
        { type: 'blf', extensionId: world.acme.ext['201'].id },
        { type: 'speed_dial', number: '5551234', label: 'Lobby' },
      ]);
      const shown = await admin.follow(a);
      expect(shown.body).to.include('value="Q&amp;A desk"');
      const hostile = await admin.post(`/services/devices/${id}`, {
        mac: '00:04:f2:ab:cd:ef',
        profileId: 'polycom-vvx450',
        extensions: '201',
        label: HOSTILE,
      });
      expect(hostile.status).to.equal(422);
      expect(hostile.body).to.not.include(HOSTILE);
      expect(hostile.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect((await deviceByMac('0004f2abcdef'))?.label).to.equal('Q&A desk');
      const closed = await admin.post(`/services/devices/${id}/disarm`);
      expect(closed.status).to.equal(303);
      expect((await deviceByMac('0004f2abcdef'))?.armedUntil).to.equal(null);
      // Extension 201 also watches mailbox 202, which Yealink phones cannot show: the page and the list warn.
      await w.services.objects.update(SYSTEM, world.acme.pbx.id, 'extensions', world.acme.ext['201'].id, {
        mwiMailboxes: '202',
      });
      const t = await admin.post('/install', {
        mac: '80:5e:c0:00:00:09',
        profileId: 'yealink-t54w',
        extensions: '201',
      });
      expect(t.status).to.equal(201);
      const warned = await deviceByMac('805ec0000009');
      const wp = await admin.get(`/services/devices/${warned?.id}`);
      expect(wp.body).to.include('This phone will not do everything');
      expect((await admin.get('/services/devices?q=805ec0000009')).body).to.match(/badge--warn[^>]*>\d+ warnings?</);
    });

    it('rotates the provisioning password: shown once on that answer, the stored hash changes', async () => {
      const d = await deviceByMac('0004f2abcdef');
      const a = await admin.post(`/services/devices/${d?.id}/rotate`);
      expect(a.status).to.equal(200);
      const password = /New provisioning password:<\/strong> <code class="copy">([A-Za-z0-9]+)</.exec(a.body)?.[1];
      expect(password).to.have.length(25);
      expect(a.headers.get('set-cookie') ?? '').to.not.include(password as string);
      expect((await deviceByMac('0004f2abcdef'))?.provisioningHa1).to.not.equal(d?.provisioningHa1);
      expect((await admin.get(`/services/devices/${d?.id}`)).body).to.not.include(password as string);
    });

    it('another tenant’s phone answers 404 on every action and nothing changes', async () => {
      const theirs = await w.services.objects
        .list(SYSTEM, world.other.pbx.id, 'devices')
        .then((r) => r.length)
        .catch(() => 0);
      void theirs;
      const other = new PortalClient(server.url);
      await other.login('admin@other.test', PASSWORD);
      const d = await deviceByMac('0004f2abcdef');
      for (const path of ['', '/arm', '/disarm', '/rotate', '/delete']) {
        const g = await other.post(`/services/devices/${d?.id}${path}`, { mac: '00:04:f2:00:00:01' });
        expect(g.status, path).to.equal(404);
      }
      expect((await other.get(`/install/${d?.id}`)).status).to.equal(404);
      expect((await other.post(`/install/${d?.id}/arm`)).status).to.equal(404);
      const after = await deviceByMac('0004f2abcdef');
      expect(after?.provisioningHa1).to.equal(d?.provisioningHa1);
      expect(after?.armedUntil).to.equal(null);
    });

    it('a change made in the page reaches the phone’s provisioning file (devices are not in the FreeSWITCH tree)', async () => {
      const d = await deviceByMac('805ec0000009');
      const a = await admin.post(`/services/devices/${d?.id}`, {
        mac: '80:5e:c0:00:00:09',
        profileId: 'yealink-t54w',
        extensions: '201, 202',
        buddies: '202',
      });
      expect(a.status).to.equal(303);
      const device = (await deviceByMac('805ec0000009')) as NonNullable<Awaited<ReturnType<typeof deviceByMac>>>;
      const catalog = loadProfileCatalog(defaultProfileDir());
      const profile = catalog.byId('yealink-t54w') as FirmwareProfile;
      const { config } = buildPhoneConfig({
        snapshot: await w.services.snapshot(world.acme.pbx.id),
        device,
        profile,
        settings: provisioningSettings('https://pbx.example.net', 2026),
        appToken: null,
        provisioningCredentials: null,
      });
      const renderer = createRenderer(loadProvisioningTemplates(defaultTemplateRoot()));
      const body = String(renderer.renderFile({ file: 'yealink-phone', config, profile }).body);
      expect(body).to.match(/account\.2\.user_name\s*=\s*202/);
      expect(body).to.match(/linekey\.\d+\.value\s*=\s*202/);
    });

    it('deletes a phone after confirming', async () => {
      const d = await deviceByMac('805ec0000009');
      const page = await admin.get(`/services/devices/${d?.id}/delete`);
      expect(page.status).to.equal(200);
      expect(page.body).to.include('Delete phone');
      const a = await admin.post(`/services/devices/${d?.id}/delete`);
      expect(a.status).to.equal(303);
      expect((await admin.follow(a)).body).to.include('deleted');
      expect(await deviceByMac('805ec0000009')).to.equal(null);
    });
  });
});

describe('portal route table: phone numbers, devices and /install are swept', () => {
  it('declares the object of every :id route, so the IDOR sweep walks them with other tenants’ ids', async () => {
    const { ROUTES } = await import('../../src/portal/routes');
    const mine = ROUTES.filter((r) => /^\/(services\/(phone-numbers|devices)|install)/.test(r.path));
    expect(mine.length).to.be.greaterThan(14);
    for (const r of mine) {
      expect(r.admin, r.path).to.equal(true);
      if (r.path.includes(':id')) expect(r.object, r.path).to.be.oneOf(['numbers', 'devices']);
    }
  });
});
