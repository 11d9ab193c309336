// Phone apps benchmark: company-directory searches on a 10,000-extension PBX and pages of a 500-message voicemail
// list (the event-socket fake answering vm_list in FreeSWITCH's real format), from phones with real app tokens,
// through the same node:http listener main.ts uses, 32 concurrent keep-alive clients. A rough Express comparison
// shows why the apps sit in front of Express. Sizes: BENCH_PHONE_APPS_EXTENSIONS, _MESSAGES, _REQUESTS, _PHONES.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { openDatabase } from '../src/db';
import { DeviceSchema, MailboxSchema } from '../src/domain/model';
import { localAudioFileSource } from '../src/freeswitch/audio-file-source';
import { EslFreeswitchControl } from '../src/freeswitch/event-socket';
import { PhoneApps } from '../src/phone-apps';
import { createApp } from '../src/portal/app';
import { appTokenFor, appTokenHash } from '../src/provisioning/app-token';
import { defaultProfileDir } from '../src/provisioning/profile-dir';
import { phoneAppsListener } from '../src/servers/phone-apps';
import { createServices } from '../src/services';
import { AgentStatusService } from '../src/services/agent-status';
import { LiveSnapshots } from '../src/services/live-snapshots';
import { PhoneAppDevices } from '../src/services/phone-app-devices';
import { VoicemailService } from '../src/services/voicemail';
import { loadProfileCatalog } from '../src/vendors/profile-catalog';
import { FakeEslServer } from '../test/fakes/fake-esl-server';
import { syntheticMessages, vmListBody } from '../test/fakes/vm-list-fixture';
import { insertBigPbx } from './support/big-pbx';
import { describeLoad, runLoadInWorker } from './support/run-load';
import { insertStormPhones, POLYCOM_USER_AGENT, yealinkUserAgent } from './support/storm-devices';

const size = (name: string, fallback: number) => Number(process.env[`BENCH_PHONE_APPS_${name}`] ?? fallback);

export async function run(): Promise<void> {
  const extensions = size('EXTENSIONS', 10_000);
  const messages = size('MESSAGES', 500);
  const total = size('REQUESTS', 20_000);
  const phoneCount = Math.min(extensions, size('PHONES', 200));
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-apps-'));
  const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'bench.sqlite') });
  const esl = await FakeEslServer.start();
  const fs = new EslFreeswitchControl({ host: esl.host, port: esl.port, password: 'ClueCon' });
  const server = createServer();
  try {
    const pbxId = await insertBigPbx(orm, {
      context: 'apps',
      extensions,
      ringGroups: 0,
      attendants: 0,
      numbers: 10,
      didPrefix: '646',
    });
    await insertStormPhones(orm, pbxId, phoneCount);
    // Tokens as the provisioning server leaves them (the hash of HMAC(key, salt)).
    const key = randomBytes(32);
    const em = orm.em.fork();
    const devices = await em.find(DeviceSchema, { pbxId }, { orderBy: { id: 'asc' } });
    const tokens: string[] = [];
    for (const d of devices) {
      const token = appTokenFor(key, d.appTokenSalt);
      tokens.push(token);
      await em.nativeUpdate(DeviceSchema, { id: d.id }, { appTokenHash: appTokenHash(token) });
    }
    const boxes = await em.find(MailboxSchema, { pbxId }, { orderBy: { id: 'asc' }, limit: phoneCount });
    // Every phone's own mailbox holds `messages` messages, in vm_list's real plain format.
    for (const box of boxes)
      esl.setApiReply(`vm_list ${box.number}@apps.bench.test`, {
        body: vmListBody(box.number, 'apps.bench.test', syntheticMessages(messages)),
      });

    const catalog = loadProfileCatalog(defaultProfileDir());
    const live = new LiveSnapshots(orm);
    const apps = new PhoneApps({
      devices: new PhoneAppDevices(orm, live),
      profiles: catalog,
      services: {
        voicemail: new VoicemailService({ snapshots: live, freeswitch: fs, audio: localAudioFileSource() }),
        agents: new AgentStatusService(fs),
      },
      baseUrl: 'http://127.0.0.1/phone-apps',
      // The load generator speaks for many phones at once: the per-phone limit is not what is measured here.
      perToken: { burst: 1e9, perSecond: 1e9 },
    });
    const portal = createApp(createServices(orm), { log: () => {} });
    server.on('request', phoneAppsListener(apps, portal));
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/phone-apps`;
    // One User-Agent per run: the vendor comes from each phone's record (even = VVX 450, odd = T54W) anyway.
    const headers = { 'user-agent': POLYCOM_USER_AGENT };

    // Two-digit prefixes of the last name ("User 01234"): about 100 matches on a 10,000-extension PBX, so page 2
    // exists; every fifth search pages. Three-digit prefixes: about 10 matches, one page.
    const searches = Array.from({ length: 5000 }, (_, i) => {
      const t = tokens[i % tokens.length]!;
      const q = String((i * 7919) % 1000).padStart(3, '0');
      return i % 5 === 0
        ? `/phone-apps/${t}/directory/results/2?q=${q.slice(0, 2)}`
        : `/phone-apps/${t}/directory/results?q=${q.slice(0, 2 + (i % 2))}`;
    });
    const lists = Array.from({ length: 5000 }, (_, i) => {
      const n = i % boxes.length;
      // VVX 450 and T54W both show 10 items a page; two thirds of the synthetic messages are unheard.
      const pages = Math.max(1, Math.ceil((messages * 2) / 3 / 10));
      return `/phone-apps/${tokens[n]}/voicemail/${boxes[n]!.id}/new/${1 + (i % pages)}`;
    });
    console.log(
      `${extensions} extensions, ${phoneCount} phones (${yealinkUserAgent('805ec0000002').split(' ')[1]} and VVX 450), ${messages} messages per mailbox`,
    );
    // Each measured run follows a warm-up of the same requests (not counted): the figures are a warm server's — code
    // optimised, the directory index built, every mailbox's list cached as phones in use keep it (a cold list costs
    // one vm_list and a parse, measured by the test suite, not here).
    const warm = (bodies: string[]) =>
      runLoadInWorker({ url, concurrency: 32, total: Math.min(total, 5000), bodies, method: 'GET', headers });
    await warm(searches);
    const dirRun = await runLoadInWorker({ url, concurrency: 32, total, bodies: searches, method: 'GET', headers });
    console.log(describeLoad('directory search (node:http front)', dirRun));
    await warm(lists);
    const vmRun = await runLoadInWorker({ url, concurrency: 32, total, bodies: lists, method: 'GET', headers });
    console.log(describeLoad(`voicemail list, ${messages}-message mailbox (node:http front)`, vmRun));

    // The same handler behind an Express route, roughly: what mounting the apps inside the portal app would cost.
    const viaExpress = express();
    viaExpress.get('/phone-apps/*rest', (req, res) => {
      const q = req.url.indexOf('?');
      apps
        .answer({
          method: req.method,
          path: req.path.slice('/phone-apps'.length),
          query: q === -1 ? '' : req.url.slice(q + 1),
          userAgent: req.get('user-agent') ?? null,
          clientIp: req.socket.remoteAddress ?? '',
        })
        .then((a) => res.status(a.status).set(a.headers).type(a.contentType).send(a.body));
    });
    server.removeAllListeners('request');
    server.on('request', viaExpress as unknown as RequestListener);
    await warm(searches);
    const exRun = await runLoadInWorker({ url, concurrency: 32, total, bodies: searches, method: 'GET', headers });
    console.log(describeLoad('directory search (inside Express, for comparison)', exRun));
    console.log('target: >= 2,000 req/s with p99 under 50 ms for both, on this 2-core machine');
  } finally {
    server.close();
    await fs.close();
    await esl.close();
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  }
}
