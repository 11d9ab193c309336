// Voicemail notifications (issue 14): a mailbox may have its messages deleted once they were mailed, with the WAV,
// to its Email to Notify address. Off for every mailbox that existed before.
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

export class Migration0010MailboxDeleteAfterEmail extends Migration {
  override async up(): Promise<void> {
    const pg = this.driver.getPlatform() instanceof PostgreSqlPlatform;
    this.addSql(
      pg
        ? 'alter table "mailbox" add column "delete_after_email" boolean not null default false'
        : 'alter table `mailbox` add column `delete_after_email` integer not null default false',
    );
  }
}
