// End to end in real Chromium: log in with Remember Me, create an extension with a new mailbox and Find Me, an
// employee kept to their own extension (also by URL), hostile names rejected or shown escaped. Screenshots of every
// page (laptop and phone sizes) land in test-output/screenshots/.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type Browser, openBrowser, screenshots } from '../helpers/browser';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { portalWorld } from './world';

describe('portal end to end (Chromium)', function () {
  this.timeout(180_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let browser: Browser;
  let dialogs: string[];

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    server = await startPortal(w.services);
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
  });

  async function logIn(page: Page, username: string, remember: boolean, shot?: string): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    if (remember) await page.getByLabel('Remember Me').check();
    if (shot) await screenshots(page, shot);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
  }

  it('logs in with Remember Me and creates an extension with a new mailbox and Find Me', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test', true, 'e2e-login');
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'dialtone_session');
    expect(cookie?.httpOnly).to.equal(true);
    expect(cookie?.expires ?? 0).to.be.greaterThan(Date.now() / 1000 + 20 * 86400);
    await screenshots(page, 'e2e-home-admin');

    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Extensions' }).first().click();
    await screenshots(page, 'e2e-extensions-list');
    await page.getByRole('link', { name: 'New Extension' }).click();
    await page.getByLabel('Extension Number').fill('305');
    await page.getByLabel('Name', { exact: true }).fill('Dana Front Desk');
    await page.getByLabel('E911 Location').selectOption({ label: 'HQ' });
    // If Busy is unavailable until Try First is Phone (the default of a new extension).
    expect(await page.locator('#f-routing-ifBusy').isDisabled()).to.equal(false);
    await page.locator('#f-routing-tryFirst').selectOption('hangup');
    expect(await page.locator('#f-routing-ifBusy').isDisabled()).to.equal(true);
    await page.locator('#f-routing-tryFirst').selectOption('phone');
    await page.locator('#f-routing-ifBusy').selectOption('mailbox');
    expect(await page.locator('#f-routing-ifBusy-mailbox').isVisible()).to.equal(true);
    await page.locator('#f-routing-ifBusy').selectOption('check_voicemail');
    await page.getByLabel('Location 1').selectOption('outside_number');
    await page.locator('#f-findMe-locations-1-number').fill('312-555-0142');
    await page.locator('#f-findMe-locations-1-active').check();
    await page.getByLabel('Location 2').selectOption('other_extension');
    await page.locator('#f-findMe-locations-2-extensionId').selectOption({ label: '202 - Yankee Colleague' });
    await page.locator('#f-findMe-locations-2-active').check();
    await page.getByLabel("Record caller's name").check();
    await page.getByLabel('Voice Mailbox', { exact: true }).selectOption('new');
    await page.getByLabel('Mailbox password').fill('7391');
    await page.getByLabel('Confirm password').fill('7391');
    await screenshots(page, 'e2e-extension-new-filled');
    await page.getByRole('button', { name: 'Add Extension' }).click();
    await page.getByText('Extension 305 saved.').waitFor();
    await screenshots(page, 'e2e-extension-saved');

    const snap = await w.services.snapshot(world.acme.pbx.id);
    const ext = snap.extensions.find((e) => e.number === '305');
    expect(snap.mailboxes.find((m) => m.id === ext?.mailboxId)?.number).to.equal('305');
    expect(ext?.findMe.recordCallerName).to.equal(true);
    expect(ext?.findMe.locations).to.deep.equal([
      { active: true, type: 'outside_number', number: '3125550142' },
      { active: true, type: 'other_extension', extensionId: world.acme.ext['202'].id },
    ]);
    expect(ext?.routing.ifBusy).to.deep.equal({ kind: 'check_voicemail' });
  });

  it('shows every error next to its field with the input kept; hostile names are rejected and shown escaped', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test', false);
    for (const [i, hostile] of ['<script>alert(1)</script>', '${system(id)}'].entries()) {
      await page.goto(`${server.url}/services/extensions/new`);
      await page.getByLabel('Extension Number').fill('31x');
      await page.getByLabel('Name', { exact: true }).fill(hostile);
      await page.getByRole('button', { name: 'Add Extension' }).click();
      await page.getByText('There is a problem').waitFor();
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).to.equal(hostile);
      expect(await page.locator('.error-summary a[href="#f-name"]').count()).to.equal(1);
      expect(await page.locator('#f-number-error').textContent()).to.include('digits only');
      await screenshots(page, `e2e-extension-errors-${i + 1}`);
    }
    expect((await w.services.snapshot(world.acme.pbx.id)).extensions.some((e) => e.number === '31')).to.equal(false);
  });

  it('keeps an employee to their own extension: another one answers 404 (also by URL), admin modules 403', async () => {
    const page = browser.page;
    await logIn(page, 'emp@acme.test', false);
    await screenshots(page, 'e2e-home-employee');
    expect(await page.getByRole('link', { name: 'Settings' }).count()).to.equal(0);
    await page.getByRole('link', { name: 'Open my extension' }).click();
    expect(await page.getByLabel('Extension Number', { exact: true }).count()).to.equal(0);
    await screenshots(page, 'e2e-employee-own-extension');
    const other = await page.goto(`${server.url}/services/extensions/${world.acme.ext['202'].id}`);
    expect(other?.status()).to.equal(404);
    expect(await page.content()).to.not.include('Yankee Colleague');
    await screenshots(page, 'e2e-employee-other-extension-404');
    const admin = await page.goto(`${server.url}/settings/users`);
    expect(admin?.status()).to.equal(403);
    await screenshots(page, 'e2e-employee-users-403');
    const otherTenant = await page.goto(`${server.url}/services/extensions/${world.other.ext['201'].id}`);
    expect(otherTenant?.status()).to.equal(404);
  });
});
