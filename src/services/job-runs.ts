// The record of scheduled job runs (job_run): which node ran which slot of which job, when, what it did, how it
// ended. Claiming a slot is an insert-or-ignore on (job, slot): of several nodes, the one whose insert lands runs it.
import { hostname } from 'node:os';
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { type JobRun, JobRunSchema, type JobRunStatus } from '../domain/model';

/** This process, as job_run names it. */
export const THIS_NODE = `${hostname()}:${process.pid}`.slice(0, 100);

export class JobRuns {
  constructor(private readonly orm: MikroORM) {}

  /** Records the start of `job` for `slot`; returns the run's id, or null when another node (or run) has the slot. */
  async claim(job: string, slot: Date, node: string = THIS_NODE, now = new Date()): Promise<number | null> {
    const em = this.orm.em.fork() as SqlEntityManager;
    const res = (await em
      .createQueryBuilder(JobRunSchema)
      .insert({ job, slot, node, startedAt: now, status: 'running' })
      .onConflict(['job', 'slot'])
      .ignore()
      .execute('run')) as { affectedRows?: number; insertId?: number };
    if (!res.affectedRows) return null;
    if (res.insertId) return Number(res.insertId);
    const row = await em.findOne(JobRunSchema, { job, slot }, { fields: ['id'] });
    return row?.id ?? null;
  }

  async finish(
    id: number,
    status: Exclude<JobRunStatus, 'running'>,
    summary: Record<string, unknown> | null,
    error?: string,
  ) {
    await this.orm.em
      .fork()
      .nativeUpdate(
        JobRunSchema,
        { id },
        { status, summary, finishedAt: new Date(), error: error ? error.slice(0, 500) : null },
      );
  }

  /** Runs, newest first. */
  async list(opts: { job?: string; limit?: number } = {}): Promise<JobRun[]> {
    return this.orm.em.fork().find(JobRunSchema, opts.job ? { job: opts.job } : {}, {
      orderBy: { startedAt: 'desc', id: 'desc' },
      limit: opts.limit ?? 50,
    });
  }

  /** Forgets runs that started before `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    return this.orm.em.fork().nativeDelete(JobRunSchema, { startedAt: { $lt: before } });
  }
}
