import { Migration } from '@mikro-orm/migrations';

export class Migration20261122083612_metric_rollups extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "alert_rule" ("id" serial primary key, "slug" text not null, "name" text not null, "metric" text not null, "scope" text not null, "granularity" text not null, "comparison" text not null, "threshold" numeric(20,6) not null, "consecutive_periods" int not null, "enabled" boolean not null default true);`);
    this.addSql(`alter table "alert_rule" add constraint "alert_rule_slug_unique" unique ("slug");`);

    this.addSql(`create table "metric_cube" ("month" date not null, "partner_id" int not null, "city" text not null, "service_type" text not null, "channel" text not null, "orders" int not null, "fulfilled" int not null, "gmv_minor" bigint not null, "rating_sum" bigint not null, "rating_count" int not null, "complaints" int not null, "online_orders" int not null, constraint "metric_cube_pkey" primary key ("month", "partner_id", "city", "service_type", "channel"));`);

    this.addSql(`create table "metric_dirty_month" ("month" date not null, constraint "metric_dirty_month_pkey" primary key ("month"));`);

    this.addSql(`create table "metric_group" ("granularity" text not null, "period" date not null, "dimension" text not null, "key" text not null, "orders" int not null, "fulfilled" int not null, "gmv_minor" bigint not null, "rating_sum" bigint not null, "rating_count" int not null, "complaints" int not null, "online_orders" int not null, "customers" int not null, "partners" int not null, "response_p50" numeric(10,2) null, "response_p95" numeric(10,2) null, "partners_by_tier" jsonb not null, constraint "metric_group_pkey" primary key ("granularity", "period", "dimension", "key"));`);
    this.addSql(`create index "metric_group_granularity_dimension_period_index" on "metric_group" ("granularity", "dimension", "period");`);

    // Stale months are marked by statement-level triggers (transition tables), so bulk loads
    // mark each month once; src/metrics/rollups/refresh.ts recomputes them.
    this.addSql(`create or replace function metric_mark_dirty() returns trigger language plpgsql as $$
begin
  if TG_TABLE_NAME = 'service_order' then
    if TG_OP in ('INSERT', 'UPDATE') then
      insert into metric_dirty_month (month)
      select distinct date_trunc('month', created_at at time zone 'Asia/Shanghai')::date from new_rows on conflict do nothing;
    end if;
    if TG_OP in ('DELETE', 'UPDATE') then
      insert into metric_dirty_month (month)
      select distinct date_trunc('month', created_at at time zone 'Asia/Shanghai')::date from old_rows on conflict do nothing;
    end if;
  elsif TG_TABLE_NAME in ('rating', 'complaint') then
    if TG_OP in ('INSERT', 'UPDATE') then
      insert into metric_dirty_month (month)
      select distinct date_trunc('month', o.created_at at time zone 'Asia/Shanghai')::date
        from new_rows x join service_order o on o.id = x.order_id on conflict do nothing;
    end if;
    if TG_OP in ('DELETE', 'UPDATE') then
      insert into metric_dirty_month (month)
      select distinct date_trunc('month', o.created_at at time zone 'Asia/Shanghai')::date
        from old_rows x join service_order o on o.id = x.order_id on conflict do nothing;
    end if;
  elsif TG_TABLE_NAME = 'partner_tier_history' then
    if TG_OP in ('INSERT', 'UPDATE') then
      insert into metric_dirty_month (month) select distinct month from new_rows on conflict do nothing;
    end if;
    if TG_OP in ('DELETE', 'UPDATE') then
      insert into metric_dirty_month (month) select distinct month from old_rows on conflict do nothing;
    end if;
  end if;
  return null;
end $$;`);
    for (const table of ['service_order', 'rating', 'complaint', 'partner_tier_history']) {
      this.addSql(`create trigger ${table}_metric_ins after insert on "${table}" referencing new table as new_rows for each statement execute function metric_mark_dirty();`);
      this.addSql(`create trigger ${table}_metric_upd after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function metric_mark_dirty();`);
      this.addSql(`create trigger ${table}_metric_del after delete on "${table}" referencing old table as old_rows for each statement execute function metric_mark_dirty();`);
    }
    // A truncated order table leaves nothing to roll up.
    this.addSql(`create or replace function metric_truncated() returns trigger language plpgsql as $$
begin
  delete from metric_cube;
  delete from metric_group;
  return null;
end $$;`);
    this.addSql(`create trigger service_order_metric_truncate after truncate on "service_order" for each statement execute function metric_truncated();`);

    // Existing data: every month is stale until the first refresh.
    this.addSql(`insert into metric_dirty_month (month)
      select distinct date_trunc('month', created_at at time zone 'Asia/Shanghai')::date from service_order on conflict do nothing;`);

    // The alert rules the source documents state (thresholds are data: operators edit them).
    this.addSql(`insert into alert_rule (slug, name, metric, scope, granularity, comparison, threshold, consecutive_periods, enabled) values
      ('online-share-below-20', 'Online order share below 20% two quarters in a row', 'ONLINE_ORDER_SHARE', 'ECOSYSTEM', 'QUARTER', 'LT', 0.20, 2, true),
      ('category-online-share-below-20', 'A category''s online order share below 20% two quarters in a row', 'ONLINE_ORDER_SHARE', 'CATEGORY', 'QUARTER', 'LT', 0.20, 2, true),
      ('partner-rating-below-4', 'Partner rating below 4.0', 'AVERAGE_RATING', 'PARTNER', 'MONTH', 'LT', 4.0, 1, true),
      ('partner-complaints-above-2pct', 'Partner complaint rate above 2% two months in a row', 'COMPLAINT_RATE', 'PARTNER', 'MONTH', 'GT', 0.02, 2, true)
      on conflict (slug) do nothing;`);
  }

  override async down(): Promise<void> {
    for (const table of ['service_order', 'rating', 'complaint', 'partner_tier_history']) {
      for (const op of ['ins', 'upd', 'del']) this.addSql(`drop trigger if exists ${table}_metric_${op} on "${table}";`);
    }
    this.addSql('drop trigger if exists service_order_metric_truncate on "service_order";');
    this.addSql('drop function if exists metric_mark_dirty();');
    this.addSql('drop function if exists metric_truncated();');
    this.addSql(`drop table if exists "alert_rule" cascade;`);

    this.addSql(`drop table if exists "metric_cube" cascade;`);

    this.addSql(`drop table if exists "metric_dirty_month" cascade;`);

    this.addSql(`drop table if exists "metric_group" cascade;`);
  }

}
