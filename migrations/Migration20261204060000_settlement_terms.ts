import { Migration } from '@mikro-orm/migrations';

// Settlement terms (src/metrics/settlements/settlement.sql.ts): cost-plus orders, bought from the
// partner at cost_minor (null: settled by the agreement's model), and the platform's margin on
// them in each monthly settlement. Written by hand to match the entities exactly
// (test/db/migrations.test.ts checks nothing is left to generate).
export class Migration20261204060000_settlement_terms extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "service_order" add column "cost_minor" bigint null;`);

    this.addSql(`alter table "settlement" add column "margin_minor" bigint not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "service_order" drop column "cost_minor";`);

    this.addSql(`alter table "settlement" drop column "margin_minor";`);
  }

}
