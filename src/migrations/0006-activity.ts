// Activity (issue 14): call records carry what the Activity, Activity Graph and Path Usage pages show and search by,
// with one ordered index per filter (keyset pages on (started_at, id)); job_run records each scheduled job's runs
// (one row per job and slot: the slot's unique key is how one node of a cluster wins it); PBXs get a call-record
// retention. Rows stored before this get their disposition and outside number derived from what they already hold.
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

const SQLITE = [
  'create table `job_run` (`id` integer not null primary key autoincrement, `job` text not null, `slot` datetime not null, `node` text not null, `started_at` datetime not null, `finished_at` datetime null, `status` text not null, `summary` json null, `error` text null)',
  'create index `job_run_started_at_index` on `job_run` (`started_at`)',
  'create unique index `job_run_job_slot_unique` on `job_run` (`job`, `slot`)',
  'drop index `call_record_started_at_index`',
  'drop index `call_record_pbx_id_index`',
  'alter table `call_record` add column `callee_extension` text null',
  'alter table `call_record` add column `callee_number` text null',
  'alter table `call_record` add column `callee_name` text null',
  'alter table `call_record` add column `remote_number` text null',
  "alter table `call_record` add column `disposition` text not null default 'failed'",
  'alter table `call_record` add column `route` text null',
  'create index `call_record_pbx_id_started_at_id_direction_ended_at_index` on `call_record` (`pbx_id`, `started_at`, `id`, `direction`, `ended_at`)',
  'create index `call_record_pbx_id_extension_number_started_at_id_index` on `call_record` (`pbx_id`, `extension_number`, `started_at`, `id`)',
  'create index `call_record_pbx_id_callee_extension_started_at_id_index` on `call_record` (`pbx_id`, `callee_extension`, `started_at`, `id`)',
  'create index `call_record_pbx_id_phone_number_started_at_id_index` on `call_record` (`pbx_id`, `phone_number`, `started_at`, `id`)',
  'create index `call_record_pbx_id_remote_number_started_at_id_index` on `call_record` (`pbx_id`, `remote_number`, `started_at`, `id`)',
  'create index `call_record_pbx_id_duration_sec_index` on `call_record` (`pbx_id`, `duration_sec`)',
  'alter table `pbx` add column `call_record_retention_days` integer not null default 365',
];

const POSTGRESQL = [
  'create table "job_run" ("id" serial primary key, "job" varchar(40) not null, "slot" timestamptz not null, "node" varchar(100) not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "status" varchar(10) not null, "summary" jsonb null, "error" varchar(500) null)',
  'create index "job_run_started_at_index" on "job_run" ("started_at")',
  'alter table "job_run" add constraint "job_run_job_slot_unique" unique ("job", "slot")',
  'drop index "call_record_pbx_id_index"',
  'drop index "call_record_started_at_index"',
  'alter table "call_record" add column "callee_extension" varchar(6) null, add column "callee_number" varchar(32) null, add column "callee_name" varchar(64) null, add column "remote_number" varchar(15) null, add column "disposition" varchar(10) not null default \'failed\', add column "route" varchar(64) null',
  'create index "call_record_pbx_id_started_at_id_direction_ended_at_index" on "call_record" ("pbx_id", "started_at", "id", "direction", "ended_at")',
  'create index "call_record_pbx_id_extension_number_started_at_id_index" on "call_record" ("pbx_id", "extension_number", "started_at", "id")',
  'create index "call_record_pbx_id_callee_extension_started_at_id_index" on "call_record" ("pbx_id", "callee_extension", "started_at", "id")',
  'create index "call_record_pbx_id_phone_number_started_at_id_index" on "call_record" ("pbx_id", "phone_number", "started_at", "id")',
  'create index "call_record_pbx_id_remote_number_started_at_id_index" on "call_record" ("pbx_id", "remote_number", "started_at", "id")',
  'create index "call_record_pbx_id_duration_sec_index" on "call_record" ("pbx_id", "duration_sec")',
  'alter table "pbx" add column "call_record_retention_days" int not null default 365',
];

/** The same rules as the intake (services/call-records.ts), in SQL both engines read. */
function backfill(allDigits: (col: string) => string): string[] {
  const nanp = (col: string) =>
    `case when length(${col}) = 11 and substr(${col}, 1, 1) = '1' then substr(${col}, 2) else ${col} end`;
  /** services/activity/numbers.ts: 011 + international drops the 011, 1 + 10 digits drops the 1. */
  const dialed = (col: string) =>
    `case when length(${col}) > 10 and substr(${col}, 1, 3) = '011' then substr(${col}, 4) else ${nanp(col)} end`;
  // What stays after dialed() fits remote_number (15): 3-15 digits, or 011 and up to 15 more.
  const fits = (col: string) =>
    `(length(${col}) between 3 and 15 or (substr(${col}, 1, 3) = '011' and length(${col}) between 6 and 18))`;
  return [
    `update call_record set disposition = case when answered_at is not null then 'answered' when hangup_cause = 'USER_BUSY' then 'busy' when hangup_cause in ('NO_ANSWER', 'NO_USER_RESPONSE', 'ORIGINATOR_CANCEL', 'ALLOTTED_TIMEOUT') then 'no_answer' else 'failed' end`,
    `update call_record set remote_number = ${dialed('caller_number')} where direction = 'inbound' and ${fits('caller_number')} and ${allDigits('caller_number')}`,
    `update call_record set remote_number = ${dialed('destination')} where direction = 'outbound' and ${fits('destination')} and ${allDigits('destination')}`,
    `update call_record set phone_number = ${nanp('phone_number')} where phone_number is not null`,
  ];
}

export class Migration0006Activity extends Migration {
  override async up(): Promise<void> {
    const pg = this.driver.getPlatform() instanceof PostgreSqlPlatform;
    for (const sql of pg ? POSTGRESQL : SQLITE) this.addSql(sql);
    const allDigits = pg ? (c: string) => `${c} ~ '^[0-9]+$'` : (c: string) => `${c} not glob '*[^0-9]*'`;
    for (const sql of backfill(allDigits)) this.addSql(sql);
  }
}
