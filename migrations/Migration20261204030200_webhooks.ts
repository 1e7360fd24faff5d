import { Migration } from '@mikro-orm/migrations';

// Webhooks (src/webhooks): partners' endpoints and the delivery log. Written by hand to match
// the entities exactly (test/db/migrations.test.ts checks nothing is left to generate). Neither
// table is captured by the change feed: deliveries are made from the feed, not part of it.
export class Migration20261204030200_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_endpoint" ("id" serial primary key, "partner_id" int not null, "url" text not null, "description" text null, "event_types" text[] null, "secret" text not null, "cursor" text not null, "status" text check ("status" in ('ACTIVE', 'DISABLED')) not null, "consecutive_failures" int not null default 0, "failing_since" timestamptz null, "disabled_reason" text null, "disabled_at" timestamptz null, "disabled_by" text check ("disabled_by" in ('SYSTEM', 'PARTNER', 'OPERATOR')) null, "created_at" timestamptz not null, "version" int not null default 1);`);
    this.addSql(`create index "webhook_endpoint_partner_id_index" on "webhook_endpoint" ("partner_id");`);

    this.addSql(`create table "webhook_delivery" ("id" serial primary key, "endpoint_id" int not null, "partner_id" int not null, "message_id" text not null, "event_type" text not null, "event_op" text check ("event_op" in ('UPSERT', 'DELETE')) not null, "event_id" text not null, "row_id" int null, "feed_cursor" text not null, "view" text not null, "payload" jsonb not null, "status" text check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED', 'SKIPPED')) not null, "attempts" int not null default 0, "last_status_code" int null, "last_error" text null, "last_attempt_at" timestamptz null, "next_attempt_at" timestamptz null, "created_at" timestamptz not null, "delivered_at" timestamptz null);`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_message_id_unique" unique ("message_id");`);
    this.addSql(`create index "webhook_delivery_status_created_at_index" on "webhook_delivery" ("status", "created_at");`);
    this.addSql(`create index "webhook_delivery_partner_id_created_at_index" on "webhook_delivery" ("partner_id", "created_at");`);
    this.addSql(`create index "webhook_delivery_endpoint_id_created_at_index" on "webhook_delivery" ("endpoint_id", "created_at");`);

    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    // Optimistic concurrency as on the other tables (ecograph_bump_version), but only for what
    // the owner sets: the cursor and the failure count move with every delivery and must not
    // make an expectedVersion stale.
    this.addSql(`create trigger "webhook_endpoint_bump_version" before update on "webhook_endpoint" for each row
      when ((old.url, old.description, old.event_types, old.secret, old.status, old.disabled_reason, old.disabled_at, old.disabled_by)
            is distinct from (new.url, new.description, new.event_types, new.secret, new.status, new.disabled_reason, new.disabled_at, new.disabled_by))
      execute function ecograph_bump_version();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);
  }

}
