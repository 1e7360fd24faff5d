import { Migration } from '@mikro-orm/migrations';

// The rollup version: bumped in the transaction of every refresh that recomputed months
// (src/metrics/rollups/refresh.ts); cached metric answers are keyed by it (src/metrics/cache).
export class Migration20261204060400_metric_rollup_version extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "metric_rollup_version" ("id" int not null default 1, "version" bigint not null default 0, constraint "metric_rollup_version_pkey" primary key ("id"), constraint metric_rollup_version_id_check check ((id = 1)));`);
    this.addSql(`insert into "metric_rollup_version" ("id", "version") values (1, 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "metric_rollup_version" cascade;`);
  }

}
