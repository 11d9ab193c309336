// Route tests of Services → PBX Info: the manual's sections and help text, saving every feature, clear errors, escaping,
// CSRF and role refusal, and a change reaching FreeSWITCH (exported tree and live xml_curl answer).
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { exportedTree, liveAnswer } from './freeswitch-reach';
import { portalWorld } from './world';

describe('portal: PBX Info', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  const form = (more: Record<string, string> = {}) => ({
    name: 'Acme Dental',
    onDemandPaths: '3',
    onDemandFaxPaths: '0',
    callerIdNumber: '(312) 555-0100',
    callerIdName: 'ACME DENTAL',
    internationalCalling: 'false',
    directedPickup: 'true',
    intercom: 'true',
    sevenDigitDialing: 'false',
    areaCode: '',
    directoryByFirstName: 'false',
    readExtensionInDirectory: 'false',
    parkingTimeout: '600',
    timezone: 'America/Chicago',
    ...more,
  });

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

  it('shows General Info, Caller ID Settings, PBX Features and the time zone with the manual’s help text', async () => {
    const a = await admin.get('/services/pbx-info');
    expect(a.status).to.equal(200);
    for (const text of [
      'General Info',
      'Caller ID Settings',
      'PBX Features',
      'PBX Context',
      'acme',
      'Prepaid Call Paths',
      'On-Demand Call Paths',
      'Allow International Calling',
      'dial *8 plus an extension number',
      'dial *1 plus an extension',
      'Enable 7 Digit Dialing?',
      'Enable Directory by First Name?',
      'Read Extension Numbers in Directory?',
      'Default is 10 minutes',
      'Time Zone',
      'Update PBX',
    ])
      expect(a.body, text).to.include(text);
    expect(a.body).to.include('<option value="America/Chicago" selected>');
    // Secrets are not printed on the page until an administrator asks (a POST with the CSRF token).
    const secrets = await w.services.pbx.revealSecrets(SYSTEM, world.acme.pbx.id);
    expect(a.body).to.not.include(secrets.phoneAdminPassword).and.not.include(`>${secrets.pin}<`);
    expect((await admin.request('POST', '/services/pbx-info/reveal', { _csrf: 'forged' })).status).to.equal(403);
    const shown = await admin.post('/services/pbx-info/reveal');
    expect(shown.status).to.equal(200);
    expect(shown.headers.get('cache-control')).to.equal('no-store');
    expect(shown.body).to.include(`>${secrets.pin}<`).and.include(`>${secrets.phoneAdminPassword}<`);
    const emp = new PortalClient(server.url);
    await emp.login('emp@acme.test', PASSWORD);
    const refused = await emp.post('/services/pbx-info/reveal');
    expect(refused.status).to.equal(403);
    expect(refused.body).to.not.include(secrets.phoneAdminPassword);
  });

  it('saves every feature and the time zone, and the change reaches the exported tree and the live dialplan', async () => {
    const dial = `section=dialplan&Caller-Context=acme&Caller-Destination-Number=011441632960000`;
    expect(await exportedTree(w, world.acme.pbx.id)).to.include('outbound_international_barred');
    expect(await liveAnswer(w, dial)).to.include('outbound_international_barred');
    const a = await admin.post(
      '/services/pbx-info',
      form({
        internationalCalling: 'true',
        directedPickup: 'false',
        sevenDigitDialing: 'true',
        areaCode: '312',
        directoryByFirstName: 'true',
        readExtensionInDirectory: 'true',
        parkingTimeout: '300',
        timezone: 'America/Denver',
      }),
    );
    expect(a.status, a.body.slice(0, 1500)).to.equal(303);
    expect((await admin.follow(a)).body).to.include('PBX updated.');
    const p = (await w.services.snapshot(world.acme.pbx.id)).pbx;
    expect(p).to.include({
      name: 'Acme Dental',
      onDemandPaths: 3,
      callerIdNumber: '3125550100',
      callerIdName: 'ACME DENTAL',
      internationalCalling: true,
      directedPickup: false,
      intercom: true,
      sevenDigitDialing: true,
      areaCode: '312',
      directoryByFirstName: true,
      readExtensionInDirectory: true,
      parkingTimeout: 300,
      timezone: 'America/Denver',
    });
    const tree = await exportedTree(w, world.acme.pbx.id);
    expect(tree).to.include('name="outbound_international"').and.include('name="outbound_seven_digit"');
    expect(tree).to.not.include('outbound_international_barred');
    const live = await liveAnswer(w, dial);
    expect(live).to.include('name="outbound_international"');
    expect(live).to.not.include('outbound_international_barred');
  });

  it('refuses bad input with a clear message next to the field, keeps what was typed, prints hostile text escaped', async () => {
    const before = JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).pbx);
    const a = await admin.post(
      '/services/pbx-info',
      form({
        name: '<script>alert(1)</script>',
        sevenDigitDialing: 'true',
        areaCode: '',
        parkingTimeout: '5',
        timezone: 'Mars/Olympus',
      }),
    );
    expect(a.status).to.equal(422);
    expect(a.body).to.include('There is a problem').and.include('href="#f-areaCode"');
    expect(a.body).to.include('7-digit dialing needs the PBX area code');
    expect(a.body).to.include('href="#f-parkingTimeout"').and.include('href="#f-timezone"');
    expect(a.body).to.not.include('<script>alert(1)');
    expect(a.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).pbx)).to.equal(before);
  });

  it('refuses a post without the CSRF token; an employee cannot open or change it; another tenant sees its own', async () => {
    const before = JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).pbx);
    expect((await admin.request('POST', '/services/pbx-info', { ...form(), _csrf: 'forged' })).status).to.equal(403);
    const emp = new PortalClient(server.url);
    await emp.login('emp@acme.test', PASSWORD);
    expect((await emp.get('/services/pbx-info')).status).to.equal(403);
    expect((await emp.post('/services/pbx-info', form({ name: 'hijack' }))).status).to.equal(403);
    const other = new PortalClient(server.url);
    await other.login('admin@other.test', PASSWORD);
    const page = await other.get('/services/pbx-info');
    expect(page.body).to.include('>other<').and.not.include('Acme Dental');
    expect(JSON.stringify((await w.services.snapshot(world.acme.pbx.id)).pbx)).to.equal(before);
  });
});
