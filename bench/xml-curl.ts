// xml_curl benchmark: directory (REGISTER auth) lookups against a 10,000-extension PBX, 50 concurrent keep-alive clients.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db';
import { DEFAULT_OPTIONS } from '../src/freeswitch/generator';
import { XmlCurlAnswerer } from '../src/freeswitch/xml-curl-answer';
import { createApp } from '../src/portal/app';
import { freeswitchListener } from '../src/servers/freeswitch-http';
import { createServices } from '../src/services';
import { LiveSnapshots } from '../src/services/live-snapshots';
import { insertBigPbx } from './support/big-pbx';
import { describeLoad, runLoadInWorker } from './support/run-load';

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-curl-'));
  const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'bench.sqlite') });
  const services = createServices(orm);
  await insertBigPbx(orm, {
    context: 'big',
    extensions: 10000,
    ringGroups: 500,
    attendants: 200,
    numbers: 1000,
    didPrefix: '212',
  });
  const listener = freeswitchListener(
    {
      answerer: new XmlCurlAnswerer(new LiveSnapshots(orm), DEFAULT_OPTIONS),
      ingest: async () => false,
      username: 'freeswitch',
      password: 'bench-secret-1',
      allow: ['127.0.0.1', '::1'],
      log: () => {},
    },
    createApp(services, { log: () => {} }),
  );
  const server = createServer(listener).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/freeswitch/xml-curl`;
    // The captured REGISTER lookup, re-addressed to each user of the big PBX.
    const raw = readFileSync('test/fixtures/freeswitch/xml_curl/xml_curl-register-sip_auth-1000.http');
    const body = raw
      .subarray(raw.indexOf('\r\n\r\n') + 4)
      .toString('latin1')
      .replaceAll('acme.pbx.test', 'big.bench.test');
    const bodies = Array.from({ length: 10000 }, (_, i) => {
      const user = String(1000 + ((i * 7919) % 10000)).padStart(5, '0');
      return body
        .replace(/(^|&)user=1000(&|$)/, `$1user=${user}$2`)
        .replace(/sip_auth_username=1000/, `sip_auth_username=${user}`);
    });
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('freeswitch:bench-secret-1').toString('base64')}`,
    };
    const cold = await runLoadInWorker({ url, concurrency: 50, total: 10000, bodies, method: 'POST', headers });
    console.log(describeLoad('directory lookups, every user once (first render)', cold));
    const warm = await runLoadInWorker({ url, concurrency: 50, total: 30000, bodies, method: 'POST', headers });
    console.log(describeLoad('directory lookups, steady state', warm));
    console.log('target: >= 3,000 lookups/s with p99 under 20 ms on this 2-core machine');
  } finally {
    server.close();
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  }
}
