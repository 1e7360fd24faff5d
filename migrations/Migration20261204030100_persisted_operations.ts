import { Migration } from '@mikro-orm/migrations';

// Persisted operations per partner (src/persisted): the registered documents, the agreement's
// allow-list setting, and the operation id on the access ledger. Written by hand to match the
// entities exactly (test/db/migrations.test.ts checks nothing is left to generate).
export class Migration20261204030100_persisted_operations extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "persisted_operation" ("partner_id" int not null, "id" text not null, "document" text not null, "operation_name" text null, "created_at" timestamptz not null, constraint "persisted_operation_pkey" primary key ("partner_id", "id"));`);

    this.addSql(`alter table "persisted_operation" add constraint "persisted_operation_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "agreement" add column "persisted_only" boolean not null default false;`);

    this.addSql(`alter table "access_ledger" add column "operation_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "persisted_operation" cascade;`);

    this.addSql(`alter table "agreement" drop column "persisted_only";`);

    this.addSql(`alter table "access_ledger" drop column "operation_id";`);
  }

}
