import { Migration } from '@mikro-orm/migrations';

// The tables whose rows partners and staff read, each captured by three statement-level
// triggers (transition tables: one insert per statement, not per row). Whatever writes them
// (mutations, seeds, the CLI, psql, a later migration) lands in change_log in the same
// transaction, so nothing can bypass the feed.
const CAPTURED = [
  'partner', 'candidate_partner', 'partner_tier_history', 'partner_status_change', 'agreement',
  'service_point', 'price_list_item', 'customer', 'service_order', 'rating', 'complaint',
  'settlement', 'collaboration_case', 'case_kpi', 'report_indicator',
];

export class Migration20261204030000_change_feed extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "change_log" ("seq" bigserial primary key, "txid" xid8 not null default pg_current_xact_id(), "table_name" text not null, "row_id" int not null, "op" char(1) not null, "old" jsonb null, "new" jsonb null, "partner_ids" int[] null, "at" timestamptz not null default now());`);
    this.addSql(`create index "change_log_txid_seq_index" on "change_log" ("txid", "seq");`);
    this.addSql(`create index "change_log_at_index" on "change_log" ("at");`);
    this.addSql(`create index "change_log_table_name_row_id_index" on "change_log" ("table_name", "row_id");`);
    this.addSql(`create table "change_log_horizon" ("id" smallint not null default 1, "txid" xid8 not null, "seq" bigint not null, "pruned_at" timestamptz not null, constraint "change_log_horizon_pkey" primary key ("id"));`);

    // One function for every captured table and operation; partner_ids lets the feed skip
    // other partners' rows by index-free filtering before it evaluates any policy.
    this.addSql(`create or replace function ecograph_capture() returns trigger language plpgsql as $$
declare
  n bigint;
begin
  if TG_OP = 'INSERT' then
    insert into change_log (table_name, row_id, op, new, partner_ids)
    select TG_TABLE_NAME, (x.j->>'id')::int, 'I', x.j, array_remove(array[(x.j->>'partner_id')::int], null)
      from new_rows r cross join lateral (select to_jsonb(r) as j) x;
  elsif TG_OP = 'UPDATE' then
    insert into change_log (table_name, row_id, op, old, new, partner_ids)
    select TG_TABLE_NAME, (y.j->>'id')::int, 'U', x.j, y.j,
           array_remove(array[(x.j->>'partner_id')::int, nullif((y.j->>'partner_id')::int, (x.j->>'partner_id')::int)], null)
      from old_rows o join new_rows r on r.id = o.id
      cross join lateral (select to_jsonb(o) as j) x
      cross join lateral (select to_jsonb(r) as j) y
     where x.j is distinct from y.j;
  else
    insert into change_log (table_name, row_id, op, old, partner_ids)
    select TG_TABLE_NAME, (x.j->>'id')::int, 'D', x.j, array_remove(array[(x.j->>'partner_id')::int], null)
      from old_rows r cross join lateral (select to_jsonb(r) as j) x;
  end if;
  get diagnostics n = row_count;
  if n > 0 then
    perform pg_notify('ecograph_changes', TG_TABLE_NAME);
  end if;
  return null;
end $$;`);
    for (const t of CAPTURED) {
      this.addSql(`create trigger "${t}_capture_insert" after insert on "${t}" referencing new table as new_rows for each statement execute function ecograph_capture();`);
      this.addSql(`create trigger "${t}_capture_update" after update on "${t}" referencing old table as old_rows new table as new_rows for each statement execute function ecograph_capture();`);
      this.addSql(`create trigger "${t}_capture_delete" after delete on "${t}" referencing old table as old_rows for each statement execute function ecograph_capture();`);
    }
  }

  override async down(): Promise<void> {
    for (const t of CAPTURED) {
      for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists "${t}_capture_${op}" on "${t}";`);
    }
    this.addSql(`drop function if exists ecograph_capture();`);
    this.addSql(`drop table if exists "change_log_horizon" cascade;`);
    this.addSql(`drop table if exists "change_log" cascade;`);
  }

}
