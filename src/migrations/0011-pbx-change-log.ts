// Issue 16: the change log behind pbx.revision (see src/domain/model/pbx-change.ts), so xml_curl and provisioning
// re-read only what changed after a PBX change.
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

const SQLITE = [
  'create table `pbx_change` (`id` integer not null primary key autoincrement, `pbx_id` integer not null, `revision` integer not null, `entity` text not null, `row_id` integer not null)',
  'create index `pbx_change_pbx_id_revision_index` on `pbx_change` (`pbx_id`, `revision`)',
];

const POSTGRESQL = [
  'create table "pbx_change" ("id" serial primary key, "pbx_id" int not null, "revision" int not null, "entity" varchar(32) not null, "row_id" int not null)',
  'create index "pbx_change_pbx_id_revision_index" on "pbx_change" ("pbx_id", "revision")',
];

export class Migration0011PbxChangeLog extends Migration {
  override async up(): Promise<void> {
    for (const sql of this.driver.getPlatform() instanceof PostgreSqlPlatform ? POSTGRESQL : SQLITE) this.addSql(sql);
  }
}
