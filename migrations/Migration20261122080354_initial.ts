import { Migration } from '@mikro-orm/migrations';

export class Migration20261122080354_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "candidate_partner" ("id" serial primary key, "slug" text not null, "name" text not null, "category" text check ("category" in ('CAPABILITY_COMPLEMENT', 'RESOURCE_SHARING', 'TRAFFIC_EXCHANGE', 'INNOVATION_CO_CREATION')) not null, "industry" text not null, "capability_gap" text not null, "cities" text[] not null, "service_quality" numeric(5,2) not null, "coverage" numeric(5,2) not null, "cost" numeric(5,2) not null, "integration" numeric(5,2) not null);`);
    this.addSql(`alter table "candidate_partner" add constraint "candidate_partner_slug_unique" unique ("slug");`);
    this.addSql(`create index "candidate_partner_capability_gap_index" on "candidate_partner" ("capability_gap");`);

    this.addSql(`create table "collaboration_case" ("id" serial primary key, "slug" text not null, "title" text not null, "title_en" text not null, "parties" text[] not null, "industries" text[] not null, "model" text check ("model" in ('RESOURCE_COMPLEMENTARY', 'TECHNOLOGY_DRIVEN', 'ECOSYSTEM_CO_BUILDING')) not null, "year" int not null, "summary" text not null, "success_factors" text[] not null, "risks" text[] not null);`);
    this.addSql(`alter table "collaboration_case" add constraint "collaboration_case_slug_unique" unique ("slug");`);
    this.addSql(`create index "collaboration_case_model_index" on "collaboration_case" ("model");`);
    this.addSql(`create index "collaboration_case_year_index" on "collaboration_case" ("year");`);

    this.addSql(`create table "case_kpi" ("id" serial primary key, "case_id" int not null, "name" text not null, "family" text check ("family" in ('GMV', 'CONVERSION', 'USERS', 'ENGAGEMENT', 'COST', 'EFFICIENCY', 'REACH', 'SATISFACTION', 'INCOME', 'SALES')) not null, "unit" text not null, "value_before" numeric(20,4) null, "value_after" numeric(20,4) null, "reported_change_pct" numeric(10,4) null, "period" text not null, "source" text not null);`);
    this.addSql(`alter table "case_kpi" add constraint "case_kpi_case_id_name_unique" unique ("case_id", "name");`);

    this.addSql(`create table "customer" ("id" serial primary key, "name" text not null, "national_id" text not null, "phone" text not null, "email" text not null, "birth_date" date not null, "gender" text check ("gender" in ('FEMALE', 'MALE', 'UNDISCLOSED')) not null, "city" text not null, "district" text not null, "street_address" text not null, "membership_level" text check ("membership_level" in ('STANDARD', 'SILVER', 'GOLD', 'PLATINUM')) not null, "consent_data_sharing" boolean not null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "customer" add constraint "customer_national_id_unique" unique ("national_id");`);
    this.addSql(`create index "customer_city_district_index" on "customer" ("city", "district");`);

    this.addSql(`create table "partner" ("id" serial primary key, "slug" text not null, "name" text not null, "name_en" text not null, "category" text check ("category" in ('CAPABILITY_COMPLEMENT', 'RESOURCE_SHARING', 'TRAFFIC_EXCHANGE', 'INNOVATION_CO_CREATION')) not null, "industry" text not null, "service_types" text[] not null, "cities" text[] not null, "api_openness" text check ("api_openness" in ('CLOSED', 'PARTNER_API', 'OPEN_API')) not null, "status" text check ("status" in ('ACTIVE', 'SUSPENDED', 'EXITED')) not null default 'ACTIVE', "quality_tier" text check ("quality_tier" in ('GOLD', 'SILVER', 'BRONZE', 'YELLOW_CARD', 'EXITED')) null, "description" text not null default '', "joined_on" date not null, "reference" boolean not null default false);`);
    this.addSql(`alter table "partner" add constraint "partner_slug_unique" unique ("slug");`);
    this.addSql(`create index "partner_category_index" on "partner" ("category");`);
    this.addSql(`create index "partner_status_index" on "partner" ("status");`);
    this.addSql(`create index "partner_quality_tier_index" on "partner" ("quality_tier");`);

    this.addSql(`create table "api_key" ("id" serial primary key, "label" text not null, "role" text check ("role" in ('ADMIN', 'ANALYST', 'DASHBOARD', 'PARTNER')) not null, "partner_id" int null, "hash" text not null, "prefix" text not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null);`);
    this.addSql(`alter table "api_key" add constraint "api_key_hash_unique" unique ("hash");`);

    this.addSql(`create table "agreement" ("id" serial primary key, "partner_id" int not null, "sla_response_minutes" int not null, "service_standard" text not null default '', "pricing_model" text check ("pricing_model" in ('PER_USE', 'MONTHLY', 'YEARLY')) not null, "price_minor" bigint not null, "settlement_model" text check ("settlement_model" in ('COMMISSION', 'REVENUE_SHARE', 'PLATFORM_FEE')) not null, "commission_rate" numeric(5,4) null, "revenue_share_rate" numeric(5,4) null, "monthly_fee_minor" bigint null, "data_tier" text check ("data_tier" in ('PUBLIC', 'ANONYMIZED')) not null default 'PUBLIC', "exclusive" boolean not null default false, "liability" text not null default '', "valid_from" date not null, "valid_to" date null);`);
    this.addSql(`create index "agreement_partner_id_valid_from_index" on "agreement" ("partner_id", "valid_from");`);

    this.addSql(`create table "partner_tier_history" ("id" serial primary key, "partner_id" int not null, "month" date not null, "tier" text check ("tier" in ('GOLD', 'SILVER', 'BRONZE', 'YELLOW_CARD', 'EXITED')) null, "average_rating" numeric(4,3) null, "complaint_rate" numeric(7,6) null, "order_count" int not null, "reason" text not null);`);
    this.addSql(`alter table "partner_tier_history" add constraint "partner_tier_history_partner_id_month_unique" unique ("partner_id", "month");`);

    this.addSql(`create table "price_list_item" ("id" serial primary key, "partner_id" int not null, "service_type" text not null, "unit" text check ("unit" in ('PER_USE', 'PER_HOUR', 'PER_DAY', 'PER_KM', 'PER_KWH', 'PER_MONTH')) not null, "price_minor" bigint not null);`);
    this.addSql(`create index "price_list_item_service_type_index" on "price_list_item" ("service_type");`);
    this.addSql(`alter table "price_list_item" add constraint "price_list_item_partner_id_service_type_unit_unique" unique ("partner_id", "service_type", "unit");`);

    this.addSql(`create table "report_indicator" ("id" serial primary key, "slug" text not null, "name" text not null, "unit" text not null, "year" int not null, "value" numeric(20,4) not null, "kind" text check ("kind" in ('ACTUAL', 'FORECAST')) not null, "source" text not null);`);
    this.addSql(`alter table "report_indicator" add constraint "report_indicator_slug_year_unique" unique ("slug", "year");`);

    this.addSql(`create table "seed_state" ("key" text not null, "value" jsonb not null, "updated_at" timestamptz not null, constraint "seed_state_pkey" primary key ("key"));`);

    this.addSql(`create table "service_point" ("id" serial primary key, "partner_id" int not null, "name" text not null, "city" text not null, "district" text not null, "latitude" numeric(9,6) not null, "longitude" numeric(9,6) not null, "opening_hours" text not null);`);
    this.addSql(`create index "service_point_partner_id_index" on "service_point" ("partner_id");`);
    this.addSql(`create index "service_point_city_district_index" on "service_point" ("city", "district");`);

    this.addSql(`create table "service_order" ("id" serial primary key, "customer_id" int not null, "partner_id" int not null, "service_point_id" int null, "service_type" text not null, "city" text not null, "channel" text check ("channel" in ('ONLINE', 'OFFLINE')) not null, "status" text check ("status" in ('CREATED', 'IN_PROGRESS', 'FULFILLED', 'CANCELLED')) not null, "created_at" timestamptz not null, "fulfilled_at" timestamptz null, "response_minutes" int null, "amount_minor" bigint not null, constraint service_order_amount_nonnegative check (amount_minor >= 0));`);
    this.addSql(`create index "service_order_service_point_id_index" on "service_order" ("service_point_id");`);
    this.addSql(`create index "service_order_created_at_index" on "service_order" ("created_at");`);
    this.addSql(`create index "service_order_customer_id_created_at_index" on "service_order" ("customer_id", "created_at");`);
    this.addSql(`create index "service_order_partner_id_created_at_index" on "service_order" ("partner_id", "created_at");`);

    this.addSql(`create table "rating" ("id" serial primary key, "order_id" int not null, "partner_id" int not null, "customer_id" int not null, "score" smallint not null, "comment" text null, "created_at" timestamptz not null, constraint rating_score_range check ((score >= 1) AND (score <= 5)));`);
    this.addSql(`alter table "rating" add constraint "rating_order_id_unique" unique ("order_id");`);
    this.addSql(`create index "rating_customer_id_index" on "rating" ("customer_id");`);
    this.addSql(`create index "rating_partner_id_created_at_index" on "rating" ("partner_id", "created_at");`);

    this.addSql(`create table "complaint" ("id" serial primary key, "order_id" int not null, "partner_id" int not null, "customer_id" int not null, "category" text check ("category" in ('SERVICE_QUALITY', 'DELAY', 'PRICING', 'DAMAGE', 'OTHER')) not null, "description" text null, "resolved" boolean not null, "created_at" timestamptz not null, "resolved_at" timestamptz null);`);
    this.addSql(`create index "complaint_order_id_index" on "complaint" ("order_id");`);
    this.addSql(`create index "complaint_customer_id_index" on "complaint" ("customer_id");`);
    this.addSql(`create index "complaint_partner_id_created_at_index" on "complaint" ("partner_id", "created_at");`);

    this.addSql(`create table "settlement" ("id" serial primary key, "partner_id" int not null, "month" date not null, "model" text check ("model" in ('COMMISSION', 'REVENUE_SHARE', 'PLATFORM_FEE')) not null, "order_count" int not null, "gross_minor" bigint not null, "partner_share_minor" bigint not null, "platform_share_minor" bigint not null);`);
    this.addSql(`create index "settlement_month_index" on "settlement" ("month");`);
    this.addSql(`alter table "settlement" add constraint "settlement_partner_id_month_unique" unique ("partner_id", "month");`);

    this.addSql(`alter table "case_kpi" add constraint "case_kpi_case_id_foreign" foreign key ("case_id") references "collaboration_case" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_key" add constraint "api_key_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "agreement" add constraint "agreement_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "partner_tier_history" add constraint "partner_tier_history_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "price_list_item" add constraint "price_list_item_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "service_point" add constraint "service_point_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "service_order" add constraint "service_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "service_order" add constraint "service_order_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade;`);
    this.addSql(`alter table "service_order" add constraint "service_order_service_point_id_foreign" foreign key ("service_point_id") references "service_point" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "rating" add constraint "rating_order_id_foreign" foreign key ("order_id") references "service_order" ("id") on update cascade;`);
    this.addSql(`alter table "rating" add constraint "rating_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade;`);
    this.addSql(`alter table "rating" add constraint "rating_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "complaint" add constraint "complaint_order_id_foreign" foreign key ("order_id") references "service_order" ("id") on update cascade;`);
    this.addSql(`alter table "complaint" add constraint "complaint_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade;`);
    this.addSql(`alter table "complaint" add constraint "complaint_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "settlement" add constraint "settlement_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "case_kpi" drop constraint "case_kpi_case_id_foreign";`);

    this.addSql(`alter table "service_order" drop constraint "service_order_customer_id_foreign";`);

    this.addSql(`alter table "rating" drop constraint "rating_customer_id_foreign";`);

    this.addSql(`alter table "complaint" drop constraint "complaint_customer_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_partner_id_foreign";`);

    this.addSql(`alter table "agreement" drop constraint "agreement_partner_id_foreign";`);

    this.addSql(`alter table "partner_tier_history" drop constraint "partner_tier_history_partner_id_foreign";`);

    this.addSql(`alter table "price_list_item" drop constraint "price_list_item_partner_id_foreign";`);

    this.addSql(`alter table "service_point" drop constraint "service_point_partner_id_foreign";`);

    this.addSql(`alter table "service_order" drop constraint "service_order_partner_id_foreign";`);

    this.addSql(`alter table "rating" drop constraint "rating_partner_id_foreign";`);

    this.addSql(`alter table "complaint" drop constraint "complaint_partner_id_foreign";`);

    this.addSql(`alter table "settlement" drop constraint "settlement_partner_id_foreign";`);

    this.addSql(`alter table "service_order" drop constraint "service_order_service_point_id_foreign";`);

    this.addSql(`alter table "rating" drop constraint "rating_order_id_foreign";`);

    this.addSql(`alter table "complaint" drop constraint "complaint_order_id_foreign";`);

    this.addSql(`drop table if exists "candidate_partner" cascade;`);

    this.addSql(`drop table if exists "collaboration_case" cascade;`);

    this.addSql(`drop table if exists "case_kpi" cascade;`);

    this.addSql(`drop table if exists "customer" cascade;`);

    this.addSql(`drop table if exists "partner" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop table if exists "agreement" cascade;`);

    this.addSql(`drop table if exists "partner_tier_history" cascade;`);

    this.addSql(`drop table if exists "price_list_item" cascade;`);

    this.addSql(`drop table if exists "report_indicator" cascade;`);

    this.addSql(`drop table if exists "seed_state" cascade;`);

    this.addSql(`drop table if exists "service_point" cascade;`);

    this.addSql(`drop table if exists "service_order" cascade;`);

    this.addSql(`drop table if exists "rating" cascade;`);

    this.addSql(`drop table if exists "complaint" cascade;`);

    this.addSql(`drop table if exists "settlement" cascade;`);
  }

}
