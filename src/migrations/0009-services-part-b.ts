// Portal part 2 (Listen Live … SIP Trunks) found these missing underneath: holidays of several days (an end date),
// hold-music groups that play their tracks in order instead of shuffled, a queue's wait while no agent is logged in,
// and room for every mod_callcenter strategy name (sequentially-by-agent-order is 27 characters).
import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

const SQLITE = [
  'alter table `holiday` add column `end_date` text null',
  'alter table `hold_music_group` add column `shuffle` integer not null default true',
  'alter table `call_queue` add column `no_agent_wait_sec` integer not null default 30',
];

const POSTGRESQL = [
  'alter table "holiday" add column "end_date" varchar(10) null',
  'alter table "hold_music_group" add column "shuffle" boolean not null default true',
  'alter table "call_queue" add column "no_agent_wait_sec" int not null default 30',
  'alter table "call_queue" alter column "strategy" type varchar(32) using ("strategy"::varchar(32))',
];

export class Migration0009ServicesPartB extends Migration {
  override async up(): Promise<void> {
    const pg = this.driver.getPlatform() instanceof PostgreSqlPlatform;
    for (const sql of pg ? POSTGRESQL : SQLITE) this.addSql(sql);
    // Queues saved before waited at most 30 s with no agent (or their whole wait, when shorter): kept as they were.
    this.addSql('update call_queue set no_agent_wait_sec = max_wait_sec where max_wait_sec < 30');
  }
}
