// `dialtone cdr import DIR`: the call records FreeSWITCH wrote to disk while Dialtone was unreachable, imported once.
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { takeOptions, UsageError } from './args';
import type { Command } from './commands';

export const CDR_COMMANDS: Command[] = [
  {
    name: 'cdr import',
    usage: 'cdr import DIR [--settle-seconds N] [--json]',
    summary:
      "import FreeSWITCH's call-record files (mod_json_cdr/mod_xml_cdr err-log-dir, rotate subfolders too): each call is stored once, imported files move to DIR/.imported/, files unreadable for longer than --settle-seconds (default 300) to DIR/.failed/",
    async run(p, s, io) {
      const o = takeOptions(p, [], ['settle-seconds'], ['json']);
      if (p.positionals.length !== 1) throw new UsageError('give exactly one folder');
      const settle = o['settle-seconds'];
      if (settle !== undefined && !/^\d{1,6}$/.test(settle)) throw new UsageError('--settle-seconds must be a number');
      const config = loadConfig();
      // Warnings (files set aside, not moved) go to stderr as the server's log lines; stdout keeps the result.
      const log = createLogger('warn', (line) => io.err(line));
      // Loaded here, not at the top: every other command (a `dialtone list`) would pay for the call-record code.
      const { buildCallRecordIntake } = await import('../services/call-record-intake');
      const { importCdrDirectory } = await import('../services/cdr-import');
      const result = await importCdrDirectory(p.positionals[0], {
        ingest: buildCallRecordIntake(s.orm, s.objects, config, log),
        log,
        ...(settle !== undefined && { settleMs: Number(settle) * 1000 }),
      });
      if (o.flags.has('json')) io.out(JSON.stringify(result, null, 2));
      else
        io.out(
          `${result.files} call-record files in ${result.dir}: ${result.stored} calls stored, ${result.ignored} ignored (already stored, other legs or no PBX here), ${result.pending} left for later (still being written?), ${result.failed} unreadable (moved to .failed/)${result.notMoved ? `, ${result.notMoved} imported but not moved` : ''}`,
        );
    },
  },
];
