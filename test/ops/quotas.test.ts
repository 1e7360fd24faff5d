// Quotas per key (docs/operations.md, "Quotas"): budgets from the partner's agreement (or the
// role's default), the cost of an operation by tier, the quota headers, 429 with Retry-After
// and a code, admins unlimited; then two server processes sharing one budget through Redis.
//
// Minute budgets are fixed windows: a sequence that must stay inside one minute first waits
// for a fresh minute when the current one is about to end (at most a few seconds).
import crypto from 'node:crypto';
import { parse, type OperationDefinitionNode } from 'graphql';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { loadConfig } from '../../src/config';
import { fullSchema } from '../../src/graphql/schema';
import { Role } from '../../src/permissions/tier';
import { operationRowCost } from '../../src/server/quotas';
import { createActors, type Actors } from '../setup/actors';
import { useTestDatabase } from '../setup/database';
import { startTestServer, type GqlResponse, type TestServer } from '../setup/server';
import { freePort } from '../setup/ports';
import { redisReachable, REDIS_URL, startServerProcess, stopServerProcess, type ServerProcess } from '../setup/server-process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the next minute when fewer than `seconds` are left in this one. */
async function freshMinute(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await sleep(left + 100);
}

async function setAgreementQuota(pool: pg.Pool, partnerId: number, perMinute: number | null, perDay: number | null): Promise<void> {
  const res = await pool.query(
    `update agreement set rate_limit_per_minute = $2, daily_quota = $3
      where id = (select id from agreement where partner_id = $1 and valid_from <= current_date
                    and (valid_to is null or valid_to >= current_date) order by valid_from desc, id desc limit 1)`,
    [partnerId, perMinute, perDay],
  );
  expect(res.rowCount).toBe(1);
}

async function partnerKey(pool: pg.Pool, partnerId: number): Promise<string> {
  const slug = (await pool.query<{ slug: string }>('select slug from partner where id = $1', [partnerId])).rows[0]!.slug;
  return (await createKey(pool, { role: Role.PARTNER, partnerSlug: slug })).key;
}

const num = (r: GqlResponse, header: string): number => Number(r.headers.get(header));

const AGGREGATE = '{ partners { totalCount } }';
const ORDERS_10 = '{ serviceOrders(first: 10) { nodes { id amount } } }';
const CUSTOMERS_10 = '{ customers(first: 10) { nodes { id ageBand } } }';

describe('operation cost', () => {
  const pagination = loadConfig({ NODE_ENV: 'test' }).pagination;
  const rows = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
    return operationRowCost(fullSchema(), document, operation, variables, pagination);
  };

  it('charges rows of table-backed types, 3 per row whose anonymized values are read, nothing for aggregates', () => {
    expect(rows(AGGREGATE)).toBe(0);
    expect(rows('{ ecosystemMetrics(from: "2025-01-01", to: "2026-01-01") { periods total { points { period gmv } } } }')).toBe(0);
    expect(rows('{ __schema { types { name fields { name } } } }')).toBe(0);
    expect(rows(ORDERS_10)).toBe(10);
    expect(rows(CUSTOMERS_10)).toBe(30);
    // The relation itself does not make the order rows dearer; the customer rows cost 3 each.
    expect(rows('{ serviceOrders(first: 10) { nodes { id customer { ageBand } } } }')).toBe(40);
    expect(rows('{ serviceOrders(first: 10) { nodes { id customer { __typename } } } }')).toBe(20);
    expect(rows('{ serviceOrders { nodes { id } } }')).toBe(pagination.defaultPageSize);
    expect(rows('query($n: Int) { serviceOrders(first: $n) { nodes { id } } }', { n: 7 })).toBe(7);
    expect(rows('{ serviceOrders(first: 5) { ...F } } fragment F on ServiceOrderConnection { nodes { ...C } } fragment C on ServiceOrder { customer { id } }')).toBe(20);
    expect(rows('{ partners(first: 2) { nodes { orders(first: 3) { nodes { id } } } } }')).toBe(2 + 2 * 3);
  });
});

describe('quotas, counted in the process', () => {
  let server: TestServer;
  let actors: Actors;

  beforeAll(async () => {
    server = await startTestServer({ QUOTA_ANALYST_PER_MINUTE: '5000' });
    actors = await createActors(server.pool);
  });

  it("reads the budget from the partner's agreement, and sends the remaining budget in headers", async () => {
    await setAgreementQuota(server.pool, actors.partnerAId, 200, 100_000);
    const key = await partnerKey(server.pool, actors.partnerAId);
    await freshMinute(5);
    const agreements = await server.gql('{ agreements(first: 5) { nodes { rateLimitPerMinute dailyQuota } } }', {}, key);
    expect(agreements.body.data!.agreements.nodes).toContainEqual({ rateLimitPerMinute: 200, dailyQuota: 100_000 });
    const first = await server.gql(AGGREGATE, {}, key);
    const second = await server.gql(AGGREGATE, {}, key);
    for (const r of [first, second]) {
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit-limit')).toBe('200');
      expect(num(r, 'ratelimit-reset')).toBeGreaterThanOrEqual(1);
      expect(num(r, 'ratelimit-reset')).toBeLessThanOrEqual(60);
      expect(r.headers.get('x-quota-limit-day')).toBe('100000');
    }
    // 1 + 5 rows for the agreements query (a page of 5 is charged as 5 rows), then 1 per aggregate.
    expect(num(agreements, 'ratelimit-remaining')).toBe(200 - 6);
    expect(num(first, 'ratelimit-remaining')).toBe(200 - 6 - 1);
    expect(num(second, 'ratelimit-remaining')).toBe(num(first, 'ratelimit-remaining') - 1);
    expect(num(second, 'x-quota-remaining-day')).toBe(num(first, 'x-quota-remaining-day') - 1);
  });

  it('charges mutations like queries: 1 unit plus the rows their payload reads', async () => {
    const key = actors.partnerB;
    const mutate = (price: string) =>
      server.gql(`mutation { upsertPriceListItem(input: { serviceType: "QUOTA_TEST", unit: PER_USE, price: "${price}" }) { priceListItem { price partner { priceList(first: 10) { nodes { price } } } } } }`, {}, key);
    const first = await mutate('1.00');
    const second = await mutate('2.00');
    expect([first.status, second.status]).toEqual([200, 200]);
    // 1 + the payload's item + its partner + a page of 10 prices.
    expect(num(first, 'x-quota-remaining-day') - num(second, 'x-quota-remaining-day')).toBe(13);
  });

  it('charges an anonymized pull more than a public one, and a public one more than an aggregate', async () => {
    const key = await partnerKey(server.pool, actors.partnerAId);
    const spent: Record<string, number> = {};
    let before = (await server.gql(AGGREGATE, {}, key)).headers;
    for (const [name, query] of [['aggregate', AGGREGATE], ['orders', ORDERS_10], ['customers', CUSTOMERS_10]] as const) {
      const r = await server.gql(query, {}, key);
      expect(r.status, JSON.stringify(r.body.errors)).toBe(200);
      spent[name] = Number(before.get('x-quota-remaining-day')) - num(r, 'x-quota-remaining-day');
      before = r.headers;
    }
    expect(spent).toEqual({ aggregate: 1, orders: 1 + 10, customers: 1 + 10 * 3 });
  });

  it('refuses with 429, Retry-After and RATE_LIMITED once the minute budget is spent', async () => {
    await setAgreementQuota(server.pool, actors.partnerBId, 30, null);
    const key = await partnerKey(server.pool, actors.partnerBId);
    await freshMinute(8);
    // More than the whole budget: never satisfiable, so not a 429 to retry but a 400 (1 unit).
    const huge = await server.gql('{ serviceOrders(first: 50) { nodes { id } } }', {}, key);
    expect(huge.status).toBe(400);
    expect(huge.body.errors![0]!.extensions!.code).toBe('QUERY_TOO_COSTLY');
    // 4 × 6 units: 25 of 30 spent.
    for (let i = 0; i < 4; i++) expect((await server.gql('{ serviceOrders(first: 5) { nodes { id } } }', {}, key)).status).toBe(200);
    // 11 units do not fit in the 5 left: refused once the operation's rows are known.
    const refused = await server.gql(ORDERS_10, {}, key);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    expect(refused.body.data).toBeUndefined();
    expect(num(refused, 'retry-after')).toBeGreaterThanOrEqual(1);
    expect(num(refused, 'retry-after')).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('4');
    // No daily quota in the agreement: the partners' default applies (26 units spent so far).
    expect(num(refused, 'x-quota-remaining-day')).toBe(server.config.quotas.byRole.PARTNER.perDay! - 26);
    // What still fits passes, until not even the request's own unit does.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await server.gql(AGGREGATE, {}, key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const spentOut = await server.gql(AGGREGATE, {}, key);
    expect(spentOut.status).toBe(429);
    expect(spentOut.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    expect(spentOut.headers.get('ratelimit-remaining')).toBe('0');
    expect(num(spentOut, 'retry-after')).toBe(num(spentOut, 'ratelimit-reset'));
    // Another key of the same partner has its own budget.
    expect((await server.gql(AGGREGATE, {}, await partnerKey(server.pool, actors.partnerBId))).status).toBe(200);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/ecograph_quota_refusals_total\{role="PARTNER",code="RATE_LIMITED"\} [1-9]/);
  });

  it('refuses with QUOTA_EXCEEDED once the daily quota is spent, until 00:00 UTC', async () => {
    await setAgreementQuota(server.pool, actors.publicPartnerId, null, 5);
    const key = await partnerKey(server.pool, actors.publicPartnerId);
    const statuses: number[] = [];
    let last: GqlResponse | undefined;
    for (let i = 0; i < 6; i++) {
      last = await server.gql(AGGREGATE, {}, key);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.body.errors![0]!.extensions!.code).toBe('QUOTA_EXCEEDED');
    const untilMidnight = Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
    expect(Math.abs(num(last!, 'retry-after') - untilMidnight)).toBeLessThanOrEqual(5);
    expect(last!.headers.get('x-quota-remaining-day')).toBe('0');
    // No agreement limit per minute: the partners' default applies.
    expect(last!.headers.get('ratelimit-limit')).toBe(String(server.config.quotas.byRole.PARTNER.perMinute));
  });

  it('charges 1 unit for a request that names no operation of its document, and answers 400', async () => {
    const ask = () =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${actors.analyst}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query A { serviceOrders(first: 10) { nodes { id } } }', operationName: 'Nope' }),
      });
    await freshMinute(5);
    const first = await ask();
    const second = await ask();
    expect([first.status, second.status]).toEqual([400, 400]);
    expect(Number(first.headers.get('ratelimit-remaining')) - Number(second.headers.get('ratelimit-remaining'))).toBe(1);
  });

  it('applies the role defaults to internal keys, and none to admins', async () => {
    const analyst = await server.gql(AGGREGATE, {}, actors.analyst);
    expect(analyst.headers.get('ratelimit-limit')).toBe('5000');
    for (let i = 0; i < 3; i++) {
      const admin = await server.gql('{ customers(first: 100) { nodes { id birthDate } } }', {}, actors.admin);
      expect(admin.status).toBe(200);
      expect(admin.headers.get('ratelimit-limit')).toBeNull();
      expect(admin.headers.get('x-quota-remaining-day')).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Two server processes, one Redis: the budget is spent once, whichever replica answers.

describe('quotas when Redis is unreachable', () => {
  it('the server starts and each process enforces the budget on its own, counting the failures', async () => {
    const server = await startTestServer({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, QUOTA_ANALYST_PER_MINUTE: '3' });
    const actors = await createActors(server.pool);
    await freshMinute(5);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await server.gql(AGGREGATE, {}, actors.analyst));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/ecograph_quota_store_errors_total [4-9]/);
  });
});

describe('quotas shared through Redis', () => {
  const BUDGET = 40;
  const prefix = `ecograph-test:${process.pid}-${crypto.randomBytes(4).toString('hex')}:`;
  const children: ServerProcess[] = [];
  let redis: Redis | undefined;
  let pool: pg.Pool | undefined;
  let key: string;

  beforeAll(async () => {
    redis = await redisReachable();
    if (!redis) {
      console.warn(`quotas.test.ts: no Redis at ${REDIS_URL} (set TEST_REDIS_URL for another): SKIPPING the test of a budget shared by two servers`);
      return;
    }
    const databaseUrl = await useTestDatabase();
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const partner = (
      await pool.query<{ id: number }>(`
        select p.id from partner p
         where p.status <> 'EXITED'
           and exists (select 1 from agreement a where a.partner_id = p.id and a.valid_from <= current_date and (a.valid_to is null or a.valid_to >= current_date))
         order by p.id limit 1`)
    ).rows[0]!.id;
    await setAgreementQuota(pool, partner, BUDGET, 1_000);
    key = await partnerKey(pool, partner);
    const env = { DATABASE_URL: databaseUrl, REDIS_URL, QUOTA_REDIS_PREFIX: prefix };
    children.push(...(await Promise.all([startServerProcess('server A', env, 15_000), startServerProcess('server B', env, 15_000)])));
  });

  afterAll(async () => {
    await Promise.all(children.map(stopServerProcess));
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await pool?.end();
  });

  it('two server processes spend one budget between them', async (ctx) => {
    if (!redis) {
      ctx.skip();
      return;
    }
    const [a, b] = children as [ServerProcess, ServerProcess];
    const ask = (c: ServerProcess) =>
      fetch(`${c.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: AGGREGATE }),
      });

    await freshMinute(8);
    // One after the other, alternating: the remaining budget counts down across both servers.
    const remaining: number[] = [];
    for (let i = 0; i < BUDGET / 2; i++) {
      const res = await ask(i % 2 === 0 ? a : b);
      expect(res.status, await res.text()).toBe(200);
      remaining.push(Number(res.headers.get('ratelimit-remaining')));
      expect(Number(res.headers.get('x-quota-remaining-day'))).toBe(1_000 - (i + 1));
    }
    expect(remaining).toEqual(Array.from({ length: BUDGET / 2 }, (_, i) => BUDGET - (i + 1)));
    // Then a burst on both at once, twice what is left: exactly what is left gets through.
    const burst = await Promise.all(Array.from({ length: BUDGET }, (_, i) => ask(i % 2 === 0 ? a : b)));
    const accepted = burst.filter((r) => r.status === 200).length;
    const refused = burst.filter((r) => r.status === 429);
    expect(accepted + refused.length, 'every answer is 200 or 429').toBe(BUDGET);
    expect(remaining.length + accepted).toBe(BUDGET);
    for (const r of refused) {
      expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Both replicas counted in Redis: no fallback to per-process counting.
    for (const c of children) expect(c.output()).not.toMatch(/counting per process/);
    expect((await redis.keys(`${prefix}*`)).length).toBe(2);
  }, 20_000);
});
