// Two Dialtone processes on one PostgreSQL: the same call record posted to both at once is stored once, and a job
// scheduled every second on both runs each slot on one node only, never on both at the same time.
import { type ChildProcess, spawn } from 'node:child_process';
import { expect } from 'chai';
import pg from 'pg';
import type { Orm } from '../../src/db';
import { CallRecordSchema, JobRunSchema } from '../../src/domain/model';
import { createServices } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { editedJsonCdr } from '../helpers/cdr-posts';
import { ENGINES } from '../helpers/databases';

const PG = ENGINES.find((e) => e.name === 'postgresql');

function startNode(url: string, name: string, jobMs: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/cluster-node.ts'], {
    env: { ...process.env, DATABASE_URL: url, NODE_NAME: name, JOB_MS: String(jobMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${name} did not start:\n${text}`)), 60000);
    const onData = (b: Buffer) => {
      text += b.toString();
      const m = /ready (\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`node ${name} exited ${code}:\n${text}`)));
  });
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
  await exited;
  clearTimeout(timer);
}

describe('two Dialtone processes on one PostgreSQL', function () {
  this.timeout(120000);
  let orm: Orm;
  let url: string;
  const nodes: ChildProcess[] = [];
  before(async function () {
    if (!process.env.TEST_DATABASE_URL) {
      if (process.env.CI) throw new Error('PostgreSQL is required in CI');
      this.skip();
    }
    orm = await (PG as NonNullable<typeof PG>).open(); // a fresh database, migrated before any node opens it
    url = orm.config.get('clientUrl') as string;
    await orm.em
      .getConnection()
      .execute('create table test_effect (slot bigint not null, node text not null, at bigint not null)');
    await createServices(orm).pbx.create(SYSTEM, {
      context: 'acme',
      name: 'Acme',
      domain: 'acme.pbx.test',
      timezone: 'UTC',
    });
  });
  after(async () => {
    for (const n of nodes) await stopNode(n);
    await orm?.close(true);
  });

  it('store a call record posted to both at once exactly once, and run each job slot on one node, never two at once', async () => {
    // Each run takes 1.2 s while the job is scheduled every second on both nodes.
    const [a, b] = await Promise.all([startNode(url, 'a', 1200), startNode(url, 'b', 1200)]);
    nodes.push(a.child, b.child);

    const auth = `Basic ${Buffer.from('freeswitch:cluster-secret').toString('base64')}`;
    const post = (port: number, body: string) =>
      fetch(`http://127.0.0.1:${port}/freeswitch/cdr`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body,
      }).then((r) => r.text());
    const answers: string[][] = [];
    for (let i = 0; i < 20; i++) {
      const body = editedJsonCdr('cdr-answered-json_cdr-a-leg.http', { start: new Date(Date.UTC(2026, 2, 8, 12, i)) });
      answers.push((await Promise.all([post(a.port, body), post(b.port, body)])).sort());
    }
    expect(
      answers.every((pair) => pair[0] === 'ignored\n' && pair[1] === 'stored\n'),
      JSON.stringify(answers),
    ).to.equal(true);
    expect(await orm.em.fork().count(CallRecordSchema, {})).to.equal(20);

    // Let the job tick for a while on both nodes, then stop them (a run in progress finishes first).
    await new Promise((r) => setTimeout(r, 6500));
    await Promise.all([stopNode(a.child), stopNode(b.child)]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const effects = (await client.query('select slot, node, at from test_effect order by at')).rows.map((r) => ({
      slot: Number(r.slot),
      node: String(r.node),
    }));
    await client.end();
    const runs = await orm.em.fork().find(JobRunSchema, { job: 'cluster-tick' }, { orderBy: { startedAt: 'asc' } });
    expect(runs.length).to.be.at.least(2);
    expect(effects).to.have.length(runs.length);
    expect(new Set(effects.map((e) => e.slot)).size, 'each slot ran once').to.equal(effects.length);
    for (const r of runs) expect(r.status).to.equal('ok');
    for (let i = 1; i < runs.length; i++)
      expect(
        runs[i].startedAt.getTime(),
        `run ${i} (${runs[i].node}) started before run ${i - 1} (${runs[i - 1].node}) finished`,
      ).to.be.at.least((runs[i - 1].finishedAt as Date).getTime());
  });
});
