// End to end in real Chromium: Activity (search, pages, CSV download), Activity Graph and Path Usage drawn with
// Chart.js from our own origin under the strict CSP, a hostile caller name shown as text, an employee kept to their
// own extension. Screenshots (laptop and phone sizes) land in test-output/screenshots/activity-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { today } from '../../src/domain/zoned-time';
import { SYSTEM } from '../../src/services/actor';
import { type Browser, openBrowser, SCREENSHOTS, screenshots, VIEWPORTS } from '../helpers/browser';
import { callRow, incoming, insertCalls, outgoing } from '../helpers/call-rows';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { MARK_OTHER_EMPLOYEE, portalWorld } from './world';

/** The part of a canvas element this test reads (the tests compile without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    type: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

const HOSTILE = '<img src=x onerror=alert(1)>';
const TZ = 'America/Chicago';
const MIN = 60_000;

describe('portal Activity end to end (Chromium)', function () {
  this.timeout(180_000);
  let w: TestWorld;
  let server: PortalServer;
  let browser: Browser;
  let dialogs: string[];
  let problems: string[];
  /** The local day of the burst of concurrent calls (two hours ago). */
  let burstDay: string;
  const now = Date.now();

  before(async () => {
    w = await openWorld(ENGINES[0]);
    const world = await portalWorld(w);
    const a = world.acme.pbx.id;
    await w.services.pbx.update(SYSTEM, a, { prepaidPaths: 2, onDemandPaths: 1 });
    const rows = [];
    // Seven days of office traffic: incoming to 201/202, outgoing from them, some internal calls.
    for (let d = 0; d < 7; d++)
      for (let k = 0; k < 12; k++) {
        const at = new Date(now - d * 86_400_000 - (k * 47 + 180) * MIN).toISOString();
        const ext = k % 2 ? '201' : '202';
        const seconds = 60 + ((k * 97) % 600);
        if (k % 3 === 0) rows.push(incoming(a, at, { calleeExtension: ext, seconds, callerName: 'Pat Customer' }));
        else if (k % 3 === 1) rows.push(outgoing(a, at, { extensionNumber: ext, seconds }));
        else rows.push(callRow(a, { at, seconds, disposition: k % 4 ? 'answered' : 'voicemail' }));
      }
    // Two hours ago, four outside calls at once: more than the 2 prepaid paths, more than all 3.
    const burst = now - 120 * MIN;
    burstDay = today(TZ, burst);
    rows.push(
      incoming(a, new Date(burst).toISOString(), { calleeExtension: '201', callerName: HOSTILE, seconds: 900 }),
    );
    for (let i = 1; i < 4; i++)
      rows.push(outgoing(a, new Date(burst + i * MIN).toISOString(), { extensionNumber: '202', seconds: 600 }));
    rows.push(incoming(a, new Date(burst).toISOString(), { calleeExtension: '202', callerName: MARK_OTHER_EMPLOYEE }));
    await insertCalls(w.orm, rows);
    server = await startPortal(w.services);
  });
  beforeEach(async () => {
    browser = await openBrowser();
    dialogs = [];
    problems = [];
    browser.page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    // Status answers are checked per resource below (a 422 page and the favicon's 404 are expected).
    browser.page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    browser.page.on('response', (r) => {
      if (r.url().includes('/static/') && r.status() !== 200 && r.status() !== 304)
        problems.push(`${r.status()} ${r.url()}`);
    });
    browser.page.on('pageerror', (e) => problems.push(e.message));
  });
  afterEach(async () => {
    await browser?.close();
    expect(dialogs, 'no script of anyone else ever ran').to.deep.equal([]);
    expect(problems, 'no script error, no CSP refusal').to.deep.equal([]);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
  }

  /** What a phone shows once scrolled to `selector` (a full-page shot of a long page is too small to judge). */
  async function phoneView(page: Page, name: string, selector: string): Promise<void> {
    await page.setViewportSize(VIEWPORTS.phone);
    await page.locator(selector).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone-view.png`) });
    await page.setViewportSize(VIEWPORTS.laptop);
  }

  /** The chart was drawn: Chart.js ran (from /static/vendor/) and painted pixels into the canvas. */
  async function expectChartDrawn(page: Page): Promise<void> {
    await page.locator('.chart--drawn canvas').waitFor();
    const painted = await page.locator('.chart--drawn canvas').evaluate((c: CanvasLike) => {
      const ctx = c.getContext('2d');
      if (!ctx || !c.width || !c.height) return 0;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n;
    });
    expect(painted).to.be.greaterThan(1000);
  }

  it('searches Activity, pages on, downloads the CSV', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Activity' }).click();
    await page.waitForURL(`${server.url}/activity`);
    // Every call of the PBX by default, newest first, 50 a page.
    expect(await page.locator('.activity-table tbody tr').count()).to.equal(50);
    await page.getByLabel('Start date').fill(burstDay);
    await page.getByLabel('Call type').selectOption('incoming');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/direction=incoming/);
    expect(await page.getByText(HOSTILE).count()).to.be.greaterThan(0);
    await screenshots(page, 'activity-search');

    await page.getByLabel('Start date').fill('');
    await page.getByLabel('Call type').selectOption('both');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Older calls' }).click();
    await page.waitForURL(/cursor=/);
    expect(await page.locator('.activity-table tbody tr').count()).to.be.greaterThan(0);
    expect(await page.getByText('Calls 51–').isVisible()).to.equal(true);
    await screenshots(page, 'activity-page-2');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).to.match(/^activity-acme-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\r\n')[0]).to.match(/^Start,Answer,End,Type,/);
    expect(csv.trimEnd().split('\r\n')).to.have.length(7 * 12 + 5 + 1);

    await page.goto(`${server.url}/activity?from=tomorrow`);
    expect(await page.getByText('There is a problem').isVisible()).to.equal(true);
    await screenshots(page, 'activity-error');
  });

  it('draws Activity Graph with Chart.js from our origin, the same numbers in the table', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test');
    await page.goto(`${server.url}/activity`);
    await page.getByRole('navigation', { name: 'Activity' }).getByRole('link', { name: 'Activity Graph' }).click();
    await page.waitForURL(`${server.url}/activity/graph`);
    await expectChartDrawn(page);
    const total = await page.locator('.activity-numbers tfoot td').allTextContents();
    expect(total.map(Number).reduce((s, n) => s + n, 0)).to.be.greaterThan(0);
    await screenshots(page, 'activity-graph-day');
    await page.getByLabel('Start date').fill(burstDay);
    await page.getByLabel('End date').fill(burstDay);
    await page.getByLabel('Graph type').selectOption('hour');
    await page.getByRole('button', { name: 'View Graph' }).click();
    await page.waitForURL(/by=hour/);
    await expectChartDrawn(page);
    expect(await page.locator('.activity-numbers tbody tr').count()).to.be.within(23, 25);
    await screenshots(page, 'activity-graph-hour');
    await phoneView(page, 'activity-graph-hour', '.chart');
  });

  it('draws Path Usage against prepaid and on-demand paths with the peak marked', async () => {
    const page = browser.page;
    await logIn(page, 'admin@acme.test');
    await page.goto(`${server.url}/activity/path-usage`);
    await page.getByLabel('Start date').fill(burstDay);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/start=/);
    await expectChartDrawn(page);
    const verdict = await page.locator('.verdict').textContent();
    expect(verdict).to.match(/^Peak: [4-9] concurrent calls at .*more than all 3 call paths/);
    await screenshots(page, 'activity-path-usage-day');
    await phoneView(page, 'activity-path-usage-day', '.verdict');
    await page.getByLabel('Zoom level').selectOption('week');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/zoom=week/);
    await expectChartDrawn(page);
    await page.getByText('Show the numbers').click();
    expect(await page.locator('tr.is-peak').count()).to.equal(1);
    await screenshots(page, 'activity-path-usage-week');
    await phoneView(page, 'activity-path-usage-week', '.verdict');
  });

  it("keeps an employee to their own extension's calls; no Path Usage for them", async () => {
    const page = browser.page;
    await logIn(page, 'emp@acme.test');
    await page.goto(`${server.url}/activity`);
    expect(await page.getByText('You see the calls of your extension 201').isVisible()).to.equal(true);
    expect(await page.getByText(MARK_OTHER_EMPLOYEE).count()).to.equal(0);
    expect(await page.getByRole('link', { name: 'Path Usage' }).count()).to.equal(0);
    expect(await page.getByLabel('Extension', { exact: true }).count()).to.equal(0);
    await screenshots(page, 'activity-employee');
    await page.getByRole('link', { name: 'Activity Graph' }).click();
    await expectChartDrawn(page);
    await screenshots(page, 'activity-graph-employee');
  });
});
