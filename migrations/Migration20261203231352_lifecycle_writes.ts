import { Migration } from '@mikro-orm/migrations';

const VERSIONED = ['partner', 'candidate_partner', 'agreement', 'service_point', 'price_list_item', 'customer', 'api_key'];

export class Migration20261203231352_lifecycle_writes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("caller" text not null, "key" text not null, "request_hash" text not null, "response" text not null, "created_at" timestamptz not null, constraint "idempotency_key_pkey" primary key ("caller", "key"));`);
    this.addSql(`create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at");`);

    this.addSql(`create table "partner_status_change" ("id" serial primary key, "partner_id" int not null, "at" timestamptz not null, "from_status" text check ("from_status" in ('ACTIVE', 'SUSPENDED', 'EXITED')) null, "to_status" text check ("to_status" in ('ACTIVE', 'SUSPENDED', 'EXITED')) not null, "reason" text not null, "rule" text null, "month" date null, "key_id" int null);`);
    this.addSql(`create index "partner_status_change_partner_id_at_index" on "partner_status_change" ("partner_id", "at");`);

    this.addSql(`alter table "partner_status_change" add constraint "partner_status_change_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "access_ledger" drop constraint if exists "access_ledger_role_check";`);

    this.addSql(`alter table "api_key" drop constraint if exists "api_key_role_check";`);

    this.addSql(`alter table "access_ledger" add column "mutation" text null, add column "changes" jsonb null;`);
    this.addSql(`alter table "access_ledger" add constraint "access_ledger_role_check" check("role" in ('ADMIN', 'ANALYST', 'OPERATOR', 'DASHBOARD', 'PARTNER'));`);

    this.addSql(`alter table "candidate_partner" add column "screened_at" timestamptz null, add column "partner_id" int null, add column "version" int not null default 1;`);
    this.addSql(`alter table "candidate_partner" alter column "service_quality" drop not null;`);
    this.addSql(`alter table "candidate_partner" alter column "coverage" drop not null;`);
    this.addSql(`alter table "candidate_partner" alter column "cost" drop not null;`);
    this.addSql(`alter table "candidate_partner" alter column "integration" drop not null;`);

    this.addSql(`alter table "customer" add column "version" int not null default 1;`);

    this.addSql(`alter table "partner" add column "status_reason" text null, add column "candidate_id" int null, add column "version" int not null default 1;`);

    this.addSql(`alter table "api_key" add column "revoke_reason" text null, add column "rotated_from_id" int null, add column "version" int not null default 1;`);
    this.addSql(`alter table "api_key" add constraint "api_key_role_check" check("role" in ('ADMIN', 'ANALYST', 'OPERATOR', 'DASHBOARD', 'PARTNER'));`);

    this.addSql(`alter table "agreement" add column "supersedes_id" int null, add column "termination_reason" text null, add column "version" int not null default 1;`);

    this.addSql(`alter table "price_list_item" add column "version" int not null default 1;`);

    this.addSql(`alter table "service_point" add column "retired_at" timestamptz null, add column "version" int not null default 1;`);

    // Optimistic concurrency: every update bumps the row's version, whichever path writes it
    // (the API, the CLI, a seed or hand-written SQL), so a stale expectedVersion is always seen.
    this.addSql(`create or replace function ecograph_bump_version() returns trigger language plpgsql as $$
      begin new.version := old.version + 1; return new; end $$;`);
    for (const t of VERSIONED) {
      this.addSql(`create trigger "${t}_bump_version" before update on "${t}" for each row when (old is distinct from new) execute function ecograph_bump_version();`);
    }
    this.addSql(`update "candidate_partner" set "screened_at" = now() where "service_quality" is not null;`);
  }

  override async down(): Promise<void> {
    for (const t of VERSIONED) this.addSql(`drop trigger if exists "${t}_bump_version" on "${t}";`);
    this.addSql(`drop function if exists ecograph_bump_version();`);
    this.addSql(`drop table if exists "idempotency_key" cascade;`);

    this.addSql(`drop table if exists "partner_status_change" cascade;`);

    this.addSql(`alter table "access_ledger" drop constraint if exists "access_ledger_role_check";`);

    this.addSql(`alter table "api_key" drop constraint if exists "api_key_role_check";`);

    this.addSql(`alter table "access_ledger" drop column "mutation", drop column "changes";`);

    this.addSql(`alter table "access_ledger" add constraint "access_ledger_role_check" check("role" in ('ADMIN', 'ANALYST', 'DASHBOARD', 'PARTNER'));`);

    this.addSql(`alter table "agreement" drop column "supersedes_id", drop column "termination_reason", drop column "version";`);

    this.addSql(`alter table "api_key" drop column "revoke_reason", drop column "rotated_from_id", drop column "version";`);

    this.addSql(`alter table "api_key" add constraint "api_key_role_check" check("role" in ('ADMIN', 'ANALYST', 'DASHBOARD', 'PARTNER'));`);

    this.addSql(`alter table "candidate_partner" drop column "screened_at", drop column "partner_id", drop column "version";`);

    this.addSql(`alter table "candidate_partner" alter column "service_quality" set not null;`);
    this.addSql(`alter table "candidate_partner" alter column "coverage" set not null;`);
    this.addSql(`alter table "candidate_partner" alter column "cost" set not null;`);
    this.addSql(`alter table "candidate_partner" alter column "integration" set not null;`);

    this.addSql(`alter table "customer" drop column "version";`);

    this.addSql(`alter table "partner" drop column "status_reason", drop column "candidate_id", drop column "version";`);

    this.addSql(`alter table "price_list_item" drop column "version";`);

    this.addSql(`alter table "service_point" drop column "retired_at", drop column "version";`);
  }

}
