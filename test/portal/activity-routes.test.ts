// Route tests of Activity, its CSV export, Activity Graph and Path Usage: filters, keyset pages, the PBX time zone,
// CSV headers and streaming, hostile caller names escaped (HTML) and neutralised (CSV), tenant and role refusal.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { callRow, incoming, insertCalls, outgoing } from '../helpers/call-rows';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import { openWorld, type TestWorld } from '../helpers/services';
import { MARK_OTHER_EMPLOYEE, MARK_OTHER_PBX, portalWorld } from './world';

const XSS = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example","x")';

/** The page as a browser reads its attributes (Handlebars escapes = and & in them). */
const decode = (html: string) =>
  html
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The numbers a chart is drawn from (its container's data-chart attribute). */
const chartData = (html: string) => JSON.parse(decode(/data-chart="([^"]+)"/.exec(html)?.[1] ?? 'null'));

/** Data rows of the Activity table (their Start cells). */
const starts = (html: string) => [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]);

describe('portal: Activity, Activity Graph, Path Usage', function () {
  this.timeout(60_000);
  let w: TestWorld;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let emp: PortalClient;

  before(async () => {
    w = await openWorld(ENGINES[0]);
    world = await portalWorld(w);
    const a = world.acme.pbx.id;
    await w.services.pbx.update(SYSTEM, a, { prepaidPaths: 1, onDemandPaths: 1 });
    await insertCalls(w.orm, [
      // 2 March 2026, Chicago (CST, -06:00).
      incoming(a, '2026-03-02T15:00:00Z', { calleeExtension: '201', callerName: XSS, seconds: 600 }),
      incoming(a, '2026-03-02T15:05:00Z', { calleeExtension: '202', callerName: MARK_OTHER_EMPLOYEE, seconds: 90 }),
      outgoing(a, '2026-03-02T15:06:00Z', { extensionNumber: '201', callerName: IMG, seconds: 120 }),
      callRow(a, { at: '2026-03-02T16:00:00Z', callerName: FORMULA }),
      // 3 March: the evening (21:30 local) is still the 3rd in Chicago though it is the 4th in UTC.
      outgoing(a, '2026-03-04T03:30:00Z', { extensionNumber: '202', remoteNumber: '4155550100' }),
      // Another tenant's call on the same day: never on acme's pages.
      incoming(world.other.pbx.id, '2026-03-02T15:01:00Z', { calleeExtension: '201', callerName: MARK_OTHER_PBX }),
    ]);
    server = await startPortal(w.services);
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
    emp = new PortalClient(server.url);
    expect((await emp.login('emp@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  describe('Activity search', () => {
    it('lists every call of the range newest first, in the PBX time zone, with the manual labels', async () => {
      const page = await admin.get('/activity?from=2026-03-02&to=2026-03-03');
      expect(page.status).to.equal(200);
      expect(page.body).to.include('Start date').and.include('Call type').and.include('>Search</button>');
      expect(page.body).to.include('America/Chicago');
      expect(starts(page.body)).to.deep.equal([
        '2026-03-03T21:30:00-06:00',
        '2026-03-02T10:00:00-06:00',
        '2026-03-02T09:06:00-06:00',
        '2026-03-02T09:05:00-06:00',
        '2026-03-02T09:00:00-06:00',
      ]);
      expect(page.body).to.include('2026-03-03 21:30:00').and.not.include(MARK_OTHER_PBX);
    });

    it('shows and filters local times across the DST change (8 March 2026 in Chicago)', async () => {
      const a = world.acme.pbx.id;
      await insertCalls(w.orm, [
        // Between extensions nobody else's test looks at.
        callRow(a, { at: '2026-03-08T07:59:00Z', extensionNumber: '298', calleeExtension: '299' }), // 01:59 CST
        callRow(a, { at: '2026-03-08T08:01:00Z', extensionNumber: '298', calleeExtension: '299' }), // 03:01 CDT
      ]);
      const page = await admin.get('/activity?from=2026-03-08T01:00&to=2026-03-08T03:30');
      expect(starts(page.body)).to.deep.equal(['2026-03-08T03:01:00-05:00', '2026-03-08T01:59:00-06:00']);
      expect(page.body).to.include('>2026-03-08 03:01:00<').and.include('>2026-03-08 01:59:00<');
      const graph = await admin.get('/activity/graph?from=2026-03-08&to=2026-03-08&by=hour&direction=internal');
      expect(graph.body.match(/<th scope="row">2026-03-08 /g)).to.have.length(23);
    });

    it('escapes hostile caller names', async () => {
      const page = await admin.get('/activity?from=2026-03-02&to=2026-03-02');
      expect(page.body).to.not.include(XSS).and.not.include('<img src=x');
      expect(page.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('filters by date-time, call type, extension and phone number', async () => {
      const by = async (q: string) => starts((await admin.get(`/activity?${q}`)).body);
      expect(await by('from=2026-03-02T09:05&to=2026-03-02%2009:06')).to.deep.equal([
        '2026-03-02T09:06:00-06:00',
        '2026-03-02T09:05:00-06:00',
      ]);
      expect(await by('from=2026-03-01&direction=outgoing')).to.have.length(2);
      expect(await by('from=2026-03-01&to=2026-03-07&direction=internal')).to.deep.equal(['2026-03-02T10:00:00-06:00']);
      expect(await by('extension=202')).to.deep.equal([
        '2026-03-03T21:30:00-06:00',
        '2026-03-02T10:00:00-06:00',
        '2026-03-02T09:05:00-06:00',
      ]);
      expect(await by('number=%2B1%20(415)%20555-0100')).to.deep.equal(['2026-03-03T21:30:00-06:00']);
    });

    it('pages by keyset: Older calls follows on without repeating, Newest calls goes back', async () => {
      const first = await admin.get('/activity?from=2026-03-01&limit=2');
      expect(starts(first.body)).to.have.length(2);
      const next = /href="(\/activity\?[^"]*cursor=[^"]+)" rel="next"/.exec(decode(first.body))?.[1];
      expect(next).to.be.a('string').and.include('limit=').and.include('page=2');
      const second = await admin.get(next as string);
      expect(second.status).to.equal(200);
      const seen = [...starts(first.body), ...starts(second.body)];
      expect(new Set(seen).size).to.equal(seen.length);
      expect(second.body).to.include('Newest calls');
    });

    it('answers a bad query with the form and a message per field (422), never a stack', async () => {
      const page = await admin.get('/activity?from=yesterday&number=abc&extension=1');
      expect(page.status).to.equal(422);
      expect(page.body)
        .to.include('There is a problem')
        .and.include('Start date: enter a date such as 2026-03-01, or a date and time');
      expect(page.body).to.include('Phone number: must be a phone number').and.include('Extension: must be');
      expect(page.body).to.include('value="yesterday"');
    });

    it('shows an employee only the calls of their own extension, without an extension field', async () => {
      const page = await emp.get('/activity?from=2026-03-01');
      expect(page.status).to.equal(200);
      expect(page.body).to.include('You see the calls of your extension 201');
      expect(page.body).to.not.include(MARK_OTHER_EMPLOYEE).and.not.include('name="extension"');
      // Their incoming and outgoing calls, and the internal call they made to 202.
      expect(starts(page.body)).to.deep.equal([
        '2026-03-02T10:00:00-06:00',
        '2026-03-02T09:06:00-06:00',
        '2026-03-02T09:00:00-06:00',
      ]);
      // Asking for a colleague's extension shows nothing, not their calls.
      expect(starts((await emp.get('/activity?extension=202')).body)).to.deep.equal([]);
    });

    it('sends an anonymous visitor to the login page', async () => {
      for (const path of ['/activity', '/activity/export.csv', '/activity/graph', '/activity/path-usage']) {
        const a = await new PortalClient(server.url).get(path);
        expect(a.status, path).to.equal(303);
        expect(a.location, path).to.match(/^\/login\?next=/);
      }
    });
  });

  describe('CSV export', () => {
    it('downloads the same search as CSV with attachment headers, times in the PBX zone', async () => {
      const a = await admin.get('/activity/export.csv?from=2026-03-02&to=2026-03-02&direction=incoming');
      expect(a.status).to.equal(200);
      expect(a.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
      expect(a.headers.get('content-disposition')).to.match(
        /^attachment; filename="activity-acme-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(a.headers.get('cache-control')).to.equal('no-store');
      const lines = a.body.trimEnd().split('\r\n');
      expect(lines[0]).to.match(/^Start,Answer,End,Type,/);
      expect(lines).to.have.length(3);
      expect(lines[1]).to.match(/^2026-03-02T09:05:00-06:00,/);
      expect(a.body).to.not.include(MARK_OTHER_PBX);
    });

    it('neutralises formulas and quotes hostile names', async () => {
      const a = await admin.get('/activity/export.csv?direction=internal');
      expect(a.body).to.include(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
      const b = await admin.get('/activity/export.csv?direction=outgoing&from=2026-03-02&to=2026-03-02');
      expect(b.body).to.include('"""><img src=x onerror=alert(1)>"');
    });

    it('streams thousands of rows in chunks (no Content-Length), every row once', async () => {
      const rows = Array.from({ length: 2500 }, (_, i) =>
        callRow(world.acme.pbx.id, { at: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString() }),
      );
      await insertCalls(w.orm, rows);
      const res = await fetch(`${server.url}/activity/export.csv?from=2025-05-31&to=2025-06-30`, {
        headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-length')).to.equal(null);
      expect(res.headers.get('transfer-encoding')).to.equal('chunked');
      const text = await res.text();
      const lines = text.trimEnd().split('\r\n');
      expect(lines).to.have.length(2501);
      expect(new Set(lines.slice(1).map((l) => l.split(',').at(-1))).size).to.equal(2500);
    });

    it('answers a bad query with the search form (422), not a broken download', async () => {
      const a = await admin.get('/activity/export.csv?to=2026-02-30T25:00');
      expect(a.status).to.equal(422);
      expect(a.headers.get('content-type')).to.match(/html/);
      expect(a.body).to.include('End date: enter a date such as 2026-03-01');
    });

    it('gives an employee only their own calls', async () => {
      const a = await emp.get('/activity/export.csv?from=2026-03-01');
      expect(a.status).to.equal(200);
      const lines = a.body.trimEnd().split('\r\n');
      expect(lines).to.have.length(4);
      expect(a.body).to.not.include(MARK_OTHER_EMPLOYEE);
      expect((await emp.get('/activity/export.csv?extension=202')).body.trimEnd().split('\r\n')).to.have.length(1);
    });
  });

  describe('Activity Graph', () => {
    it('counts calls per local day in a table under the chart, with the numbers for the chart', async () => {
      const page = await admin.get('/activity/graph?from=2026-03-02&to=2026-03-04&by=day');
      expect(page.status).to.equal(200);
      expect(page.body).to.include('Graph type').and.include('>View Graph</button>');
      const row = (label: string) =>
        new RegExp(`<th scope="row">${label}</th><td class="num">(\\d+)</td><td class="num">(\\d+)</td>`)
          .exec(page.body)
          ?.slice(1)
          .map(Number);
      expect(row('2026-03-02')).to.deep.equal([2, 1]);
      expect(row('2026-03-03')).to.deep.equal([0, 1]); // 21:30 local, though the 4th in UTC
      expect(row('2026-03-04')).to.deep.equal([0, 0]);
      const data = chartData(page.body);
      expect(data.labels).to.deep.equal(['2026-03-02', '2026-03-03', '2026-03-04']);
      expect(data.datasets.map((d: { key: string; data: number[] }) => [d.key, d.data])).to.deep.equal([
        ['incoming', [2, 0, 0]],
        ['outgoing', [1, 1, 0]],
      ]);
      expect(page.body).to.include('<script src="/static/vendor/chart.umd.min.js" defer></script>');
      expect(page.body).to.include('<script src="/static/js/activity-charts.js" defer></script>');
    });

    it('counts per hour and for one call type', async () => {
      const page = await admin.get('/activity/graph?from=2026-03-02&to=2026-03-02&by=hour&direction=incoming');
      expect(page.body).to.match(/<th scope="row">2026-03-02 09:00<\/th><td class="num">2<\/td><\/tr>/);
      expect(page.body).to.not.include('<th scope="col" class="num">Outgoing</th>');
    });

    it('serves Chart.js from our own origin as JavaScript', async () => {
      const js = await admin.get('/static/vendor/chart.umd.min.js');
      expect(js.status).to.equal(200);
      expect(js.headers.get('content-type')).to.match(/^text\/javascript/);
      expect(js.body).to.include('Chart');
      expect((await admin.get('/static/vendor/__proto__')).status).to.equal(404);
      expect((await admin.get('/static/vendor/..%2Fpackage.json')).status).to.equal(404);
      const own = await admin.get('/static/js/activity-charts.js');
      expect(own.status).to.equal(200);
    });

    it('refuses a bad range with messages (422) and counts only an employee’s own calls', async () => {
      const bad = await admin.get('/activity/graph?from=2026-01-01&to=2026-12-31&by=hour');
      expect(bad.status).to.equal(422);
      expect(bad.body).to.include('End date: is more than 92 days after from');
      const mine = await emp.get('/activity/graph?from=2026-03-02&to=2026-03-03');
      expect(mine.status).to.equal(200);
      expect(mine.body).to.match(/<th scope="row">2026-03-02<\/th><td class="num">1<\/td><td class="num">1<\/td>/);
      expect(mine.body).to.match(/<th scope="row">2026-03-03<\/th><td class="num">0<\/td><td class="num">0<\/td>/);
    });
  });

  describe('Path Usage', () => {
    it('shows concurrent calls against prepaid and on-demand paths with the peak marked', async () => {
      const page = await admin.get('/activity/path-usage?zoom=day&start=2026-03-02');
      expect(page.status).to.equal(200);
      expect(page.body).to.include('Zoom level').and.include('>Submit</button>');
      expect(page.body).to.include('Prepaid call paths: 1 · On-demand call paths: 1 · Total: 2');
      // 09:00 (10 min), 09:05 (90 s) and 09:06 (2 min) overlap: three outside calls at once at 09:06.
      expect(page.body).to.include('Peak: 3 concurrent calls at 2026-03-02 09:06:00');
      expect(page.body).to.include('more than all 2 call paths');
      expect(page.body).to.match(
        /<tr class="is-peak"><th scope="row">09:06<\/th><td class="num">3 <strong>\(peak\)<\/strong>/,
      );
      const data = chartData(page.body);
      expect(data.labels).to.have.length(1440);
      expect(data.prepaid).to.equal(1);
      expect(data.total).to.equal(2);
      expect(data.max[data.peakIndex]).to.equal(3);
      expect(data.labels[data.peakIndex]).to.equal('09:06');
    });

    it('zooms to a week by hour and a month by day, with earlier and later links', async () => {
      const week = await admin.get('/activity/path-usage?zoom=week&start=2026-03-01');
      expect(week.body).to.include('Week (by hour): 2026-03-01 to 2026-03-07');
      expect(decode(week.body)).to.include('href="/activity/path-usage?zoom=week&start=2026-03-08"');
      const month = await admin.get('/activity/path-usage?zoom=month&start=2026-03-01');
      expect(month.body).to.include('Month (by day): 2026-03-01 to 2026-03-31');
      expect(month.body).to.match(/<th scope="row">2026-03-02<\/th><td class="num">3 <strong>/);
      expect(decode(month.body)).to.include('href="/activity/path-usage?zoom=month&start=2026-02-01"');
    });

    it('refuses a bad zoom (422) and an employee (403: a PBX-wide figure)', async () => {
      const bad = await admin.get('/activity/path-usage?zoom=year');
      expect(bad.status).to.equal(422);
      expect(bad.body).to.include('Zoom level: must be day, week or month');
      expect((await emp.get('/activity/path-usage')).status).to.equal(403);
      const home = await emp.get('/activity');
      expect(home.body).to.include('>Activity Graph</a>').and.not.include('>Path Usage</a>');
    });
  });
});
