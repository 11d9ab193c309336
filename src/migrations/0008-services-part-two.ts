// Issue 13 (portal part 2): who agreed to an E911 location's terms (when was already stored), the hold-music group a
// conference room plays while one participant waits, and the number a conference hub can be dialled at.
// All nullable: rows stored before keep their behaviour (terms agreed by an unknown user, the PBX's outbound hold
// music, a hub reached only through routing).
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

const COLUMNS: Array<[table: string, column: string, pg: string, sqlite: string]> = [
  ['e911_location', 'terms_accepted_by_id', 'int', 'integer'],
  ['e911_location', 'terms_accepted_by', 'varchar(255)', 'text'],
  ['conference_room', 'hold_music_group_id', 'int', 'integer'],
  ['conference_hub', 'number', 'varchar(6)', 'text'],
];

export class Migration0008ServicesPartTwo extends Migration {
  override async up(): Promise<void> {
    const pg = this.driver.getPlatform() instanceof PostgreSqlPlatform;
    for (const [table, column, pgType, sqliteType] of COLUMNS)
      this.addSql(
        pg
          ? `alter table "${table}" add column "${column}" ${pgType} null`
          : `alter table \`${table}\` add column \`${column}\` ${sqliteType} null`,
      );
  }
}
