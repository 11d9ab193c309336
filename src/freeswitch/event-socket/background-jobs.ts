// bgapi jobs waiting for their BACKGROUND_JOB event, keyed by the Job-UUID we chose.

import { EslTimeoutError } from './errors';

interface PendingJob {
  resolve(body: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class BackgroundJobs {
  private readonly jobs = new Map<string, PendingJob>();

  /** Registers the job before its command is sent; rejects with EslTimeoutError if its event never comes. */
  wait(jobUuid: string, command: string, timeoutMs: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.jobs.delete(jobUuid);
        reject(new EslTimeoutError(`no BACKGROUND_JOB for \`${command}\` within ${timeoutMs} ms`, command, timeoutMs));
      }, timeoutMs);
      this.jobs.set(jobUuid, { resolve, reject, timer });
    });
  }

  /** Resolves (body) or rejects (Error) one job; unknown uuids (other clients' jobs) are ignored. */
  settle(jobUuid: string, outcome: string | Error): void {
    const job = this.jobs.get(jobUuid);
    if (!job) return;
    this.jobs.delete(jobUuid);
    clearTimeout(job.timer);
    if (typeof outcome === 'string') job.resolve(outcome);
    else job.reject(outcome);
  }

  failAll(error: Error): void {
    for (const jobUuid of [...this.jobs.keys()]) this.settle(jobUuid, error);
  }
}
