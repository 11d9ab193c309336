// One stored name per PBX: a file name under DATA_DIR/audio/<context>/ and on the FreeSWITCH host names one AudioFile
// (two concurrent imports of the same recording by phone could otherwise both add a row). Rows an earlier build could
// have doubled that way (only a build of one day, 0f48dac) are dropped but the first, so the constraint can be added;
// a greeting that pointed at a dropped twin reads as none (the generator plays the default for a missing file).
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

export class Migration0002AudioFileUniqueName extends Migration {
  override async up(): Promise<void> {
    this.addSql('delete from audio_file where id not in (select min(id) from audio_file group by pbx_id, stored_name)');
    this.addSql(
      this.driver.getPlatform() instanceof PostgreSqlPlatform
        ? 'alter table "audio_file" add constraint "audio_file_pbx_id_stored_name_unique" unique ("pbx_id", "stored_name")'
        : 'create unique index `audio_file_pbx_id_stored_name_unique` on `audio_file` (`pbx_id`, `stored_name`)',
    );
  }
}
