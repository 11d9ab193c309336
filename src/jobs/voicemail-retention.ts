// Deletes voicemail messages older than each mailbox's retention (1-180 days, the manual's "Delete Voicemail"
// setting). The deletion itself belongs to the voicemail service (FreeSWITCH's messages, over the event socket or
// the files), injected as purgeOlderThan; one mailbox failing does not stop the others, but fails the run.
import type { MikroORM } from '@mikro-orm/core';
import { MailboxSchema, PbxSchema } from '../domain/model';
import type { JobDefinition } from './runner';

export interface RetentionMailbox {
  pbxId: number;
  /** PBX context and SIP domain: where FreeSWITCH keeps the box (voicemail `default <domain> <id>`). */
  context: string;
  domain: string;
  mailboxId: number;
  number: string;
}

export interface VoicemailRetentionDeps {
  orm: MikroORM;
  /** Deletes the box's messages (every folder) older than `days` days; returns how many it deleted. */
  purgeOlderThan(mailbox: RetentionMailbox, days: number): Promise<number>;
}

export function voicemailRetentionJob(deps: VoicemailRetentionDeps): JobDefinition {
  return {
    name: 'voicemail-retention',
    schedule: '37 3 * * *', // daily, 03:37 UTC
    async run({ signal, log }) {
      const em = deps.orm.em.fork();
      const pbxs = new Map(
        (await em.find(PbxSchema, {}, { fields: ['id', 'context', 'domain'] })).map((p) => [p.id, p]),
      );
      const boxes = await em.find(
        MailboxSchema,
        {},
        { fields: ['id', 'pbxId', 'number', 'retentionDays'], orderBy: { id: 'asc' } },
      );
      let deleted = 0;
      const failures: string[] = [];
      for (const box of boxes) {
        if (signal.aborted) break;
        const pbx = pbxs.get(box.pbxId);
        if (!pbx) continue;
        const days = Math.min(180, Math.max(1, box.retentionDays));
        try {
          deleted += await deps.purgeOlderThan(
            { pbxId: pbx.id, context: pbx.context, domain: pbx.domain, mailboxId: box.id, number: box.number },
            days,
          );
        } catch (err) {
          failures.push(`${pbx.context}/${box.number}: ${(err as Error)?.message ?? err}`);
          log('warn', 'voicemail retention: mailbox not purged', { pbx: pbx.context, mailbox: box.number, err });
        }
      }
      if (failures.length)
        throw new Error(
          `${failures.length} of ${boxes.length} mailboxes not purged (${deleted} messages deleted); first: ${failures[0]}`,
        );
      return { mailboxes: boxes.length, deleted, ...(signal.aborted && { stopped: true }) };
    },
  };
}
