import { Migration } from '@mikro-orm/migrations';

// Dispatch of service requests (src/modules/dispatch): the trigger rules, the requests with
// their SLA clocks, each request's allocation (who was considered, in which order, why) and the
// fulfilment milestones partners report. Versions are bumped by the shared trigger, and every
// table is captured into the change feed like the others. Written to match the entities exactly
// (test/db/migrations.test.ts checks nothing is left to generate).
const VERSIONED = ['dispatch_rule', 'service_request', 'allocation_step', 'fulfilment_event'];
const CAPTURED = ['service_request', 'allocation_step', 'fulfilment_event'];

export class Migration20261204060100_dispatch extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "dispatch_rule" ("id" serial primary key, "slug" text not null, "name" text not null, "source_service_type" text not null, "source_statuses" text[] not null, "after_minutes" int not null, "request_service_type" text not null, "window_minutes" int not null, "enabled" boolean not null default true, "version" int not null default 1);`);
    this.addSql(`alter table "dispatch_rule" add constraint "dispatch_rule_slug_unique" unique ("slug");`);
    this.addSql(`create table "service_request" ("id" serial primary key, "service_type" text not null, "city" text not null, "service_point_id" int null, "customer_id" int not null, "vehicle" text not null default '', "window_start" timestamptz not null, "window_end" timestamptz not null, "days" int not null default 1, "member_free" boolean not null default false, "status" text check ("status" in ('OPEN', 'OFFERED', 'ACCEPTED', 'DISPATCHED', 'ARRIVED', 'COMPLETED', 'FAILED', 'UNALLOCATED', 'CANCELLED')) not null, "partner_id" int null, "offer_seq" int not null default 0, "opened_at" timestamptz not null, "offered_at" timestamptz null, "offer_expires_at" timestamptz null, "accepted_at" timestamptz null, "dispatched_at" timestamptz null, "arrived_at" timestamptz null, "closed_at" timestamptz null, "sla_response_minutes" int null, "sla_arrival_minutes" int null, "response_minutes" int null, "arrival_minutes" int null, "response_breached" boolean null, "arrival_breached" boolean null, "close_reason" text null, "rule_id" int null, "source_order_id" int null, "order_id" int null, "version" int not null default 1, constraint service_request_days_check check ((days >= 1) AND (days <= 30)), constraint service_request_window_check check (window_end > window_start));`);
    this.addSql(`alter table "service_request" add constraint "service_request_order_id_unique" unique ("order_id");`);
    this.addSql(`create index "service_request_status_offer_expires_at_index" on "service_request" ("status", "offer_expires_at");`);
    this.addSql(`create index "service_request_partner_id_status_index" on "service_request" ("partner_id", "status");`);
    this.addSql(`alter table "service_request" add constraint "service_request_rule_source_unique" unique ("rule_id", "source_order_id");`);
    this.addSql(`create table "fulfilment_event" ("id" serial primary key, "request_id" int not null, "partner_id" int not null, "milestone" text check ("milestone" in ('DISPATCHED', 'ARRIVED', 'COMPLETED', 'FAILED')) not null, "reported_at" timestamptz not null, "recorded_at" timestamptz not null, "details" text not null default '', "version" int not null default 1);`);
    this.addSql(`alter table "fulfilment_event" add constraint "fulfilment_event_request_id_milestone_unique" unique ("request_id", "milestone");`);
    this.addSql(`create table "allocation_step" ("id" serial primary key, "request_id" int not null, "partner_id" int not null, "position" int null, "tier" text null, "score" numeric(7,2) null, "priority" numeric(12,6) null, "outcome" text check ("outcome" in ('SKIPPED', 'WAITING', 'OFFERED', 'DECLINED', 'TIMED_OUT', 'ACCEPTED', 'NOT_REACHED')) not null, "reason" text not null, "offered_at" timestamptz null, "updated_at" timestamptz not null, "version" int not null default 1);`);
    this.addSql(`alter table "allocation_step" add constraint "allocation_step_request_id_partner_id_unique" unique ("request_id", "partner_id");`);
    this.addSql(`create index "allocation_step_partner_id_offered_at_index" on "allocation_step" ("partner_id", "offered_at");`);
    this.addSql(`alter table "service_request" add constraint "service_request_service_point_id_foreign" foreign key ("service_point_id") references "service_point" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "service_request" add constraint "service_request_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "service_request" add constraint "service_request_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "service_request" add constraint "service_request_rule_id_foreign" foreign key ("rule_id") references "dispatch_rule" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "service_request" add constraint "service_request_source_order_id_foreign" foreign key ("source_order_id") references "service_order" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "service_request" add constraint "service_request_order_id_foreign" foreign key ("order_id") references "service_order" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "fulfilment_event" add constraint "fulfilment_event_request_id_foreign" foreign key ("request_id") references "service_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "fulfilment_event" add constraint "fulfilment_event_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade;`);
    this.addSql(`alter table "allocation_step" add constraint "allocation_step_request_id_foreign" foreign key ("request_id") references "service_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "allocation_step" add constraint "allocation_step_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade;`);

    for (const t of VERSIONED) {
      this.addSql(`create trigger "${t}_bump_version" before update on "${t}" for each row when (old is distinct from new) execute function ecograph_bump_version();`);
    }
    for (const t of CAPTURED) {
      this.addSql(`create trigger "${t}_capture_insert" after insert on "${t}" referencing new table as new_rows for each statement execute function ecograph_capture();`);
      this.addSql(`create trigger "${t}_capture_update" after update on "${t}" referencing old table as old_rows new table as new_rows for each statement execute function ecograph_capture();`);
      this.addSql(`create trigger "${t}_capture_delete" after delete on "${t}" referencing old table as old_rows for each statement execute function ecograph_capture();`);
    }

    // The documents' rule (the courtesy-car case): a repair still running 4 hours after it was
    // opened asks for a courtesy car within the next 30 minutes. Operators change the numbers.
    this.addSql(`insert into "dispatch_rule" (slug, name, source_service_type, source_statuses, after_minutes, request_service_type, window_minutes, enabled)
      values ('repair-over-4h-courtesy-car', 'A repair running over 4 hours asks for a courtesy car', 'QUICK_SERVICE', '{CREATED,IN_PROGRESS}', 240, 'COURTESY_CAR', 30, true);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "fulfilment_event" cascade;`);
    this.addSql(`drop table if exists "allocation_step" cascade;`);
    this.addSql(`drop table if exists "service_request" cascade;`);
    this.addSql(`drop table if exists "dispatch_rule" cascade;`);
  }

}
