// The jobs this process schedules, from the configuration.
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from '../config';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import type { Logger } from '../log';
import { callRecordRetentionJob } from './call-record-retention';
import { cdrImportJob } from './cdr-import-job';
import type { JobDefinition } from './runner';

export interface JobDeps {
  orm: MikroORM;
  config: Config;
  ingest(record: CallRecordInput): Promise<boolean>;
  log: Logger;
}

/**
 * call-record-retention always; cdr-import when CDR_IMPORT_DIR is set. voicemail-retention (voicemail-retention.ts)
 * joins once the voicemail service exists to do the deleting: `voicemailRetentionJob({ orm, purgeOlderThan })`.
 */
export function buildJobs(deps: JobDeps): JobDefinition[] {
  const jobs = [callRecordRetentionJob(deps.orm)];
  if (deps.config.cdr.importDir) jobs.push(cdrImportJob(deps.config.cdr.importDir, deps.ingest, deps.log));
  return jobs;
}
