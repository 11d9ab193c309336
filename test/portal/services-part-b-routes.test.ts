// Route tests of Listen Live, Holidays, Hold Music, Call Blocking, Queues and SIP Trunks: pages, hostile names
// escaped, roles, CSRF, and for each module a change made in the page reaching the generated FreeSWITCH tree and the
// live mod_xml_curl answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { parseXmlCurlRequest } from '../../src/freeswitch/xml-curl-request';
import { createServices } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { loadSnapshots } from '../../src/services/freeswitch-export';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { mp3Fixture } from '../helpers/audio-files';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, PortalClient, type PortalServer, startPortal } from '../helpers/portal';
import type { TestWorld } from '../helpers/services';
import { MARK_OTHER_PBX, portalWorld } from './world';

const HOSTILE = '<script>alert(1)</script>';
/** Allowed by the field rules, and still needs escaping. */
const AMP = "Smith & Sons' (HQ)";
/** The error summary of a page that was expected to redirect. */
const problems = (body: string) =>
  /<ul>(.*?)<\/ul>/s.exec(body.slice(body.indexOf('error-summary')))?.[1] ?? body.slice(0, 300);
const OPTS = { ...DEFAULT_OPTIONS, audioDir: '/var/lib/dialtone/audio' };

describe('portal routes: Listen Live, Holidays, Hold Music, Call Blocking, Queues, SIP Trunks', function () {
  this.timeout(120_000);
  let w: TestWorld;
  let dataDir: string;
  let server: PortalServer;
  let world: Awaited<ReturnType<typeof portalWorld>>;
  let admin: PortalClient;
  let employee: PortalClient;
  const acme = () => world.acme.pbx;

  /** The generated tree of acme (what `freeswitch export` writes besides the base files), joined. */
  const tree = async () => {
    const files = generate(await loadSnapshots(w.services, acme().context), OPTS);
    return files;
  };
  const live = () => new XmlCurlAnswerer(new LiveSnapshots(w.orm), OPTS);
  const liveDialplan = () =>
    live().answer(
      parseXmlCurlRequest(`section=dialplan&Caller-Context=${acme().context}&Caller-Destination-Number=201`),
    );
  const liveConf = (name: string) => live().answer(parseXmlCurlRequest(`section=configuration&key_value=${name}`));

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-p2b-'));
    const orm = await ENGINES[0].open();
    const services = createServices(orm, { profileIds: new Set() }, { dataDir });
    w = { orm, services, close: () => orm.close(true) };
    world = await portalWorld(w);
    server = await startPortal(w.services);
    admin = new PortalClient(server.url);
    expect((await admin.login('admin@acme.test', PASSWORD)).status).to.equal(303);
    employee = new PortalClient(server.url);
    expect((await employee.login('emp@acme.test', PASSWORD)).status).to.equal(303);
  });
  after(async () => {
    await server?.close();
    await w?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every list page answers inside the frame, shows acme objects and never the other tenant', async () => {
    for (const [path, text] of [
      ['/services/listen-live', 'Listen Live Settings'],
      ['/services/holidays?year=2031', 'Acme Day'],
      ['/services/hold-music', 'Acme Music'],
      ['/services/call-blocking', 'Calls from (900) 555-0100'],
      ['/services/queues', 'Acme Queue'],
      ['/services/sip-trunks', 'acme_carrier'],
    ]) {
      const a = await admin.get(path);
      expect(a.status, path).to.equal(200);
      expect(a.body, path).to.include(text).and.not.include(MARK_OTHER_PBX);
      expect(a.body, path).to.not.include('coming soon');
    }
  });

  it('an employee gets 403 on every page of these modules', async () => {
    for (const path of [
      '/services/listen-live',
      '/services/holidays/new',
      '/services/hold-music/new',
      '/services/call-blocking/new',
      '/services/queues/new',
      '/services/sip-trunks/new',
    ]) {
      expect((await employee.get(path)).status, path).to.equal(403);
    }
  });

  it('a POST without the CSRF token changes nothing (403)', async () => {
    const a = await admin.request('POST', '/services/holidays/new', { name: 'No token', date: '2031-01-02' });
    expect(a.status).to.equal(403);
    expect((await admin.get('/services/holidays?year=2031')).body).to.not.include('No token');
  });

  describe('Call Blocking', () => {
    it('a pattern saved on the page is explained, escaped, and compiled into the tree and the live dialplan', async () => {
      await admin.get('/services/call-blocking/new');
      const saved = await admin.post('/services/call-blocking/new', {
        number: '1-900-*',
        direction: 'outbound',
        comment: AMP,
      });
      expect(saved.status, problems(saved.body)).to.equal(303);
      const page = await admin.follow(saved);
      expect(page.body)
        .to.include('Dialing any number that starts with 1900')
        .and.include('Smith &amp; Sons&#x27; (HQ)');
      const file = (await tree()).get(`dialplan/${acme().context}/80_call_blocks.xml`) as string;
      expect(file).to.include('\\+?1?900[0-9]*');
      expect(await liveDialplan()).to.include('\\+?1?900[0-9]*');
    });

    it('shows what is wrong with a pattern next to the field and keeps what was typed', async () => {
      await admin.get('/services/call-blocking/new');
      const a = await admin.post('/services/call-blocking/new', {
        number: '^900[0-9]$',
        direction: 'inbound',
        comment: HOSTILE,
      });
      expect(a.status).to.equal(422);
      expect(a.body).to.include('There is a problem').and.include('X (any digit)').and.include('value="^900[0-9]$"');
      expect(a.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>alert(1)');
    });
  });

  describe('Holidays', () => {
    it('a holiday of several days added on the page shows in the calendar and reaches the tree and xml_curl', async () => {
      const [n] = await w.services.objects.list(SYSTEM, acme().id, 'numbers');
      await w.services.objects.update(SYSTEM, acme().id, 'numbers', n.id as number, { ifHoliday: { kind: 'hangup' } });
      await admin.get('/services/holidays/new');
      const saved = await admin.post('/services/holidays/new', {
        name: AMP,
        date: '2032-12-24',
        endDate: '2032-12-26',
      });
      expect(saved.status, problems(saved.body)).to.equal(303);
      expect(saved.location).to.equal('/services/holidays?year=2032');
      const cal = await admin.follow(saved);
      expect(cal.body).to.include('data-date="2032-12-25"').and.include('2032-12-24 to 2032-12-26');
      expect(cal.body).to.match(/class="is-holiday"[^>]*data-date="2032-12-25"/);
      expect(cal.body).to.include('Smith &amp; Sons&#x27; (HQ)');
      expect(cal.body).to.include('Hang Up'); // the phone number's If Holiday route
      const did = [...(await tree()).entries()].find(
        ([p]) => p.startsWith(`dialplan/${acme().context}/`) && p.includes('did'),
      );
      const all = [...(await tree()).values()].join('\n');
      expect(all, did?.[0]).to.include('year="2032" mon="12" mday="24-26"');
      expect(await liveDialplan()).to.include('year="2032" mon="12" mday="24-26"');
    });

    it('refuses an overlapping holiday with the name of the one it overlaps', async () => {
      await admin.get('/services/holidays/new');
      const a = await admin.post('/services/holidays/new', { name: 'Again', date: '2031-07-04' });
      expect(a.status).to.equal(422);
      expect(a.body).to.include('overlaps the holiday');
    });
  });

  describe('Listen Live', () => {
    it('mode, password and lists saved on the page reach the tree and xml_curl; the password shows only on reveal', async () => {
      await admin.get('/services/listen-live');
      const e201 = String(world.acme.ext['201'].id);
      const e202 = String(world.acme.ext['202'].id);
      const saved = await admin.post('/services/listen-live', {
        mode: 'both',
        password: '4826',
        listenerIds: [e201],
        listenableIds: [e202],
      });
      expect(saved.status, problems(saved.body)).to.equal(303);
      const page = await admin.follow(saved);
      expect(page.body).to.include('A password is set').and.not.include('4826');
      const shown = await admin.post('/services/listen-live/reveal', {});
      expect(shown.status).to.equal(200);
      expect(shown.body).to.include('Current password: <strong>4826</strong>');
      const file = (await tree()).get(`dialplan/${acme().context}/11_listen_live.xml`) as string;
      expect(file).to.include('eavesdrop');
      expect(await liveDialplan()).to.include('eavesdrop');
      const bad = await admin.post('/services/listen-live', { mode: 'listen', password: 'abc' });
      expect(bad.status).to.equal(422);
    });
  });

  describe('Queues', () => {
    it('strategy, agents and waits saved on the page reach callcenter.conf in the tree and xml_curl', async () => {
      await admin.get('/services/queues/new');
      const saved = await admin.post('/services/queues/new', {
        name: AMP,
        number: '610',
        strategy: 'sequentially-by-agent-order',
        agentIds: [String(world.acme.ext['202'].id), String(world.acme.ext['201'].id)],
        maxWaitSec: '120',
        noAgentWaitSec: '7',
        'timeout.kind': 'hangup',
      });
      expect(saved.status, problems(saved.body)).to.equal(303);
      const page = await admin.follow(saved);
      expect(page.body).to.include('Agent status is not available').and.include('Smith &amp; Sons&#x27; (HQ)');
      expect(page.body).to.match(/1\. 202/);
      const conf = (await tree()).get('autoload_configs/callcenter.conf.xml') as string;
      for (const text of [conf, await liveConf('callcenter.conf')]) {
        expect(text).to.include(`${acme().context}_610@`);
        expect(text).to.include('<param name="max-wait-time-with-no-agent" value="7"/>');
        expect(text).to.include('<param name="strategy" value="sequentially-by-agent-order"/>');
      }
    });
    it('shows agent status live when FreeSWITCH answers, and says plainly when it does not', async () => {
      const [q] = await w.services.objects.list(SYSTEM, acme().id, 'queues');
      const asked: string[] = [];
      for (const [hook, text] of [
        [
          async (x: { context: string; number: string; domain: string }) => {
            asked.push(`${x.context}_${x.number}@${x.domain}`);
            return [{ name: '201@acme', status: 'Available', state: 'Waiting' }];
          },
          'Available',
        ],
        [async () => Promise.reject(new Error('ECONNREFUSED')), 'FreeSWITCH did not answer'],
      ] as const) {
        const s2 = await startPortal(w.services, { hooks: { queueAgents: hook } });
        try {
          const c = new PortalClient(s2.url);
          await c.login('admin@acme.test', PASSWORD);
          const page = await c.get(`/services/queues/${q.id}`);
          expect(page.status).to.equal(200);
          expect(page.body).to.include(text);
        } finally {
          await s2.close();
        }
      }
      expect(asked).to.deep.equal([`${acme().context}_600@${acme().domain}`]);
    });
  });

  describe('SIP Trunks', () => {
    it('the password is masked after save and kept when the box is left empty; the tree still gets it', async () => {
      const [t] = await w.services.objects.list(SYSTEM, acme().id, 'trunks');
      const page = await admin.get(`/services/sip-trunks/${t.id}`);
      expect(page.status).to.equal(200);
      expect(page.body).to.include('A password is saved').and.not.include('acmeS3cretTrunkPw');
      expect((await admin.get('/services/sip-trunks')).body)
        .to.include('Saved (hidden)')
        .and.not.include('acmeuser');
      const saved = await admin.post(`/services/sip-trunks/${t.id}`, {
        name: 'acme_carrier',
        host: 'sip2.example.net',
        port: '5080',
        transport: 'udp',
        username: 'acmeuser',
        password: '',
        register: 'true',
      });
      expect(saved.status, problems(saved.body)).to.equal(303);
      expect((await admin.follow(saved)).body).to.not.include('acmeS3cretTrunkPw');
      const gateway = [...(await tree()).values()].find((x) => x.includes('sip2.example.net')) ?? '';
      expect(gateway).to.include('acmeS3cretTrunkPw').and.include('5080');
      // Gateways live in the static sofia profile: mod_xml_curl is never asked for them (directory gateways: not found).
      const asked = await live().answer(parseXmlCurlRequest('section=directory&purpose=gateways&profile=external'));
      expect(asked).to.not.include('acmeS3cretTrunkPw');
    });
  });

  describe('Hold Music', () => {
    it('uploads a track through the page (JSON redirect for the progress bar), orders and plays it, in tree and xml_curl', async () => {
      const [g] = await w.services.objects.list(SYSTEM, acme().id, 'hold-music');
      const page = await admin.get(`/services/hold-music/${g.id}`);
      expect(page.body)
        .to.include('data-upload-progress')
        .and.include('of its 60 MB of hold music')
        .and.include('at most 10 MB');
      const upload = async (name: string) => {
        const form = new FormData();
        form.append('_csrf', admin.csrf);
        form.append('file', new Blob([mp3Fixture('tone-8k-mono.mp3')], { type: 'audio/mpeg' }), name);
        const res = await fetch(
          `${server.url}/services/hold-music/${g.id}/tracks?_csrf=${encodeURIComponent(admin.csrf)}`,
          {
            method: 'POST',
            body: form,
            headers: {
              cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
              accept: 'application/json',
              'x-csrf-token': admin.csrf,
            },
          },
        );
        return { status: res.status, body: await res.json() };
      };
      expect(await upload('first.mp3')).to.deep.equal({
        status: 200,
        body: {
          redirect: `/services/hold-music/${g.id}?added=${(await w.services.objects.get(SYSTEM, acme().id, 'hold-music', g.id as number)).trackIds}#tracks`,
        },
      });
      expect((await upload('second.mp3')).status).to.equal(200);
      const group = await admin.get(`/services/hold-music/${g.id}`);
      expect(group.body).to.include('first.mp3').and.include('second.mp3');
      const [, second] = (await w.services.objects.get(SYSTEM, acme().id, 'hold-music', g.id as number))
        .trackIds as number[];
      expect(
        (await admin.post(`/services/hold-music/${g.id}/order`, { track: String(second), move: 'up' })).status,
      ).to.equal(303);
      const saved = await admin.post(`/services/hold-music/${g.id}`, {
        name: 'Acme Music',
        outbound: 'false',
        shuffle: 'false',
      });
      expect(saved.status, problems(saved.body)).to.equal(303);
      const after = await w.services.objects.get(SYSTEM, acme().id, 'hold-music', g.id as number);
      expect((after.trackIds as number[])[0]).to.equal(second);
      const play = await admin.get(`/services/hold-music/${g.id}/play?track=${second}`);
      expect(play.status).to.equal(200);
      expect(play.headers.get('content-type')).to.match(/audio/);
      const conf = (await tree()).get('autoload_configs/local_stream.conf.xml') as string;
      for (const text of [conf, await liveConf('local_stream.conf')]) {
        expect(text).to.include(`/moh/${g.id}`);
        expect(text).to.include('<param name="shuffle" value="false"/>');
      }
      expect((await employee.get(`/services/hold-music/${g.id}/play?track=${second}`)).status).to.equal(403);
    });
  });
  it('deletes after a confirmation page; a hold music group goes with its tracks', async () => {
    const created = await w.services.objects.create(SYSTEM, acme().id, 'call-blocks', {
      number: '8005550111',
      direction: 'inbound',
    });
    const confirm = await admin.get(`/services/call-blocking/${created.id}/delete`);
    expect(confirm.status).to.equal(200);
    expect(confirm.body).to.include('Delete call block 8005550111');
    const gone = await admin.post(`/services/call-blocking/${created.id}/delete`, {});
    expect(gone.status).to.equal(303);
    expect((await admin.get(`/services/call-blocking/${created.id}`)).status).to.equal(404);
    const g = await w.services.objects.create(SYSTEM, acme().id, 'hold-music', {
      name: 'Short Lived',
      outbound: false,
      trackIds: [],
    });
    expect((await admin.get(`/services/hold-music/${g.id}/delete`)).body).to.include(
      'Delete hold music group Short Lived',
    );
    expect((await admin.post(`/services/hold-music/${g.id}/delete`, {})).status).to.equal(303);
    const groups = await w.services.objects.list(SYSTEM, acme().id, 'hold-music');
    expect(groups.map((x) => x.name)).to.not.include('Short Lived');
  });
});
