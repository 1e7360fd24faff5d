import { Migration } from '@mikro-orm/migrations';

// Rollup refreshes claim the stale months in a short transaction (src/metrics/rollups/refresh.ts)
// instead of holding them locked for the whole recompute, during which every order write of
// those months waited on the marker row (seconds on a large month).
export class Migration20261204060300_rollup_claims extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "metric_refreshing_month" ("month" date not null, constraint "metric_refreshing_month_pkey" primary key ("month"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`insert into "metric_dirty_month" (month) select month from "metric_refreshing_month" on conflict do nothing;`);
    this.addSql(`drop table if exists "metric_refreshing_month" cascade;`);
  }

}
