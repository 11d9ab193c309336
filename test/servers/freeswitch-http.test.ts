// FreeSWITCH's own requests (captured bytes) against the live endpoints: xml_curl answers from the database at
// request time, CDR posts become Activity rows; basic auth and the address allow-list guard both.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../src/db';
import { AudioFileSchema, CallRecordSchema } from '../../src/domain/model';
import type { CallRecordInput } from '../../src/freeswitch/cdr/call-record';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { localRecordingSource } from '../../src/freeswitch/recording-source';
import { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { notFoundDocument } from '../../src/freeswitch/xml-curl-not-found';
import { parseXmlStrict } from '../../src/freeswitch/xml-strict';
import { createApp } from '../../src/portal/app';
import { freeswitchListener } from '../../src/servers/freeswitch-http';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { ingestCallRecord } from '../../src/services/call-records';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { callRecordIntake, PhoneRecordings } from '../../src/services/phone-recordings';
import { randomAlnum } from '../../src/services/secrets';
import { readCapturedRequest } from '../helpers/http-fixture';

const AUTH = `Basic ${Buffer.from('freeswitch:curl-secret-123').toString('base64')}`;

describe('FreeSWITCH HTTP endpoints (xml_curl, CDR)', function () {
  this.timeout(20000);
  let services: Services;
  let server: Server;
  let base: string;
  let pbxId: number;
  let ext1000: { id: number; sipPassword: string };

  async function start(
    allow: string[],
    ingest: (r: CallRecordInput) => Promise<boolean> = (r) => ingestCallRecord(services.orm, r),
  ): Promise<void> {
    const answerer = new XmlCurlAnswerer(new LiveSnapshots(services.orm), DEFAULT_OPTIONS);
    const listener = freeswitchListener(
      {
        answerer,
        ingest,
        username: 'freeswitch',
        password: 'curl-secret-123',
        allow,
        log: () => {},
      },
      createApp(services, { log: () => {} }),
    );
    server = createServer(listener).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const post = (path: string, fixture: string, edit: (b: string) => string = (b) => b, auth = AUTH) => {
    const req = readCapturedRequest(fixture);
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'], authorization: auth },
      body: edit(req.body.toString('latin1')),
    });
  };

  before(async () => {
    services = createServices(await openDatabase({ url: null, sqlitePath: ':memory:' }));
    const pbx = await services.pbx.create(SYSTEM, {
      context: 'acme',
      name: 'Acme',
      domain: 'acme.pbx.test',
      timezone: 'UTC',
    });
    pbxId = pbx.id;
    const n = await services.objects.create(SYSTEM, pbxId, 'numbers', {
      number: '2125551000',
      routeTo: { kind: 'hangup' },
    });
    const loc = await services.objects.create(SYSTEM, pbxId, 'e911', {
      name: 'HQ',
      street: '1 Main St',
      city: 'New York',
      state: 'NY',
      zip: '10001',
      callbackNumberId: n.id,
      termsAccepted: true,
    });
    for (const number of ['1000', '1001', '1002']) {
      const box = await services.objects.create(SYSTEM, pbxId, 'mailboxes', {
        number,
        name: `User ${number}`,
        password: '8642',
      });
      const sipPassword = randomAlnum(16);
      const e = await services.objects.create(
        SYSTEM,
        pbxId,
        'extensions',
        { number, name: `User ${number}`, e911LocationId: loc.id, mailboxId: box.id },
        { sipPassword },
      );
      if (number === '1000') ext1000 = { id: e.id as number, sipPassword };
    }
    await start(['127.0.0.1', '::1']);
  });
  after(async () => {
    server?.close();
    await services.orm.close(true);
  });

  it('answers the REGISTER auth lookup with the user and its password', async () => {
    const res = await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-register-sip_auth-1000.http');
    expect(res.status).to.equal(200);
    const text = await res.text();
    expect(() => parseXmlStrict(text)).to.not.throw();
    expect(text)
      .to.contain('<section name="directory"')
      .and.to.contain('<domain name="acme.pbx.test"')
      .and.to.contain('<user id="1000"');
    expect(text).to.contain(`value="${ext1000.sipPassword}"`);
  });

  it('answers the captured lookups of a call and of voicemail, and not found for strangers', async () => {
    for (const f of [
      'xml_curl-invite-user_call-1001.http',
      'xml_curl-register-message-count-1000.http',
      'xml_curl-voicemail-deposit-5-voicemail-lookup-1002.http',
      'xml_curl-user_exists-1000.http',
    ]) {
      const text = await (await post('/freeswitch/xml-curl', `xml_curl/${f}`)).text();
      expect(text, f).to.contain('<user id="');
    }
    const missing = await (await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-user_exists-1999.http')).text();
    expect(missing).to.equal(notFoundDocument());
    const sofia = await (
      await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-startup-04-configuration-sofia.conf.http')
    ).text();
    expect(sofia).to.equal(notFoundDocument());
    const other = await (
      await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-register-sip_auth-1000.http', (b) =>
        b.replaceAll('acme.pbx.test', 'other.test'),
      )
    ).text();
    expect(other).to.equal(notFoundDocument());
  });

  it('answers the dialplan lookup with the PBX context and the configuration lookups with Dialtone modules', async () => {
    const text = await (
      await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-invite-dialplan-1001.http', (b) =>
        b.replace(/Context=default/g, 'Context=acme'),
      )
    ).text();
    expect(text).to.contain('<context name="acme"');
    expect(() => parseXmlStrict(text)).to.not.throw();
    for (const f of [
      'xml_curl-startup-10-configuration-conference.conf.http',
      'xml_curl-startup-25-configuration-callcenter.conf.http',
      'xml_curl-call-ivr.conf.http',
      'xml_curl-startup-14-configuration-voicemail.conf.http',
      'xml_curl-startup-23-configuration-local_stream.conf.http',
      'xml_curl-startup-16-configuration-directory.conf.http',
    ]) {
      const conf = await (await post('/freeswitch/xml-curl', `xml_curl/${f}`)).text();
      expect(conf, f).to.contain('<section name="configuration"').and.to.contain('<configuration name="');
      expect(() => parseXmlStrict(conf), f).to.not.throw();
    }
  });

  it('lists the live dialplan in the static tree’s order (the flows’ files between the dialplan module’s, by name)', async () => {
    const text = await (
      await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-invite-dialplan-1001.http', (b) =>
        b.replace(/Context=default/g, 'Context=acme'),
      )
    ).text();
    const names = (xml: string) => [...xml.matchAll(/<extension name="([^"]+)"/g)].map((m) => m[1]);
    const tree = generate([await services.snapshot(pbxId)], DEFAULT_OPTIONS);
    const staticOrder = [...tree.keys()]
      .filter((p) => p.startsWith('dialplan/acme/'))
      .sort()
      .flatMap((p) => names(tree.get(p)!));
    expect(staticOrder.length).to.be.greaterThan(20);
    expect(staticOrder.some((n) => n.startsWith('dt_did_') || n.startsWith('did_'))).to.equal(true);
    expect(names(text)).to.deep.equal(staticOrder);
  });

  it('serves a portal change on the very next lookup, with no reload', async () => {
    await services.objects.update(SYSTEM, pbxId, 'extensions', ext1000.id, { name: 'Renamed Zed' });
    const text = await (await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-register-sip_auth-1000.http')).text();
    expect(text).to.contain('Renamed Zed');
  });

  it('refuses wrong credentials', async () => {
    const res = await post(
      '/freeswitch/xml-curl',
      'xml_curl/xml_curl-register-sip_auth-1000.http',
      (b) => b,
      `Basic ${Buffer.from('freeswitch:nope').toString('base64')}`,
    );
    expect(res.status).to.equal(401);
    expect(await res.text()).to.not.contain('<user');
  });

  it('stores the a-leg of a posted call record once, ignores the b-leg and repeats', async () => {
    const a = await post('/freeswitch/cdr', 'cdr/cdr-answered-json_cdr-a-leg.http');
    expect(a.status).to.equal(200);
    expect(await a.text()).to.equal('stored\n');
    expect(await (await post('/freeswitch/cdr', 'cdr/cdr-answered-json_cdr-a-leg.http')).text()).to.equal('ignored\n');
    expect(await (await post('/freeswitch/cdr', 'cdr/cdr-answered-json_cdr-b-leg.http')).text()).to.equal('ignored\n');
    expect((await post('/freeswitch/cdr', 'cdr/cdr-busy-xml_cdr-a-leg.http')).status).to.equal(200);
    const rows = await services.orm.em.fork().find(CallRecordSchema, { pbxId });
    expect(rows).to.have.length(2);
    expect(rows.map((r) => r.hangupCause).sort()).to.deep.equal(['NORMAL_CLEARING', 'USER_BUSY']);
    expect((await post('/freeswitch/cdr', 'cdr/cdr-busy-json_cdr-a-leg.http', (b) => b, 'Basic eDp5')).status).to.equal(
      401,
    );
  });

  it('imports the greeting a posted call record says was recorded by phone (the captured post, two variables added)', async () => {
    const fsAudio = mkdtempSync(join(tmpdir(), 'dialtone-fs-audio-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-data-'));
    try {
      const recordings = new PhoneRecordings({
        orm: services.orm,
        objects: services.objects,
        source: localRecordingSource(),
        freeswitchAudioDir: fsAudio,
        dataDir,
        log: () => {},
      });
      server.close();
      await start(['127.0.0.1', '::1'], callRecordIntake(services.orm, recordings));
      const box = (await services.objects.list(SYSTEM, pbxId, 'mailboxes'))[1];
      const what = `mailbox-${box.id}-busy`;
      const uuid = '7966df81-42b0-4111-ba2a-f2d663b74888'; // the captured call's uuid, changed (not a repeat)
      const file = `${fsAudio}/acme/phone-${what}-${uuid}.wav`;
      mkdirSync(join(fsAudio, 'acme'));
      const bytes = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(4000)]);
      writeFileSync(file, bytes);
      const withRecording = (b: string) =>
        b
          .replace('"variables":{', `"variables":{"dialtone_recorded":"${what}","dialtone_recorded_file":"${file}",`)
          .replaceAll('7966df81-42b0-4111-ba2a-f2d663b74887', uuid);
      const res = await post('/freeswitch/cdr', 'cdr/cdr-answered-json_cdr-a-leg.http', withRecording);
      expect(res.status).to.equal(200);
      const after = await services.objects.get(SYSTEM, pbxId, 'mailboxes', box.id as number);
      const audio = await services.orm.em.fork().findOneOrFail(AudioFileSchema, { id: after.busyGreetingId as number });
      expect(audio).to.include({
        pbxId,
        storedName: `phone-${what}-${uuid}.wav`,
        purpose: 'greeting',
        sizeBytes: bytes.length,
      });
      expect(readFileSync(join(dataDir, 'audio', 'acme', `phone-${what}-${uuid}.wav`)).equals(bytes)).to.equal(true);
    } finally {
      server.close();
      await start(['127.0.0.1', '::1']);
      rmSync(fsAudio, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers other paths and methods under /freeswitch with 404, oversized bodies with 413, and leaves the rest to the app', async () => {
    expect((await fetch(`${base}/freeswitch/xml-curl`, { headers: { authorization: AUTH } })).status).to.equal(404);
    expect((await post('/freeswitch/other', 'xml_curl/xml_curl-register-sip_auth-1000.http')).status).to.equal(404);
    const big = await fetch(`${base}/freeswitch/xml-curl`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH },
      body: `section=directory&x=${'a'.repeat(5 * 1024 * 1024)}`,
    });
    expect(big.status).to.equal(413);
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
  });

  it('refuses callers outside the allow-list', async () => {
    server.close();
    await start(['10.0.0.0/8']);
    const res = await post('/freeswitch/xml-curl', 'xml_curl/xml_curl-register-sip_auth-1000.http');
    expect(res.status).to.equal(403);
  });
});
