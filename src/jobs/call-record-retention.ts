// Deletes each PBX's call records older than its retention (PBX setting callRecordRetentionDays), a few thousand rows
// per statement so neither engine holds a long lock while Activity is being read.
import type { MikroORM } from '@mikro-orm/core';
import { PbxSchema } from '../domain/model';
import { sqlFor } from '../services/activity/sql';
import type { JobDefinition } from './runner';

export function callRecordRetentionJob(
  orm: MikroORM,
  now: () => number = Date.now,
  /** Rows per delete statement. */
  batch = 5000,
): JobDefinition {
  return {
    name: 'call-record-retention',
    schedule: '17 3 * * *', // daily, 03:17 UTC
    async run({ signal }) {
      const sql = sqlFor(orm);
      const pbxs = await orm.em.fork().find(PbxSchema, {}, { fields: ['id', 'callRecordRetentionDays'] });
      let deleted = 0;
      for (const pbx of pbxs) {
        const cutoff = sql.time(now() - pbx.callRecordRetentionDays * 86_400_000);
        for (;;) {
          if (signal.aborted) return { pbxs: pbxs.length, deleted, stopped: true };
          const res = (await orm.em
            .getConnection()
            .execute(
              `delete from call_record where id in (select id from call_record where pbx_id = ? and started_at < ? limit ${Math.max(1, Math.floor(batch))})`,
              [pbx.id, cutoff],
              'run',
            )) as { affectedRows?: number };
          const n = Number(res.affectedRows ?? 0);
          deleted += n;
          if (n < batch) break;
        }
      }
      return { pbxs: pbxs.length, deleted };
    },
  };
}
