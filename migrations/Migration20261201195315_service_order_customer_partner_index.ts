import { Migration } from '@mikro-orm/migrations';

// A partner's pull: its customers' orders with it, newest first (and the customer row scope's
// "served by this partner" probe), without filtering each customer's other orders.
export class Migration20261201195315_service_order_customer_partner_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "service_order_customer_id_partner_id_created_at_index" on "service_order" ("customer_id", "partner_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "service_order_customer_id_partner_id_created_at_index";`);
  }

}
