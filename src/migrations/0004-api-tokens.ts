// API tokens (issue 11): one row per token, looked up by the SHA-256 of the bearer secret. SQL as MikroORM generates it
// for the ApiToken entity on each engine (test/db checks the result matches the entities).
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

const SQLITE = [
  'create table `api_token` (`id` integer not null primary key autoincrement, `pbx_id` integer not null, `user_id` integer not null, `name` text not null, `hint` text not null, `token_hash` text not null, `created_at` datetime not null, `last_used_at` datetime null, `revoked_at` datetime null)',
  'create index `api_token_pbx_id_index` on `api_token` (`pbx_id`)',
  'create index `api_token_user_id_index` on `api_token` (`user_id`)',
  'create unique index `api_token_token_hash_unique` on `api_token` (`token_hash`)',
];

const POSTGRESQL = [
  'create table "api_token" ("id" serial primary key, "pbx_id" int not null, "user_id" int not null, "name" varchar(50) not null, "hint" varchar(16) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null)',
  'create index "api_token_pbx_id_index" on "api_token" ("pbx_id")',
  'create index "api_token_user_id_index" on "api_token" ("user_id")',
  'alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash")',
];

export class Migration0004ApiTokens extends Migration {
  override async up(): Promise<void> {
    for (const sql of this.driver.getPlatform() instanceof PostgreSqlPlatform ? POSTGRESQL : SQLITE) this.addSql(sql);
  }
}
