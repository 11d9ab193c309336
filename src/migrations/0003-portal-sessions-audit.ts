// Portal accounts: login sessions stored hashed (a restart keeps them), the audit log, and disabling a user.
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

const SQLITE = [
  'create table `audit_entry` (`id` integer not null primary key autoincrement, `pbx_id` integer not null, `at` datetime not null, `user_id` integer null, `actor_label` text not null, `action` text not null, `kind` text not null, `object_id` integer null, `object_label` text not null, `changes` json not null)',
  'create index `audit_entry_pbx_id_index` on `audit_entry` (`pbx_id`)',
  'create index `audit_entry_at_index` on `audit_entry` (`at`)',
  'create table `portal_session` (`token_hash` text not null, `user_id` integer not null, `csrf_token` text not null, `remember` integer not null, `created_at` datetime not null, `last_seen_at` datetime not null, `expires_at` datetime not null, primary key (`token_hash`))',
  'create index `portal_session_user_id_index` on `portal_session` (`user_id`)',
  'create index `portal_session_expires_at_index` on `portal_session` (`expires_at`)',
  'alter table `portal_user` add column `disabled_at` datetime null',
];

const POSTGRESQL = [
  'create table "audit_entry" ("id" serial primary key, "pbx_id" int not null, "at" timestamptz not null, "user_id" int null, "actor_label" varchar(254) not null, "action" varchar(16) not null, "kind" varchar(32) not null, "object_id" int null, "object_label" varchar(120) not null, "changes" jsonb not null)',
  'create index "audit_entry_pbx_id_index" on "audit_entry" ("pbx_id")',
  'create index "audit_entry_at_index" on "audit_entry" ("at")',
  'create table "portal_session" ("token_hash" varchar(64) not null, "user_id" int not null, "csrf_token" varchar(64) not null, "remember" boolean not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, constraint "portal_session_pkey" primary key ("token_hash"))',
  'create index "portal_session_user_id_index" on "portal_session" ("user_id")',
  'create index "portal_session_expires_at_index" on "portal_session" ("expires_at")',
  'alter table "portal_user" add column "disabled_at" timestamptz null',
];

export class Migration0003PortalSessionsAudit extends Migration {
  override async up(): Promise<void> {
    for (const sql of this.driver.getPlatform() instanceof PostgreSqlPlatform ? POSTGRESQL : SQLITE) this.addSql(sql);
  }
}
