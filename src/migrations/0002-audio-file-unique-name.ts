// One stored name per PBX: a file name under DATA_DIR/audio/<context>/ and on the FreeSWITCH host names one AudioFile
// (two concurrent imports of the same recording by phone could otherwise both add a row).
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

export class Migration0002AudioFileUniqueName extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      this.driver.getPlatform() instanceof PostgreSqlPlatform
        ? 'create unique index "audio_file_pbx_id_stored_name_unique" on "audio_file" ("pbx_id", "stored_name")'
        : 'create unique index `audio_file_pbx_id_stored_name_unique` on `audio_file` (`pbx_id`, `stored_name`)',
    );
  }
}
