// End to end in real Chromium: build a time frame in its page (during → an auto attendant, after → a mailbox), route a
// phone number to it, and see both branches in the call-flow page; a ring group's members added and reordered with
// the two lists (the JavaScript way); a conference room and hub. Screenshots at laptop and phone sizes land in
// test-output/screenshots/ (call-flow-*).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SYSTEM } from '../../src/services/actor';
import { type Browser, openBrowser, screenshots } from '../helpers/browser';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { portalWorld } from './world';

describe('portal end to end: time frames, groups, conference bridge, call flow (Chromium)', function () {
  this.timeout(180_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let browser: Browser;
  let errors: string[];

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    await w.services.objects.create(SYSTEM, world.acme.pbx.id, 'attendants', {
      name: 'Day menu',
      buttons: { '1': `mailbox:${world.acme.ext['201'].mailboxId}` },
    });
    server = await startPortal(w.services);
  });
  beforeEach(async () => {
    browser = await openBrowser();
    errors = [];
    browser.page.on('pageerror', (e) => errors.push(e.message));
    browser.page.on('dialog', async (d) => {
      errors.push(d.message());
      await d.dismiss();
    });
  });
  afterEach(async () => {
    await browser?.close();
    expect(errors, 'no script errors, no dialogs').to.deep.equal([]);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  async function logIn(page: Page): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill('admin@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
  }

  it('routes a phone number to a time frame: during → attendant, after → mailbox, drawn in the call flow', async () => {
    const page = browser.page;
    await logIn(page);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Time Frames' }).first().click();
    await screenshots(page, 'call-flow-time-frames-list');
    await page.getByRole('link', { name: 'New Time Frame' }).click();
    await page.getByLabel('Time Frame Name').fill('Office hours');
    await page.locator('#f-during').selectOption('auto_attendant');
    await page.locator('#f-during-auto_attendant').selectOption({ label: 'Day menu' });
    await page.locator('#f-after').selectOption('mailbox');
    expect(await page.locator('#f-after-auto_attendant').isVisible()).to.equal(false);
    await page.locator('#f-after-mailbox').selectOption({ index: 1 });
    // The new form starts with Mon–Fri 09:00–17:00; All day greys the times out.
    expect(await page.locator('#f-rules-1-day-1').isChecked()).to.equal(true);
    await page.locator('#f-rules-2-allDay').check();
    expect(await page.locator('#f-rules-2-from').isDisabled()).to.equal(true);
    await page.locator('#f-rules-2-allDay').uncheck();
    await screenshots(page, 'call-flow-time-frame-new');
    await page.getByRole('button', { name: 'Add Time Frame' }).click();
    await page.waitForURL(/\/services\/time-frames\/\d+$/);
    expect(await page.locator('[data-time-frame-now]').textContent()).to.match(/^Now (inside|outside) the time frame/);
    await screenshots(page, 'call-flow-time-frame-saved');

    // Route the phone number to the time frame (the phone number page is another module's).
    const snap = await w.services.snapshot(world.acme.pbx.id);
    const tf = snap.timeFrames.find((t) => t.name === 'Office hours');
    await w.services.objects.update(SYSTEM, world.acme.pbx.id, 'numbers', world.acme.numberId, {
      routeTo: `time_frame:${tf?.id}`,
    });

    await page.goto(`${server.url}/services/call-flow/phone-numbers/${world.acme.numberId}`);
    await page.getByLabel('Date').fill('2026-12-07');
    await page.getByLabel(/^Time/).fill('10:00');
    await page.getByRole('button', { name: 'Show' }).click();
    const route = page.locator('[data-flow-route]');
    await route.waitFor();
    expect(await route.textContent())
      .to.include('During hours')
      .and.include('Auto attendant “Day menu”');
    expect(await page.locator('.flow-branch--active .flow-node__title', { hasText: 'Day menu' }).count()).to.equal(1);
    await screenshots(page, 'call-flow-during');
    await page.getByLabel(/^Time/).fill('19:30');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/time=19%3A30/);
    const after = (await page.locator('[data-flow-route]').textContent()) ?? '';
    expect(after).to.include('After hours').and.include('Voice mailbox');
    expect(after).to.not.include('Day menu');
    await screenshots(page, 'call-flow-after');
  });

  it('builds a ring group with the two lists, reordered in the browser', async () => {
    const page = browser.page;
    await logIn(page);
    await page.goto(`${server.url}/services/groups/new`);
    await page.getByLabel('Group Name').fill('Front desk');
    await page.getByLabel('Ring all extensions').selectOption('sequential');
    await page.getByLabel('Available Extensions').selectOption([{ label: '201 Person 201' }]);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Available Extensions').selectOption([{ label: '202 Yankee Colleague' }]);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Selected Extensions (ring order)').selectOption([{ label: '202 Yankee Colleague' }]);
    await page.getByRole('button', { name: 'Move up' }).click();
    // Moved in the browser: still the new-group page, nothing posted yet.
    expect(page.url()).to.equal(`${server.url}/services/groups/new`);
    await screenshots(page, 'call-flow-group-form');
    await page.getByRole('button', { name: 'Add Ring Group' }).click();
    await page.waitForURL(/\/services\/groups\/\d+$/);
    const g = (await w.services.snapshot(world.acme.pbx.id)).ringGroups.find((x) => x.name === 'Front desk');
    expect(g?.memberIds).to.deep.equal([world.acme.ext['202'].id, world.acme.ext['201'].id]);
    expect(g?.strategy).to.equal('sequential');
    await page.goto(`${server.url}/services/groups`);
    await screenshots(page, 'call-flow-groups-list');
  });

  it('adds a conference room and a hub', async () => {
    const page = browser.page;
    await logIn(page);
    await page.goto(`${server.url}/services/conference-bridge`);
    await page.getByRole('link', { name: 'New Conference Room' }).click();
    await page.getByLabel('Conference Number').fill('7501');
    await page.getByLabel('Password', { exact: true }).fill('8642');
    await page.getByLabel('Announce Attendee Count').check();
    await screenshots(page, 'call-flow-conference-room');
    await page.getByRole('button', { name: 'Add Conference Bridge' }).click();
    await page.waitForURL(/\/services\/conference-bridge\/\d+$/);
    expect(await page.content()).to.not.include('8642');
    await page.goto(`${server.url}/services/conference-bridge/hubs/new`);
    await page.getByLabel('Hub Name').fill('All rooms');
    await page.getByLabel('Hub Number').fill('7500');
    await page.getByRole('button', { name: 'Add Conference Hub' }).click();
    await page.waitForURL(/\/services\/conference-bridge\/hubs\/\d+$/);
    await page.goto(`${server.url}/services/conference-bridge`);
    expect(await page.content())
      .to.include('All rooms')
      .and.include('7501');
    await screenshots(page, 'call-flow-conference-list');
  });
});
