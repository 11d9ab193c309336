// What an upload records beyond its bytes: how long it plays (shown next to greetings and hold-music tracks) and who
// uploaded it. Both null for rows written before (recordings by phone imported earlier).
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

export class Migration0005AudioFileDetails extends Migration {
  override async up(): Promise<void> {
    const pg = this.driver.getPlatform() instanceof PostgreSqlPlatform;
    for (const column of ['duration_ms', 'uploaded_by_id'])
      this.addSql(
        pg
          ? `alter table "audio_file" add column "${column}" int null`
          : `alter table \`audio_file\` add column \`${column}\` integer null`,
      );
  }
}
