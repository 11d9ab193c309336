// End to end in real Chromium for Hold Music and Holidays (and a look at every part-2 page): upload a track and see
// the progress bar, add a holiday and see it, with the phone number's holiday routing, in the calendar. Screenshots
// (laptop and phone) land in test-output/screenshots/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createServices } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { mp3Fixture } from '../helpers/audio-files';
import { type Browser, openBrowser, screenshots } from '../helpers/browser';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, type PortalServer, startPortal } from '../helpers/portal';
import type { TestWorld } from '../helpers/services';
import { portalWorld } from './world';

describe('portal part 2 end to end (Chromium): Hold Music, Holidays', function () {
  this.timeout(180_000);
  let w: TestWorld;
  let dataDir: string;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let browser: Browser;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-p2b-e2e-'));
    const orm = await ENGINES[0].open();
    const services = createServices(orm, { profileIds: new Set() }, { dataDir });
    w = { orm, services, close: () => orm.close(true) };
    world = await portalWorld(w);
    const [n] = await services.objects.list(SYSTEM, world.acme.pbx.id, 'numbers');
    await services.objects.update(SYSTEM, world.acme.pbx.id, 'numbers', n.id as number, {
      ifHoliday: `mailbox:${world.acme.ext['201'].mailboxId}`,
    });
    server = await startPortal(w.services);
    browser = await openBrowser();
    const page = browser.page;
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill('admin@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await w?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const open = async (page: Page, path: string) => {
    await page.goto(`${server.url}${path}`);
  };

  it('creates a hold music group, uploads a track with the progress bar, and sees it listed', async () => {
    const page = browser.page;
    await open(page, '/services/hold-music');
    await expect(await page.textContent('[data-usage]')).to.include('60 MB');
    await screenshots(page, 'p2b-hold-music-list');
    await page.getByRole('link', { name: 'New Group' }).click();
    await page.getByLabel('Name').fill('Lobby Jazz');
    await page.getByRole('button', { name: 'Save & Add Tracks' }).click();
    await page.waitForURL(/\/services\/hold-music\/\d+/);
    const file = join(dataDir, 'lobby-jazz.mp3');
    writeFileSync(file, mp3Fixture('tone-44k-stereo.mp3'));
    await page.setInputFiles('input[type="file"]', file);
    // Slow the upload so the bar can be seen moving (the real request still goes to the server).
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 50,
      downloadThroughput: -1,
      uploadThroughput: 1024,
    });
    await page.getByRole('button', { name: 'Upload Track' }).click();
    const bar = page.locator('[data-upload-bar]');
    await bar.waitFor({ state: 'visible' });
    await screenshots(page, 'p2b-hold-music-uploading');
    await page.waitForURL(/added=\d+/, { timeout: 60_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.waitForSelector('.track__name');
    expect(await page.textContent('.track__name')).to.equal('lobby-jazz.mp3');
    await screenshots(page, 'p2b-hold-music-group');
  });

  it('adds a holiday of several days and sees it, and the phone number’s holiday routing, in the calendar', async () => {
    const page = browser.page;
    await open(page, '/services/holidays?year=2031');
    await page.getByRole('link', { name: 'New Holiday' }).click();
    await page.getByLabel('Name').fill('Winter Closure');
    await page.getByLabel('Date', { exact: true }).fill('2031-12-24');
    await page.getByLabel('Last day (optional)').fill('2031-12-26');
    await screenshots(page, 'p2b-holiday-form');
    await page.getByRole('button', { name: 'Add Holiday' }).click();
    await page.waitForURL(/\/services\/holidays\?year=2031/);
    const day = page.locator('td[data-date="2031-12-25"]');
    expect(await day.getAttribute('class')).to.include('is-holiday');
    expect(await day.getAttribute('title')).to.equal('Winter Closure');
    expect(await page.textContent('#h-routing + table')).to.include('Mailbox');
    await screenshots(page, 'p2b-holidays-calendar');
  });

  it('shows Listen Live, Call Blocking, Queues and SIP Trunks pages that fit both sizes', async () => {
    const page = browser.page;
    for (const [path, name] of [
      ['/services/listen-live', 'p2b-listen-live'],
      ['/services/call-blocking', 'p2b-call-blocking'],
      ['/services/call-blocking/new', 'p2b-call-block-form'],
      [`/services/queues`, 'p2b-queues'],
      ['/services/sip-trunks', 'p2b-sip-trunks'],
    ]) {
      await open(page, path);
      expect(await page.title(), path).to.not.include('not found');
      await screenshots(page, name);
    }
    const [q] = await w.services.objects.list(SYSTEM, world.acme.pbx.id, 'queues');
    await open(page, `/services/queues/${q.id}`);
    expect(await page.textContent('#agent-status')).to.include('not connected to FreeSWITCH');
    await screenshots(page, 'p2b-queue-form');
    const [t] = await w.services.objects.list(SYSTEM, world.acme.pbx.id, 'trunks');
    await open(page, `/services/sip-trunks/${t.id}`);
    await screenshots(page, 'p2b-sip-trunk-form');
  });
});
