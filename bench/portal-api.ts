// Portal and API latency on a 10,000-extension PBX under 20 concurrent logged-in users (issue 11 item 10): the API's
// extension list (a bearer token per user), then the portal's extension list and edit pages (a session cookie per user);
// first with the app inside this process, then served as `npm start` serves it (the cluster, compiled JS).
// Sizes for a quick check: DIALTONE_BENCH_PORTAL_EXTENSIONS=50 DIALTONE_BENCH_PORTAL_REQUESTS=100 npm run bench portal-api
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db';
import { ExtensionSchema } from '../src/domain/model';
import { createApp } from '../src/portal/app';
import { createServices } from '../src/services';
import { SYSTEM } from '../src/services/actor';
import { PortalClient } from '../test/helpers/portal';
import { freePort } from './support/anchors';
import { insertBigPbx } from './support/big-pbx';
import { ensureDist, startDialtone } from './support/dialtone-server';
import { measurePages } from './support/page-latency';

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export async function run(): Promise<void> {
  const extensions = size('DIALTONE_BENCH_PORTAL_EXTENSIONS', 10000);
  const requests = size('DIALTONE_BENCH_PORTAL_REQUESTS', 4000);
  const users = 20;
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-portal-'));
  // Named as DATA_DIR/dialtone.sqlite: `npm start` serves the same file in the second half.
  const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'dialtone.sqlite') });
  const services = createServices(orm);
  const pbxId = await insertBigPbx(orm, {
    context: 'big',
    extensions,
    ringGroups: Math.min(500, extensions / 20),
    attendants: Math.min(200, extensions / 50),
    numbers: Math.min(1000, extensions / 10),
    didPrefix: '212',
  });
  // One administrator per simulated user, each with a token of their own (as 20 scripts or people would have).
  const tokens: string[] = [];
  for (let i = 0; i < users; i++) {
    const user = await services.users.create(SYSTEM, pbxId, {
      username: `bench${i}@big.test`,
      password: 'bench password 1',
      type: 'admin',
    });
    tokens.push((await services.apiTokens.create(SYSTEM, pbxId, user.id, { name: `bench ${i}` })).secret);
  }
  // The sessions and the ids first (the same for both servers below).
  const ids = (await orm.em.fork().find(ExtensionSchema, { pbxId }, { fields: ['id'], orderBy: { id: 'asc' } })).map(
    (e) => e.id,
  );
  console.log(`PBX "big": ${ids.length} extensions; ${users} concurrent users, ${requests} requests per page set`);
  // 1. The app in this one process (what a profile of one worker shows).
  const server = createServer(createApp(services, { log: (msg, err) => console.error(msg, err) })).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((r) => server.once('listening', r));
  try {
    console.log('-- one process (the portal app inside the bench):');
    await measure(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, ids, tokens, users, requests);
  } finally {
    server.close();
    await orm.close(true);
  }
  // 2. As `npm start` serves it: compiled dist/, WORKERS HTTP workers (default: one per core) on the same database.
  await ensureDist();
  const dialtone = await startDialtone({ DATA_DIR: dir, TFTP_PORT: String(await freePort('udp')) });
  try {
    console.log(`-- as npm start runs it (WORKERS=${process.env.WORKERS ?? 'one per core'}, dist/):`);
    await measure(`http://127.0.0.1:${dialtone.port}`, ids, tokens, users, requests);
    console.log('target: p95 under 150 ms');
  } finally {
    await dialtone.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The API list, the portal list and the edit page, each under `users` concurrent logged-in users. */
async function measure(baseUrl: string, ids: number[], tokens: string[], users: number, requests: number) {
  // The first page (what a script reads first) and pages spread over the whole list (the cursor is the last id).
  const list = '/api/v1/pbxs/big/extensions';
  const cursors = Array.from({ length: 50 }, (_, i) => ids[Math.floor((i * ids.length) / 50)]);
  const paths = [list, ...cursors.map((c) => `${list}?cursor=${c}`)];
  await measurePages({
    baseUrl,
    users,
    requests,
    authenticate: async (i) => ({ authorization: `Bearer ${tokens[i]}` }),
    pages: [{ label: `GET ${list} (100 per page, first and spread cursors)`, paths }],
  });
  // The portal: each user logged in once (a session cookie of their own), then list pages spread over the whole
  // list (50 per page) and edit pages of extensions spread over it.
  const listPages = Math.max(1, Math.ceil(ids.length / 50));
  await measurePages({
    baseUrl,
    users,
    requests,
    authenticate: async (i) => {
      const c = new PortalClient(baseUrl);
      if ((await c.login(`bench${i}@big.test`, 'bench password 1')).status !== 303) throw new Error('login failed');
      return { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    },
    pages: [
      {
        label: 'GET /services/extensions (portal list, 50 per page, spread pages)',
        paths: Array.from(
          { length: 50 },
          (_, i) => `/services/extensions?page=${1 + Math.floor((i * listPages) / 50)}`,
        ),
      },
      {
        label: 'GET /services/extensions/:id (portal edit page)',
        paths: cursors.filter((id) => id !== undefined).map((id) => `/services/extensions/${id}`),
      },
    ],
  });
}
