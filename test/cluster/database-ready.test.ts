// A cluster worker is forked while the primary still migrates: it loads its code and sets MikroORM up meanwhile, and
// touches the database only once the primary says it is ready (db? / db-ready through the real Hub and ChildLink).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ChildLink } from '../../src/cluster/child';
import { Hub, type Peer } from '../../src/cluster/hub';
import type { Message } from '../../src/cluster/ipc';
import { openDatabase } from '../../src/db';
import { MissLimiter } from '../../src/provisioning/miss-limiter';
import { Metrics } from '../../src/servers/metrics';

const turn = () => new Promise((r) => setImmediate(r));

function linked(hub: Hub, id: number): ChildLink {
  let link: ChildLink;
  const peer: Peer = { id, role: 'http', send: (m: Message) => setImmediate(() => link.receive(m)) };
  hub.add(peer);
  link = new ChildLink({
    send: (m) => setImmediate(() => hub.receive(peer, m)),
    metrics: new Metrics(`worker-${id}`),
    onStop: () => {},
  });
  return link;
}

describe('cluster: the database is opened by workers only once the primary made it ready', () => {
  it('keeps a worker that asks early waiting, and answers one that asks later at once', async () => {
    const hub = new Hub(new MissLimiter({}), new Metrics('primary'));
    let early = false;
    void linked(hub, 1)
      .databaseReady()
      .then(() => {
        early = true;
      });
    for (let i = 0; i < 5; i++) await turn();
    expect(early, 'told before the primary migrated').to.equal(false);
    hub.databaseReady();
    for (let i = 0; i < 5 && !early; i++) await turn();
    expect(early).to.equal(true);
    await linked(hub, 2).databaseReady(); // resolves (mocha's timeout would say otherwise)
  });

  it('sets MikroORM up first and creates or opens the SQLite file only after beforeConnect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-db-ready-'));
    const path = join(dir, 'dialtone.sqlite');
    try {
      // The primary migrates a database first, as in a cluster.
      await (await openDatabase({ url: null, sqlitePath: path })).close();
      rmSync(path);
      let seenWhileWaiting: boolean | null = null;
      const orm = await openDatabase({
        url: null,
        sqlitePath: path,
        migrate: false,
        beforeConnect: async () => {
          seenWhileWaiting = existsSync(path);
        },
      });
      try {
        expect(seenWhileWaiting, 'the file existed before beforeConnect resolved').to.equal(false);
        expect(await orm.em.getConnection().execute('select 1 as one')).to.deep.equal([{ one: 1 }]);
      } finally {
        await orm.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
