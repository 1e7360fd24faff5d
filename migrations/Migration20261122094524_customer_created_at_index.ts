import { Migration } from '@mikro-orm/migrations';

export class Migration20261122094524_customer_created_at_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "customer_created_at_index" on "customer" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "customer_created_at_index";`);
  }

}
