// The job runner on both engines, in one process: each run recorded (start, end, what it did or its error), a slot
// runs once, and on PostgreSQL a job another runner is still running is skipped (advisory lock). `dialtone jobs list`.
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { JobRunSchema } from '../../src/domain/model';
import { type JobDefinition, JobRunner } from '../../src/jobs/runner';
import { JobRuns } from '../../src/services/job-runs';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

const quiet = () => {};

forEachEngine('job runner', (engine) => {
  let w: TestWorld;
  before(async () => {
    w = await openWorld(engine);
  });
  after(() => w?.close());

  const job = (name: string, run: JobDefinition['run']): JobDefinition => ({ name, schedule: '0 0 * * *', run });

  it('records a run with what it did, and a failing run with its error', async () => {
    const runner = new JobRunner({ orm: w.orm, log: quiet, node: 'node-a', jobs: [] });
    const ok = job('tidy', async () => ({ deleted: 3 }));
    const bad = job('broken', async () => {
      throw new Error('disk full');
    });
    expect(await runner.runSlot(ok, new Date('2026-03-08T03:17:00.400Z'))).to.equal('ok');
    expect(await runner.runSlot(bad, new Date('2026-03-08T03:17:00Z'))).to.equal('failed');
    const [failed, done] = await new JobRuns(w.orm).list({ limit: 2 });
    expect(done).to.deep.include({ job: 'tidy', node: 'node-a', status: 'ok', summary: { deleted: 3 }, error: null });
    expect(done.slot.toISOString()).to.equal('2026-03-08T03:17:00.000Z');
    expect(done.finishedAt?.getTime()).to.be.at.least(done.startedAt.getTime());
    expect(failed).to.deep.include({ job: 'broken', status: 'failed', summary: null, error: 'disk full' });
  });

  it('runs a slot once: a second node (or a second tick) finds it taken', async () => {
    let runs = 0;
    const once = job('once', async () => ({ run: ++runs }));
    const a = new JobRunner({ orm: w.orm, log: quiet, node: 'node-a', jobs: [] });
    const b = new JobRunner({ orm: w.orm, log: quiet, node: 'node-b', jobs: [] });
    const slot = new Date('2026-03-08T03:20:00Z');
    const outcomes = await Promise.all([a.runSlot(once, slot), b.runSlot(once, slot)]);
    expect(outcomes.filter((o) => o === 'ok')).to.have.length(1);
    expect(runs).to.equal(1);
    expect(await b.runSlot(once, slot)).to.equal('taken');
    expect(await w.orm.em.fork().count(JobRunSchema, { job: 'once' })).to.equal(1);
  });

  it('on PostgreSQL, skips a job another node is still running, even for another slot', async function () {
    if (engine.name !== 'postgresql') this.skip();
    let release: (() => void) | null = null;
    let released = false;
    const slow = job('slow', () =>
      released ? Promise.resolve({ done: true }) : new Promise((r) => (release = () => r({ done: true }))),
    );
    const a = new JobRunner({ orm: w.orm, log: quiet, node: 'node-a', jobs: [] });
    const b = new JobRunner({ orm: w.orm, log: quiet, node: 'node-b', jobs: [] });
    const first = a.runSlot(slow, new Date('2026-03-08T04:00:00Z'));
    for (let i = 0; i < 250 && !release; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await b.runSlot(slow, new Date('2026-03-08T04:01:00Z'))).to.equal('busy');
    released = true;
    (release as unknown as () => void)();
    expect(await first).to.equal('ok');
    expect(await b.runSlot(slow, new Date('2026-03-08T04:02:00Z'))).to.equal('ok');
  });

  it('is `dialtone jobs list [--job NAME] [--json]`', async () => {
    const out: string[] = [];
    const cli = (...argv: string[]) => {
      out.length = 0;
      return runCli(argv, { out: (t) => out.push(t), err: () => {} }, async () => w.services);
    };
    expect(await cli('jobs', 'list', '--job', 'tidy', '--json')).to.equal(0);
    const [run] = JSON.parse(out.join('\n'));
    expect(run).to.include({ job: 'tidy', status: 'ok', node: 'node-a' });
    expect(run.summary).to.deep.equal({ deleted: 3 });
    expect(await cli('jobs', 'list')).to.equal(0);
    expect(out[0]).to.equal('job\tstatus\tstarted\tfinished\tnode\tresult');
    expect(out.some((l) => l.startsWith('broken\tfailed\t') && l.endsWith('\tdisk full'))).to.equal(true);
    expect(await cli('jobs', 'list', '--limit', 'many')).to.equal(2);
  });

  it('refuses a schedule node-cron cannot read', () => {
    expect(
      () =>
        new JobRunner({ orm: w.orm, log: quiet, jobs: [{ name: 'x', schedule: 'every day', run: async () => ({}) }] }),
    ).to.throw(/not a cron expression/);
  });
});
