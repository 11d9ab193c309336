// xml_curl benchmark: directory (REGISTER auth) lookups against a 10,000-extension PBX, 50 concurrent keep-alive clients;
// the table's row: the first lookups after a PBX change (the answers memoised for the old revision no longer apply),
// made while lookups keep coming on open keep-alive connections; the first lookups that started after it committed.
// BENCH_TINY=1: 500 extensions.
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
import { SYSTEM } from '../src/services/actor';
import { LiveSnapshots } from '../src/services/live-snapshots';
import { insertBigPbx } from './support/big-pbx';
import { fmt, reportRow, TINY } from './support/report';
import { describeLoad, runLoadInWorker } from './support/run-load';

const USERS = TINY ? 500 : 10_000;
/** Lookups measured after each change: every user re-registering would be 10,000; the first 2,000 are the figure. */
const AFTER_CHANGE = TINY ? 200 : 2000;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-curl-'));
  const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'bench.sqlite') });
  const services = createServices(orm);
  const pbxId = await insertBigPbx(orm, {
    context: 'big',
    extensions: USERS,
    ringGroups: USERS / 20,
    attendants: USERS / 50,
    numbers: USERS / 10,
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
    const width = String(USERS + 1000).length;
    const bodies = Array.from({ length: USERS }, (_, i) => {
      const user = String(1000 + ((i * 7919) % USERS)).padStart(width, '0');
      return body
        .replace(/(^|&)user=1000(&|$)/, `$1user=${user}$2`)
        .replace(/sip_auth_username=1000/, `sip_auth_username=${user}`);
    });
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('freeswitch:bench-secret-1').toString('base64')}`,
    };
    const load = (total: number, from = 0, change?: () => Promise<void>) =>
      runLoadInWorker(
        {
          url,
          concurrency: 50,
          total,
          bodies: [...bodies.slice(from), ...bodies.slice(0, from)],
          method: 'POST',
          headers,
          // FreeSWITCH keeps asking while the change is made: the lookups that started after it committed count.
          before: change ? 500 : undefined,
        },
        change,
      );
    const cold = await load(USERS);
    console.log(describeLoad('directory lookups, every user once (first render)', cold));
    const warm = await load(USERS * 3);
    console.log(describeLoad('directory lookups, steady state', warm));
    // Changes as the portal makes them (each bumps the PBX's revision), then the next lookups; a few rounds, the worst.
    const after = [];
    for (let round = 0; round < 3; round++) {
      const change = async () => {
        await services.objects.create(SYSTEM, pbxId, 'numbers', {
          number: `21299900${String(round).padStart(2, '0')}`,
          routeTo: { kind: 'hangup' },
        });
      };
      const r = await load(AFTER_CHANGE, round * AFTER_CHANGE, change);
      console.log(
        describeLoad(`directory lookups, the first ${AFTER_CHANGE} after a PBX change (round ${round + 1})`, r),
      );
      after.push(r);
    }
    const worst = after.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    reportRow({
      order: 6,
      measure: `xml_curl first ${AFTER_CHANGE} lookups after a change, p99 (${USERS} extensions, 50 clients)`,
      dialtone: `${fmt.ms(worst.p99)} (steady state ${fmt.ms(warm.p99)})`,
      anchor: '—',
      ratio: null,
      target: '< 20 ms',
      verdict: worst.p99 < 20 && worst.errors === 0 ? 'meets' : 'misses',
    });
  } finally {
    server.close();
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  }
}
