// End to end in real Chromium for PBX Info, E911 and Auto Attendants: change PBX features, add an E911 location whose
// typed address is offered normalised, build an auto attendant whose button 1 reaches a mailbox and 0 a ring group,
// and upload its announcement with the progress bar. Screenshots (laptop and phone) land in test-output/screenshots/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { wav } from '../helpers/audio-files';
import { type Browser, openBrowser, screenshots } from '../helpers/browser';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { portalWorld } from './world';

describe('portal end to end: PBX Info, E911, Auto Attendants (Chromium)', function () {
  this.timeout(240_000);
  let w: TestWorld;
  let services: Services;
  let dataDir: string;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let browser: Browser;
  let dialogs: string[];
  let groupId: number;

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-e2e-p2a-'));
    services = createServices(w.orm, { profileIds: new Set() }, { dataDir });
    const g = await services.objects.create(SYSTEM, world.acme.pbx.id, 'groups', {
      name: 'Support',
      strategy: 'simultaneous',
      secondsToRing: 20,
      memberIds: [world.acme.ext['201'].id, world.acme.ext['202'].id],
      afterRing: { kind: 'hangup' },
    });
    groupId = g.id as number;
    await services.objects.create(SYSTEM, world.acme.pbx.id, 'numbers', {
      number: '3125550188',
      routeTo: { kind: 'hangup' },
    });
    server = await startPortal(services);
  });
  beforeEach(async () => {
    browser = await openBrowser();
    dialogs = [];
    browser.page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
  });
  afterEach(async () => {
    await browser?.close();
    expect(dialogs, 'no script of anyone else ever ran').to.deep.equal([]);
  });
  after(async () => {
    await server?.close();
    await w?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function logIn(page: Page): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill('admin@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
  }

  it('PBX Info: turns on international calling and 7-digit dialing, with an error shown for the missing area code', async () => {
    const page = browser.page;
    await logIn(page);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'PBX Info' }).first().click();
    await screenshots(page, 'p2a-pbx-info');
    await page.getByLabel('Allow International Calling').selectOption('true');
    await page.getByLabel('Enable 7 Digit Dialing?').selectOption('true');
    await page.getByRole('button', { name: 'Update PBX' }).click();
    await page.getByText('There is a problem').waitFor();
    await screenshots(page, 'p2a-pbx-info-error');
    await page.getByLabel('Area Code').fill('312');
    await page.getByRole('button', { name: 'Update PBX' }).click();
    await page.getByText('PBX updated.').waitFor();
    const pbx = (await w.services.snapshot(world.acme.pbx.id)).pbx;
    expect(pbx).to.include({ internationalCalling: true, sevenDigitDialing: true, areaCode: '312' });
  });

  it('E911: a typed address is offered as emergency services write it, then saved with an extension and the terms', async () => {
    const page = browser.page;
    await logIn(page);
    await page.goto(`${server.url}/services/e911`);
    await screenshots(page, 'p2a-e911-list');
    await page.getByRole('link', { name: 'New Location' }).click();
    await page.getByLabel('Location Name').fill('Warehouse');
    await page.getByLabel('Street Address').fill('233 South Wacker Drive');
    await page.getByLabel('Suite, Floor or Unit').fill('Suite 200');
    await page.getByLabel('City').fill('Chicago');
    await page.getByLabel('State').fill('Illinois');
    await page.getByLabel('ZIP Code').fill('60606');
    await page.getByLabel('Callback Number').selectOption({ label: '(312) 555-0188' });
    await page.getByLabel('202 - Yankee Colleague').check();
    await page.getByLabel('I agree to the Terms and Conditions').check();
    await screenshots(page, 'p2a-e911-new-filled');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Please check the address').waitFor();
    expect(await page.getByLabel('Street Address').inputValue()).to.equal('233 S WACKER DR');
    await screenshots(page, 'p2a-e911-suggestion');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('E911 location Warehouse saved.').waitFor();
    await screenshots(page, 'p2a-e911-saved');
    const s = await w.services.snapshot(world.acme.pbx.id);
    const loc = s.e911Locations.find((l) => l.name === 'Warehouse');
    expect(loc).to.include({ street: '233 S WACKER DR', unit: 'STE 200', city: 'CHICAGO', state: 'IL' });
    expect(s.extensions.find((e) => e.number === '202')?.e911LocationId).to.equal(loc?.id);
  });

  it('Auto Attendants: button 1 reaches a mailbox, 0 a ring group; the announcement uploads with a progress bar', async () => {
    const page = browser.page;
    await logIn(page);
    await page.goto(`${server.url}/services/auto-attendants`);
    await screenshots(page, 'p2a-attendants-list');
    await page.getByRole('link', { name: 'New Auto Attendant' }).click();
    await page.getByLabel('Attendant Name').fill('Front Desk');
    await page.getByLabel('Attendant Timeout').fill('8');
    await page.locator('#f-buttons-1').selectOption('mailbox');
    await page.locator('#f-buttons-1-mailbox').selectOption({ label: '201 - Person 201' });
    await page.locator('#f-buttons-0').selectOption('group');
    await page.locator('#f-buttons-0-group').selectOption({ label: 'Support' });
    expect(await page.locator('#f-buttons-2-mailbox').isVisible()).to.equal(false);
    await screenshots(page, 'p2a-attendant-new-filled');
    await page.getByRole('button', { name: 'Add Auto Attendant' }).click();
    await page.getByText('Auto attendant Front Desk saved.').waitFor();
    await screenshots(page, 'p2a-attendant-saved');
    const aa = (await w.services.snapshot(world.acme.pbx.id)).autoAttendants.find((a) => a.name === 'Front Desk');
    expect(aa?.buttons['1']).to.deep.include({ kind: 'mailbox', id: world.acme.ext['201'].mailboxId });
    expect(aa?.buttons['0']).to.deep.equal({ kind: 'group', id: groupId });

    const file = join(dataDir, 'welcome.wav');
    writeFileSync(file, wav({ seconds: 20 }));
    await page.getByLabel('Announcement file').setInputFiles(file);
    expect(await page.locator('form[data-upload-progress] progress[data-upload-bar]').count()).to.equal(1);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('The announcement of Front Desk was uploaded.').waitFor();
    await screenshots(page, 'p2a-attendant-uploaded');
    expect(await page.getByRole('link', { name: 'Play' }).count()).to.equal(1);
    const after = (await w.services.snapshot(world.acme.pbx.id)).autoAttendants.find((a) => a.id === aa?.id);
    expect(after?.announcement.source).to.equal('audio');
  });
});
