import { Migration } from '@mikro-orm/migrations';

// Differentially private figures for partners (src/metrics/ecosystem/noise.ts): the bounded
// figures (each customer's first DP_MAX_ORDERS_PER_CUSTOMER_MONTH orders of a month, amounts
// clamped at DP_MAX_ORDER_AMOUNT) in metric_cube and metric_group, filled by
// src/metrics/rollups/refresh.ts, and the privacy budget of each agreement (privacy_epsilon).
// Written by hand to match the entities exactly (test/db/migrations.test.ts checks nothing is
// left to generate).
const DP = ['dp_orders', 'dp_fulfilled', 'dp_gmv_minor', 'dp_online_orders', 'dp_complaints', 'dp_rating_sum', 'dp_rating_count', 'dp_sla_answered', 'dp_sla_breaches'];
const BIGINT = new Set(['dp_gmv_minor', 'dp_rating_sum']);

export class Migration20261204070000_dp_rollups extends Migration {

  override async up(): Promise<void> {
    const add = DP.map((c) => `add column "${c}" ${BIGINT.has(c) ? 'bigint' : 'int'} not null default 0`).join(', ');
    this.addSql(`alter table "metric_cube" ${add};`);
    this.addSql(`alter table "metric_group" ${add};`);
    this.addSql(`alter table "agreement" add column "privacy_epsilon" numeric(8,4) not null default 1;`);

    // Existing data: every month is stale until the next refresh fills the new columns.
    this.addSql(`insert into metric_dirty_month (month)
      select distinct date_trunc('month', created_at at time zone 'Asia/Shanghai')::date from service_order on conflict do nothing;`);
  }

  override async down(): Promise<void> {
    const drop = DP.map((c) => `drop column "${c}"`).join(', ');
    this.addSql(`alter table "agreement" drop column "privacy_epsilon";`);
    this.addSql(`alter table "metric_cube" ${drop};`);
    this.addSql(`alter table "metric_group" ${drop};`);
  }

}
