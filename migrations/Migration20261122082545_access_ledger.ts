import { Migration } from '@mikro-orm/migrations';

export class Migration20261122082545_access_ledger extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "access_ledger" ("id" bigserial primary key, "at" timestamptz not null, "request_id" text not null, "role" text check ("role" in ('ADMIN', 'ANALYST', 'DASHBOARD', 'PARTNER')) not null, "key_id" int null, "partner_id" int null, "operation_name" text null, "operation_hash" text not null, "public_fields" text[] not null, "anonymized_fields" text[] not null, "sensitive_fields" text[] not null, "filter_fields" text[] not null, "row_count" int not null, "duration_ms" int not null, "error_codes" text[] not null);`);
    this.addSql(`create index "access_ledger_at_index" on "access_ledger" ("at");`);
    this.addSql(`create index "access_ledger_partner_id_at_index" on "access_ledger" ("partner_id", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "access_ledger" cascade;`);
  }

}
