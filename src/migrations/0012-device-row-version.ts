// Issue 16: device.row_version, moved by the database itself whenever a column a phone's answer depends on changes
// (everything but last-seen), whatever wrote it (the ORM, a native UPDATE, the CLI, another process). A provisioning
// process keeps the device rows it read and re-reads only (id, row_version) of a known MAC per request: the same
// freshness as reading the whole row, at a fraction of its cost in a boot storm.
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/** The columns whose change moves row_version: all but id, row_version and the last-seen bookkeeping. */
export const VERSIONED_DEVICE_COLUMNS = [
  'pbx_id',
  'mac',
  'profile_id',
  'label',
  'extension_ids',
  'line_keys',
  'provisioning_username',
  'provisioning_ha1',
  'armed_until',
  'app_token_salt',
  'app_token_hash',
] as const;

const COLUMNS = VERSIONED_DEVICE_COLUMNS.join(', ');

// SQLite: an AFTER trigger's own UPDATE names only row_version, so it does not fire itself again; sqlite3_changes()
// (affected rows, as consumeWindow reads them) counts the outer statement only.
const SQLITE = [
  'alter table `device` add column `row_version` integer not null default 0',
  `create trigger \`device_row_version\` after update of ${COLUMNS} on \`device\` for each row begin update \`device\` set \`row_version\` = old.\`row_version\` + 1 where \`id\` = old.\`id\`; end`,
];

const POSTGRESQL = [
  'alter table "device" add column "row_version" int not null default 0',
  `create function "device_row_version"() returns trigger language plpgsql as $$ begin new."row_version" := old."row_version" + 1; return new; end $$`,
  `create trigger "device_row_version" before update of ${COLUMNS} on "device" for each row execute function "device_row_version"()`,
];

export class Migration0012DeviceRowVersion extends Migration {
  override async up(): Promise<void> {
    for (const sql of this.driver.getPlatform() instanceof PostgreSqlPlatform ? POSTGRESQL : SQLITE) this.addSql(sql);
  }
}
