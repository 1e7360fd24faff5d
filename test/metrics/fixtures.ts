// Hand-built fixtures for the metrics rules: an empty database with the migrations applied, and
// small helpers that insert exactly the rows a test describes.
import 'reflect-metadata';
import { afterAll } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { graphql, parse, specifiedDirectives, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type pg from 'pg';
import { buildSchemaSync } from 'type-graphql';
import { Pseudonymizer } from '../../src/anonymisation/pseudonym';
import { principal } from '../../src/auth/principal';
import { loadConfig, type Config } from '../../src/config';
import { CursorCodec } from '../../src/db/cursor';
import { migrate } from '../../src/db/database';
import { Executor } from '../../src/db/executor';
import { ormConfig } from '../../src/db/orm.config';
import { createPool } from '../../src/db/pool';
import { tierDirective } from '../../src/graphql/tier-directive';
import { metricsRuleResolvers } from '../../src/metrics/resolvers';
import { checkOperation, shieldRules } from '../../src/permissions/shield';
import { Role, Tier } from '../../src/permissions/tier';
import type { Context } from '../../src/server/context';
import { TEST_SECRET } from '../setup/constants';
import { useEmptyDatabase } from '../setup/database';

export const testConfig = (env: Record<string, string> = {}): Config => loadConfig({ NODE_ENV: 'test', ...env });

/** A migrated, empty database for this file and a pool on it (dates as strings, like the API's). */
export async function migratedDatabase(): Promise<pg.Pool> {
  const url = await useEmptyDatabase();
  const config = testConfig();
  const orm = await MikroORM.init(ormConfig(url, config));
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
  const pool = createPool(url, config);
  afterAll(() => pool.end());
  return pool;
}

export function context(pool: pg.Pool, role: Role, opts: { partnerId?: number; config?: Config } = {}): Context {
  const config = opts.config ?? testConfig();
  return {
    principal: principal(role, { partnerId: opts.partnerId, grantedTier: Tier.PUBLIC }),
    exec: new Executor(pool),
    services: { config, cursors: new CursorCodec(TEST_SECRET), pseudonyms: new Pseudonymizer(TEST_SECRET), secretKey: TEST_SECRET },
    memo: new Map(),
    requestId: 'test',
    rows: 0,
  };
}

let schema: GraphQLSchema | undefined;
/** The metrics resolvers alone. */
export function metricsSchema(): GraphQLSchema {
  schema ??= buildSchemaSync({ resolvers: [...metricsRuleResolvers], directives: [...specifiedDirectives, tierDirective], validate: false });
  return schema;
}

/** Executes like the server does: the generated shield rules decide first, then execution. */
export async function run(args: { source: string; variableValues?: Record<string, unknown>; contextValue: Context }): Promise<ExecutionResult> {
  const s = metricsSchema();
  const denied = await checkOperation(shieldRules(s), s, parse(args.source), args.contextValue);
  if (denied) return { errors: [denied] };
  return graphql({ schema: s, ...args });
}

const customers = new WeakMap<pg.Pool, number>();
async function customer(pool: pg.Pool): Promise<number> {
  const known = customers.get(pool);
  if (known !== undefined) return known;
  const r = await pool.query<{ id: number }>(
    `insert into customer (name, national_id, phone, email, birth_date, gender, city, district, street_address, membership_level, consent_data_sharing, created_at)
     values ('测试', '110101199001011234', '13800000000', 't@example.com', '1990-01-01', 'UNDISCLOSED', 'Shanghai', 'Pudong', '1 Test Road', 'STANDARD', true, '2025-01-01T00:00:00Z')
     returning id`,
  );
  customers.set(pool, r.rows[0]!.id);
  return r.rows[0]!.id;
}

export async function addPartner(pool: pg.Pool, slug: string, opts: { joinedOn?: string; name?: string } = {}): Promise<number> {
  const r = await pool.query<{ id: number }>(
    `insert into partner (slug, name, name_en, category, industry, service_types, cities, api_openness, joined_on)
     values ($1, $2, $1, 'CAPABILITY_COMPLEMENT', 'test', '{CAR_WASH}', '{Shanghai}', 'PARTNER_API', $3) returning id`,
    [slug, opts.name ?? `Partner ${slug}`, opts.joinedOn ?? '2025-12-01'],
  );
  return r.rows[0]!.id;
}

export interface AgreementSpec {
  model: 'COMMISSION' | 'REVENUE_SHARE' | 'PLATFORM_FEE';
  commissionRate?: string;
  revenueShareRate?: string;
  monthlyFeeMinor?: number;
  slaMinutes?: number;
  validFrom?: string;
  validTo?: string | null;
}

export async function addAgreement(pool: pg.Pool, partnerId: number, a: AgreementSpec): Promise<void> {
  await pool.query(
    `insert into agreement (partner_id, sla_response_minutes, pricing_model, price_minor, settlement_model, commission_rate, revenue_share_rate, monthly_fee_minor, valid_from, valid_to)
     values ($1, $2, 'PER_USE', 0, $3, $4, $5, $6, $7, $8)`,
    [partnerId, a.slaMinutes ?? 30, a.model, a.commissionRate ?? null, a.revenueShareRate ?? null, a.monthlyFeeMinor ?? null, a.validFrom ?? '2025-01-01', a.validTo ?? null],
  );
}

export async function addPrice(pool: pg.Pool, partnerId: number, serviceType: string, unit: string, priceMinor: number): Promise<void> {
  await pool.query(`insert into price_list_item (partner_id, service_type, unit, price_minor) values ($1, $2, $3, $4)`, [partnerId, serviceType, unit, priceMinor]);
}

export interface OrderSpec {
  /** timestamptz text, e.g. '2026-01-15T10:00:00+08:00' */
  at: string;
  status?: 'CREATED' | 'IN_PROGRESS' | 'FULFILLED' | 'CANCELLED';
  amountMinor?: number;
  serviceType?: string;
  /** null: not answered */
  responseMinutes?: number | null;
  /** 1-5: the order is rated */
  score?: number;
  /** true: a resolved complaint, false: an open one */
  complaint?: boolean;
}

/** Inserts orders (and their ratings and complaints) in one statement. */
export async function addOrders(pool: pg.Pool, partnerId: number, orders: OrderSpec[]): Promise<void> {
  if (orders.length === 0) return;
  const c = await customer(pool);
  const rows = orders.map((o) => ({
    created_at: o.at,
    status: o.status ?? 'FULFILLED',
    amount_minor: o.amountMinor ?? 10_000,
    service_type: o.serviceType ?? 'CAR_WASH',
    response_minutes: o.responseMinutes === undefined ? 10 : o.responseMinutes,
    score: o.score ?? null,
    complaint: o.complaint ?? null,
  }));
  await pool.query(
    `WITH x AS MATERIALIZED (
       SELECT nextval(pg_get_serial_sequence('service_order', 'id'))::int AS id, x.*
       FROM jsonb_to_recordset($1::jsonb) AS x(created_at timestamptz, status text, amount_minor bigint, service_type text,
                                               response_minutes int, score int, complaint boolean)
     ),
     o AS (
       INSERT INTO service_order (id, customer_id, partner_id, service_type, city, channel, status, created_at, fulfilled_at, response_minutes, amount_minor)
       SELECT id, $2, $3, service_type, 'Shanghai', 'ONLINE', status, created_at,
              CASE WHEN status = 'FULFILLED' THEN created_at + interval '2 hours' END, response_minutes, amount_minor
       FROM x RETURNING id
     ),
     r AS (
       INSERT INTO rating (order_id, partner_id, customer_id, score, created_at)
       SELECT id, $3, $2, score, created_at + interval '1 day' FROM x WHERE score IS NOT NULL
     ),
     k AS (
       INSERT INTO complaint (order_id, partner_id, customer_id, category, resolved, created_at, resolved_at)
       SELECT id, $3, $2, 'SERVICE_QUALITY', complaint, created_at + interval '1 day',
              CASE WHEN complaint THEN created_at + interval '2 days' END
       FROM x WHERE complaint IS NOT NULL
     )
     SELECT count(*) FROM o`,
    [JSON.stringify(rows), c, partnerId],
  );
}

/** n orders on day `day` of a month ('2026-01'), 10:00 Shanghai time, built by `make(i)`. */
export function ordersIn(month: string, n: number, make: (i: number) => Partial<OrderSpec> = () => ({})): OrderSpec[] {
  return Array.from({ length: n }, (_, i) => ({ at: `${month}-15T10:00:00+08:00`, ...make(i) }));
}
