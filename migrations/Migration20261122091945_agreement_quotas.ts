import { Migration } from '@mikro-orm/migrations';

export class Migration20261122091945_agreement_quotas extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "agreement" add column "rate_limit_per_minute" int null, add column "daily_quota" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agreement" drop column "rate_limit_per_minute", drop column "daily_quota";`);
  }

}
