import { Migration } from '@mikro-orm/migrations';

// SLA breach rate in the rollups (src/metrics/rollups/refresh.ts): answered orders under an
// agreement in force, and those answered later than the agreement's sla_response_minutes, in
// metric_cube and metric_group. Which orders breach depends on the agreement in force in the
// order's month, so agreement writes mark the months they touch stale, like order writes do.
// Written by hand to match the entities exactly (test/db/migrations.test.ts checks nothing is
// left to generate).
export class Migration20261204060200_sla_breach_rollups extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "metric_cube" add column "sla_answered" int not null default 0, add column "sla_breaches" int not null default 0;`);
    this.addSql(`alter table "metric_group" add column "sla_answered" int not null default 0, add column "sla_breaches" int not null default 0;`);

    // The months in which an agreement (partner, valid_from, valid_to) may be the one in force
    // and the partner has orders: from the month of valid_from to the month of valid_to (open:
    // the partner's last order), each probed through service_order (partner_id, created_at).
    this.addSql(`create or replace function metric_agreement_months(p_partner int, p_from date, p_to date) returns setof date language sql stable as $$
  with span as (
    select date_trunc('month', min(created_at) at time zone 'Asia/Shanghai')::date as first,
           date_trunc('month', max(created_at) at time zone 'Asia/Shanghai')::date as last
      from service_order where partner_id = p_partner
  )
  select m::date
    from span, generate_series(greatest(date_trunc('month', p_from)::date, span.first),
                               least(date_trunc('month', p_to)::date, span.last), interval '1 month') m
   where exists (select 1 from service_order o
                  where o.partner_id = p_partner
                    and o.created_at >= (m::timestamp at time zone 'Asia/Shanghai')
                    and o.created_at < ((m + interval '1 month')::timestamp at time zone 'Asia/Shanghai'))
$$;`);

    // Statement-level (transition tables), like metric_mark_dirty(). An update marks both the old
    // and the new validity, and only when what chooses or applies the agreement changed
    // (partner, SLA minutes, validity): quota, key or wording edits leave the rollups alone.
    this.addSql(`create or replace function metric_mark_dirty_agreement() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into metric_dirty_month (month)
    select distinct m from new_rows r cross join lateral metric_agreement_months(r.partner_id, r.valid_from, r.valid_to) m
    on conflict do nothing;
  elsif TG_OP = 'DELETE' then
    insert into metric_dirty_month (month)
    select distinct m from old_rows r cross join lateral metric_agreement_months(r.partner_id, r.valid_from, r.valid_to) m
    on conflict do nothing;
  elsif TG_OP = 'UPDATE' then
    insert into metric_dirty_month (month)
    select distinct m
      from (select r.partner_id, r.valid_from, r.valid_to from old_rows r
             where not exists (select 1 from new_rows n where n.id = r.id
                                 and (n.partner_id, n.sla_response_minutes, n.valid_from, n.valid_to)
                                     is not distinct from (r.partner_id, r.sla_response_minutes, r.valid_from, r.valid_to))
            union
            select r.partner_id, r.valid_from, r.valid_to from new_rows r
             where not exists (select 1 from old_rows o where o.id = r.id
                                 and (o.partner_id, o.sla_response_minutes, o.valid_from, o.valid_to)
                                     is not distinct from (r.partner_id, r.sla_response_minutes, r.valid_from, r.valid_to))) c
      cross join lateral metric_agreement_months(c.partner_id, c.valid_from, c.valid_to) m
    on conflict do nothing;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger agreement_metric_ins after insert on "agreement" referencing new table as new_rows for each statement execute function metric_mark_dirty_agreement();`);
    this.addSql(`create trigger agreement_metric_upd after update on "agreement" referencing old table as old_rows new table as new_rows for each statement execute function metric_mark_dirty_agreement();`);
    this.addSql(`create trigger agreement_metric_del after delete on "agreement" referencing old table as old_rows for each statement execute function metric_mark_dirty_agreement();`);

    // Existing data: every month is stale until the next refresh fills the new columns.
    this.addSql(`insert into metric_dirty_month (month)
      select distinct date_trunc('month', created_at at time zone 'Asia/Shanghai')::date from service_order on conflict do nothing;`);

    this.addSql(`insert into alert_rule (slug, name, metric, scope, granularity, comparison, threshold, consecutive_periods, enabled) values
      ('sla-breach-rate-above-10', 'SLA breach rate above 10% for a partner two months in a row', 'SLA_BREACH_RATE', 'PARTNER', 'MONTH', 'GT', 0.10, 2, true)
      on conflict (slug) do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from alert_rule where slug = 'sla-breach-rate-above-10';`);
    for (const op of ['ins', 'upd', 'del']) this.addSql(`drop trigger if exists agreement_metric_${op} on "agreement";`);
    this.addSql('drop function if exists metric_mark_dirty_agreement();');
    this.addSql('drop function if exists metric_agreement_months(int, date, date);');
    this.addSql(`alter table "metric_cube" drop column "sla_answered", drop column "sla_breaches";`);
    this.addSql(`alter table "metric_group" drop column "sla_answered", drop column "sla_breaches";`);
  }

}
