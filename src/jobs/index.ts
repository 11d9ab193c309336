// The jobs this process schedules, from the configuration.
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from '../config';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import type { Logger } from '../log';
import { SYSTEM } from '../services/actor';
import type { VoicemailService } from '../services/voicemail';
import { callRecordRetentionJob } from './call-record-retention';
import { cdrImportJob } from './cdr-import-job';
import type { JobDefinition } from './runner';
import { voicemailRetentionJob } from './voicemail-retention';

export interface JobDeps {
  orm: MikroORM;
  config: Config;
  ingest(record: CallRecordInput): Promise<boolean>;
  log: Logger;
  /** FreeSWITCH's voicemail: with it, voicemail-retention purges each mailbox by its own setting. */
  voicemail?: VoicemailService;
}

/** call-record-retention always; voicemail-retention with the voicemail service; cdr-import when CDR_IMPORT_DIR is set. */
export function buildJobs(deps: JobDeps): JobDefinition[] {
  const jobs = [callRecordRetentionJob(deps.orm)];
  const vm = deps.voicemail;
  if (vm)
    jobs.push(
      voicemailRetentionJob({
        orm: deps.orm,
        purgeOlderThan: (box, days) => vm.purgeOlderThan(SYSTEM, box.pbxId, box.mailboxId, days),
      }),
    );
  if (deps.config.cdr.importDir) jobs.push(cdrImportJob(deps.config.cdr.importDir, deps.ingest, deps.log));
  return jobs;
}
