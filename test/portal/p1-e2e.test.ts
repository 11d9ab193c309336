// End to end in real Chromium for Mailboxes, Phone Numbers and the installer form (issue 11 item 9): an administrator
// creates a mailbox and uploads its greeting with the progress bar, routes a phone number to an extension with holiday
// routing to a mailbox through the two drop-downs, and an installer adds a phone through /install on a phone-sized
// screen and arms its window. Screenshots (laptop and phone sizes) land in test-output/screenshots/p1-*.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DeviceSchema, PhoneNumberSchema } from '../../src/domain/model';
import { wav } from '../helpers/audio-files';
import { type Browser, openBrowser, screenshots, VIEWPORTS } from '../helpers/browser';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { portalWorld } from './world';

describe('portal end to end: mailboxes, phone numbers, installer (Chromium)', function () {
  this.timeout(180_000);
  let w: TestWorld;
  let dataDir: string;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let browser: Browser;
  let dialogs: string[];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-p1-e2e-'));
    w = await openWorld(ENGINES[0], { dataDir });
    world = await portalWorld(w);
    server = await startPortal(w.services, { publicUrl: 'https://pbx.example.net', provisioning: { tftpPort: 69 } });
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

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
  }

  it('creates a mailbox and uploads its unavailable greeting with the progress bar', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test');
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Mailboxes' }).first().click();
    await screenshots(page, 'p1-mailboxes-list');
    await page.getByRole('link', { name: 'New Standard Mailbox' }).click();
    await page.getByLabel('Mailbox Number').fill('3401');
    await page.getByLabel('Name (for directory)').fill('Sales Line');
    await page.getByLabel('Password', { exact: true }).fill('97531');
    await page.getByLabel('Confirm password').fill('97531');
    await page.getByLabel('Email to Notify', { exact: true }).fill('sales@acme.test');
    await screenshots(page, 'p1-mailbox-new-filled');
    await page.getByRole('button', { name: /Add Mailbox|Save/ }).click();
    await page.getByText('Mailbox 3401 saved.').waitFor();
    expect(await page.getByText('*3401').count()).to.be.greaterThan(0);
    await screenshots(page, 'p1-mailbox-saved');

    const file = join(dataDir, 'hello.wav');
    writeFileSync(file, wav({ seconds: 1 }));
    await page.locator('#greeting-unavailable-file').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload unavailable message' }).click();
    await page.getByText('Unavailable Message of mailbox 3401 saved.').waitFor();
    expect(await page.locator('#greeting-unavailable .greeting__file').textContent()).to.equal('hello.wav');
    await screenshots(page, 'p1-mailbox-greeting-uploaded');
    const box = (await w.services.snapshot(world.acme.pbx.id)).mailboxes.find((m) => m.number === '3401');
    expect(box?.unavailableGreetingId).to.be.a('number');
    expect(box?.email).to.equal('sales@acme.test');
  });

  it('routes a phone number to an extension with holiday routing to a mailbox', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test');
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Phone Numbers' }).first().click();
    await screenshots(page, 'p1-phone-numbers-list');
    await page.getByRole('link', { name: /^Edit/ }).first().click();
    await page.locator('#f-routeTo').selectOption('extension');
    expect(await page.locator('#f-routeTo-extension').isVisible()).to.equal(true);
    await page.locator('#f-routeTo-extension').selectOption({ label: '202 - Yankee Colleague' });
    await page.locator('#f-ifHoliday').selectOption('mailbox');
    await page.locator('#f-ifHoliday-mailbox').selectOption({ index: 1 });
    await page.getByLabel('Caller ID (CNAM)').fill('Acme Sales');
    await page.getByLabel('State').fill('IL');
    await screenshots(page, 'p1-phone-number-filled');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Phone number .* saved\./).waitFor();
    await screenshots(page, 'p1-phone-number-saved');
    const n = await w.orm.em.fork().findOneOrFail(PhoneNumberSchema, { id: world.acme.numberId });
    expect(n.routeTo).to.deep.equal({ kind: 'extension', id: world.acme.ext['202'].id });
    expect(n.ifHoliday?.kind).to.equal('mailbox');
    expect(n.callerIdName).to.equal('Acme Sales');
  });

  it('adds a phone through the installer form on a phone-sized screen and arms its window', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.goto(`${server.url}/install`);
    // First a mistake: the errors are next to the fields, the input kept.
    await page.getByLabel('MAC address').fill('00:04:f2:zz');
    await page.getByLabel('Extension(s)').fill('201, 299');
    await page.getByRole('button', { name: 'Add phone' }).click();
    await page.getByText('There is a problem').waitFor();
    expect(await page.locator('#f-mac-error').isVisible()).to.equal(true);
    expect(await page.locator('#f-extensionIds-error').textContent()).to.include('there is no extension 299');
    expect(await page.getByLabel('Extension(s)').inputValue()).to.equal('201, 299');
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(Number(width), 'nothing wider than the phone').to.be.at.most(VIEWPORTS.phone.width);
    await screenshots(page, 'p1-install-errors');
    await page.setViewportSize(VIEWPORTS.phone);

    await page.getByLabel('MAC address').fill('00-04-F2-12-34-56');
    await page
      .getByLabel('Model')
      .selectOption({ label: 'Polycom VVX 450 (12 lines)' })
      .catch(async () => {
        await page.getByLabel('Model').selectOption('polycom-vvx450');
      });
    await page.getByLabel('Extension(s)').fill('201');
    await page.getByLabel('Buddy list keys (optional)').fill('202');
    await page.getByLabel('Label (optional)').fill('Front desk');
    await screenshots(page, 'p1-install-filled');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.getByRole('button', { name: 'Add phone' }).click();
    await page.getByText('Provisioning URL', { exact: true }).waitFor();
    expect(await page.getByText('https://pbx.example.net/provisioning/').count()).to.be.greaterThan(0);
    await screenshots(page, 'p1-install-result');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.getByRole('button', { name: /Open the provisioning window/ }).click();
    await page.getByText('The provisioning window is open for 15 minutes').waitFor();
    await screenshots(page, 'p1-install-armed');
    const d = await w.orm.em.fork().findOneOrFail(DeviceSchema, { mac: '0004f2123456' });
    expect(d.armedUntil).to.be.instanceOf(Date);
    expect(d.lineKeys).to.deep.equal([{ type: 'blf', extensionId: world.acme.ext['202'].id }]);

    await page.setViewportSize(VIEWPORTS.laptop);
    await page.goto(`${server.url}/services/devices`);
    await screenshots(page, 'p1-devices-list');
    await page.getByRole('link', { name: /^Edit/ }).first().click();
    await screenshots(page, 'p1-device-edit');
  });
});
