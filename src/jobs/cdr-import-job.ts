// Imports the call records FreeSWITCH left in its err-log-dir (CDR_IMPORT_DIR) every 5 minutes, once each.
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import type { Logger } from '../log';
import { importCdrDirectory } from '../services/cdr-import';
import type { JobDefinition } from './runner';

export function cdrImportJob(
  dir: string,
  ingest: (r: CallRecordInput) => Promise<boolean>,
  log: Logger,
): JobDefinition {
  return {
    name: 'cdr-import',
    schedule: '*/5 * * * *',
    async run() {
      const { files, stored, ignored, pending, failed, notMoved } = await importCdrDirectory(dir, { ingest, log });
      return { files, stored, ignored, pending, failed, notMoved };
    },
  };
}
