// Route tests of Services → E911: list, the address checked and offered normalised, one location per callback number,
// extensions assigned, the terms recorded with who and when, delete refused while extensions are there; escaping,
// CSRF, roles, and a change reaching FreeSWITCH (exported tree and live xml_curl answer).
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { exportedTree, liveAnswer } from './freeswitch-reach';
import { portalWorld } from './world';

describe('portal: E911', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let spareNumberId: number;
  const snap = () => w.services.snapshot(world.acme.pbx.id);

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    const n = await w.services.objects.create(SYSTEM, world.acme.pbx.id, 'numbers', {
      number: '3125550177',
      routeTo: { kind: 'hangup' },
    });
    spareNumberId = n.id as number;
    server = await startPortal(w.services);
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  const form = (more: Record<string, string | string[]> = {}) => ({
    name: 'Warehouse',
    street: '233 S WACKER DR',
    unit: 'STE 200',
    city: 'CHICAGO',
    state: 'IL',
    zip: '60606',
    callbackNumberId: String(spareNumberId),
    termsAccepted: 'true',
    ...more,
  });

  it('lists the locations with their address and callback number', async () => {
    const a = await admin.get('/services/e911');
    expect(a.status).to.equal(200);
    expect(a.body).to.include('>HQ</a>').and.include('1 MAIN ST, CHICAGO IL 60601').and.include('New Location');
  });

  it('offers a typed address normalised ("Street" → "ST", upper case) before saving it, nothing saved yet', async () => {
    const before = (await snap()).e911Locations.length;
    const a = await admin.post(
      '/services/e911/new',
      form({ street: '233 South Wacker Drive', unit: 'Suite 200', city: 'Chicago', state: 'illinois' }),
    );
    expect(a.status).to.equal(422);
    expect(a.body).to.include('Please check the address').and.include('233 S WACKER DR STE 200, CHICAGO IL 60606');
    expect(a.body).to.include('value="233 S WACKER DR"').and.include('value="STE 200"');
    expect((await snap()).e911Locations.length).to.equal(before);
  });

  it('names what is wrong with an address that cannot be read', async () => {
    const a = await admin.post('/services/e911/new', form({ street: 'PO Box 12', zip: '6060', state: 'Narnia' }));
    expect(a.status).to.equal(422);
    expect(a.body).to.include('There is a problem').and.include('href="#f-street"').and.include('href="#f-zip"');
    expect(a.body).to.include('href="#f-state"').and.not.include('Please check the address');
  });

  it('refuses without the terms, and a callback number already used by another location', async () => {
    const a = await admin.post(
      '/services/e911/new',
      form({ termsAccepted: 'false', callbackNumberId: String(world.acme.numberId) }),
    );
    expect(a.status).to.equal(422);
    expect(a.body).to.include('you must agree to the E911 terms and conditions');
    expect(a.body).to.include('each phone number can be used for a single E911 location');
  });

  it('creates a location with extensions assigned, records who agreed to the terms and when; the callback reaches FreeSWITCH', async () => {
    const e202 = world.acme.ext['202'].id;
    const a = await admin.post('/services/e911/new', form({ extensionIds: [String(e202)] }));
    expect(a.status, a.body.slice(0, 2000)).to.equal(303);
    const page = await admin.follow(a);
    expect(page.body).to.include('E911 location Warehouse saved.');
    expect(page.body).to.include('Terms and Conditions accepted by').and.include('admin@acme.test');
    const s = await snap();
    const loc = s.e911Locations.find((l) => l.name === 'Warehouse');
    expect(loc).to.include({ street: '233 S WACKER DR', unit: 'STE 200', callbackNumberId: spareNumberId });
    expect(loc?.termsAcceptedById).to.equal(world.adminId);
    expect(Date.now() - new Date(loc?.termsAcceptedAt as Date).getTime()).to.be.below(60_000);
    expect(s.extensions.find((e) => e.id === e202)?.e911LocationId).to.equal(loc?.id);
    expect(page.body).to.include('(here now)');
    // 202 now presents the Warehouse's callback number when it dials 911.
    const tree = await exportedTree(w, world.acme.pbx.id);
    expect(tree).to.match(/<user id="202"[\s\S]*?dialtone_e911_callback" value="3125550177"/);
    const domain = (await w.services.snapshot(world.acme.pbx.id)).pbx.domain;
    const live = await liveAnswer(w, `section=directory&key=id&user=202&domain=${domain}&action=sip_auth`);
    expect(live).to.include('value="3125550177"');
    const live201 = await liveAnswer(w, `section=directory&key=id&user=201&domain=${domain}&action=sip_auth`);
    expect(live201).to.not.include('3125550177');
  });

  it('edits keep the terms record; delete is refused while an extension is located there', async () => {
    const loc = (await snap()).e911Locations.find((l) => l.name === 'Warehouse');
    const path = `/services/e911/${loc?.id}`;
    const a = await admin.post(path, form({ name: 'Warehouse 2', termsAccepted: '' }));
    expect(a.status, a.body.slice(0, 1500)).to.equal(303);
    const after = (await snap()).e911Locations.find((l) => l.id === loc?.id);
    expect(after?.name).to.equal('Warehouse 2');
    expect(after?.termsAcceptedBy).to.equal(loc?.termsAcceptedBy);
    const del = await admin.get(`${path}/delete`);
    expect(del.body).to.include('cannot be deleted yet').and.include('extension 202');
    expect((await admin.post(`${path}/delete`)).status).to.equal(409);
  });

  it('prints hostile names escaped; refuses a post without CSRF; employees get 403', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const a = await admin.post('/services/e911/new', form({ name: hostile, termsAccepted: '' }));
    expect(a.status).to.equal(422);
    expect(a.body).to.not.include('<img src=x');
    const before = JSON.stringify((await snap()).e911Locations);
    expect((await admin.request('POST', '/services/e911/new', { ...form(), _csrf: 'x' })).status).to.equal(403);
    const emp = new PortalClient(server.url);
    await emp.login('emp@acme.test', PASSWORD);
    expect((await emp.get('/services/e911')).status).to.equal(403);
    expect((await emp.post('/services/e911/new', form({ name: 'x' }))).status).to.equal(403);
    expect(JSON.stringify((await snap()).e911Locations)).to.equal(before);
  });
});
