// `dialtone jobs list`: what the scheduled jobs did (every run, on any node), newest first.
import { JobRuns } from '../services/job-runs';
import { takeOptions, UsageError } from './args';
import type { Command } from './commands';

const JOBS = ['cdr-import', 'call-record-retention', 'voicemail-retention'];

export const JOBS_COMMANDS: Command[] = [
  {
    name: 'jobs list',
    usage: 'jobs list [--job NAME] [--limit N] [--json]',
    summary: `the scheduled jobs' runs, newest first: node, slot, start, end, status, what each did or its error (jobs: ${JOBS.join(', ')})`,
    async run(p, s, io) {
      const o = takeOptions(p, [], ['job', 'limit'], ['json']);
      if (p.positionals.length) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
      if (o.job !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(o.job))
        throw new UsageError('--job must be a job name');
      const limit = o.limit === undefined ? 50 : /^\d{1,4}$/.test(o.limit) ? Number(o.limit) : 0;
      if (limit < 1 || limit > 1000) throw new UsageError('--limit must be 1 to 1000');
      const runs = await new JobRuns(s.orm).list({ ...(o.job && { job: o.job }), limit });
      if (o.flags.has('json')) {
        io.out(JSON.stringify(runs, null, 2));
        return;
      }
      if (!runs.length) {
        io.out('(no runs yet)');
        return;
      }
      io.out(['job', 'status', 'started', 'finished', 'node', 'result'].join('\t'));
      for (const r of runs)
        io.out(
          [
            r.job,
            r.status,
            r.startedAt.toISOString(),
            r.finishedAt?.toISOString() ?? '',
            r.node,
            r.error ?? (r.summary ? JSON.stringify(r.summary) : ''),
          ].join('\t'),
        );
    },
  },
];
