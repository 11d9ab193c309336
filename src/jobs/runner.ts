// Runs the scheduled jobs (node-cron) and records every run in job_run. In a cluster each slot of each job runs on one
// node only, and a job never runs on two nodes at once:
//   - PostgreSQL: the run holds pg_try_advisory_xact_lock(job) in a transaction of its own for its whole length, so a
//     node whose tick comes while another node still runs the job skips that tick;
//   - any engine: the slot (the scheduled time, the same on every node) is claimed by an insert-or-ignore on
//     (job, slot), so the node that comes second, even after the first finished, finds it taken.
import type { MikroORM } from '@mikro-orm/core';
import cron, { type ScheduledTask } from 'node-cron';
import { isPostgres } from '../db-platform';
import type { Logger } from '../log';
import { JobRuns, THIS_NODE } from '../services/job-runs';

export interface JobContext {
  /** Aborted when the process stops: a long job should stop at the next safe point. */
  signal: AbortSignal;
  log: Logger;
  /** The scheduled time this run is for. */
  slot: Date;
}

export interface JobDefinition {
  /** Short kebab-case name, as `dialtone jobs list` shows it. */
  name: string;
  /** node-cron expression, evaluated in UTC (6 fields = with seconds). */
  schedule: string;
  /** Does the work; returns what it did (counts), recorded with the run. */
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}

export type SlotOutcome = 'ok' | 'failed' | 'taken' | 'busy';

/** Namespace of Dialtone's advisory locks (the first key), so other applications' locks on the database never clash. */
const LOCK_NAMESPACE = 0x4454; // "DT"

function lockKey(job: string): number {
  let h = 0;
  for (const c of job) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

export interface JobRunnerOptions {
  orm: MikroORM;
  jobs: JobDefinition[];
  log: Logger;
  node?: string;
  /** Runs older than this are forgotten (default 90 days). */
  keepRunsDays?: number;
}

export class JobRunner {
  private readonly runs: JobRuns;
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private lastPrune = 0;

  constructor(private readonly opts: JobRunnerOptions) {
    this.runs = new JobRuns(opts.orm);
    for (const job of opts.jobs)
      if (!cron.validate(job.schedule)) throw new Error(`job ${job.name}: "${job.schedule}" is not a cron expression`);
  }

  get jobs(): readonly JobDefinition[] {
    return this.opts.jobs;
  }

  start(): void {
    for (const job of this.opts.jobs) {
      const task = cron.schedule(
        job.schedule,
        (ctx) => {
          const p = this.runSlot(job, ctx.date).catch((err) =>
            this.opts.log('error', 'job: could not run', { job: job.name, err }),
          );
          this.running.add(p);
          p.finally(() => this.running.delete(p));
          return p;
        },
        {
          name: `dialtone-${job.name}`,
          timezone: 'Etc/UTC',
          noOverlap: true,
          unref: true,
          // node-cron's own notices (a tick skipped because this node still runs the job) as our log lines.
          logger: {
            info: (m) => this.opts.log('debug', `job ${job.name}: ${m}`),
            warn: (m) => this.opts.log('warn', `job ${job.name}: ${m}`),
            error: (m, err) => this.opts.log('error', `job ${job.name}: ${String(m)}`, { err }),
            debug: (m) => this.opts.log('debug', `job ${job.name}: ${String(m)}`),
          },
        },
      );
      this.tasks.push(task);
    }
  }

  /** Stops scheduling, tells running jobs to stop, and waits for them (at most `waitMs`). */
  async stop(waitMs = 10_000): Promise<void> {
    for (const t of this.tasks) await t.destroy();
    this.tasks.length = 0;
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => {
        timer = setTimeout(r, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Runs one slot of a job unless another node has it or is running the job; records the run. */
  async runSlot(job: JobDefinition, when: Date): Promise<SlotOutcome> {
    const slot = new Date(Math.floor(when.getTime() / 1000) * 1000);
    const { orm } = this.opts;
    if (!isPostgres(orm.em.getPlatform())) return this.claimAndRun(job, slot);
    return orm.em.fork().transactional(async (em) => {
      const [row] = (await em
        .getConnection()
        .execute(
          'select pg_try_advisory_xact_lock(?, ?) as locked',
          [LOCK_NAMESPACE, lockKey(job.name)],
          'all',
          em.getTransactionContext(),
        )) as Array<{ locked: boolean }>;
      if (!row?.locked) {
        this.opts.log('debug', 'job: running on another node, tick skipped', { job: job.name });
        return 'busy' as const;
      }
      // The lock is held until this transaction ends, i.e. after the run is recorded as finished.
      return this.claimAndRun(job, slot);
    });
  }

  private async claimAndRun(job: JobDefinition, slot: Date): Promise<SlotOutcome> {
    const { log } = this.opts;
    const id = await this.runs.claim(job.name, slot, this.opts.node ?? THIS_NODE);
    if (id === null) return 'taken';
    const started = performance.now();
    try {
      const summary = await job.run({ signal: this.abort.signal, log, slot });
      await this.runs.finish(id, 'ok', summary);
      log('info', 'job finished', { job: job.name, ms: Math.round(performance.now() - started), ...summary });
      return 'ok';
    } catch (err) {
      await this.runs.finish(id, 'failed', null, (err as Error)?.message ?? String(err));
      log('error', 'job failed', { job: job.name, err });
      return 'failed';
    } finally {
      await this.pruneNowAndThen();
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    const before = new Date(Date.now() - (this.opts.keepRunsDays ?? 90) * 86_400_000);
    await this.runs.prune(before).catch((err) => this.opts.log('warn', 'job: pruning old runs failed', { err }));
  }
}
