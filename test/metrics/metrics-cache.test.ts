// Metric answers from a cache: the same answer until the rollups are refreshed, a new order
// visible after the refresh and never before it, never stale after it; ETag and 304; each
// caller's cut cached apart; settlements and partner names invalidate it too.
import { beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { refreshStale } from '../../src/metrics/rollups/refresh';
import { Role } from '../../src/permissions/tier';
import { createActors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

const QUERY = `query Gmv($from: Date!, $to: Date!) { ecosystemMetrics(from: $from, to: $to, granularity: MONTH, groupBy: TOTAL) { series { points { period orders } } } }`;

let server: TestServer;
let dashboard: string;
let month: { from: string; to: string };

async function get(key: string, headers: Record<string, string> = {}) {
  const url = new URL(`${server.url}/graphql`);
  url.searchParams.set('query', QUERY);
  url.searchParams.set('variables', JSON.stringify(month));
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true', ...headers } });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), cacheControl: res.headers.get('cache-control'), statements: Number(res.headers.get('x-sql-statements')), text };
}

const ordersIn = (text: string) => JSON.parse(text).data.ecosystemMetrics.series[0].points[0].orders as number;

beforeAll(async () => {
  server = await startTestServer();
  dashboard = (await createKey(server.pool, { role: Role.DASHBOARD })).key;
  // The month of the newest seeded order: the one a new order joins.
  const [m] = (await server.pool.query<{ from: string; to: string }>(`select to_char(date_trunc('month', max(created_at) at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as "from",
      to_char(date_trunc('month', max(created_at) at time zone 'Asia/Shanghai') + interval '1 month', 'YYYY-MM-DD') as "to" from service_order`)).rows;
  month = m!;
  // The listener connects in the background: wait until answers carry an ETag.
  for (let i = 0; i < 50 && !(await get(dashboard)).etag; i++) await new Promise((r) => setTimeout(r, 100));
});

describe('the metrics cache', () => {
  it('answers again from the cache, with the same ETag and no query of the figures', async () => {
    const first = await get(dashboard);
    const second = await get(dashboard);
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"m[\w-]+"$/);
    expect(first.cacheControl).toBe('private, no-cache');
    expect(second.text).toBe(first.text);
    expect(second.etag).toBe(first.etag);
    // Authentication and the version read only.
    expect(second.statements).toBeLessThanOrEqual(2);
  });

  it('answers 304 without a body to a client that holds the current answer', async () => {
    const { etag } = await get(dashboard);
    const again = await get(dashboard, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await get(dashboard, { 'if-none-match': '"m-something-else"' })).status).toBe(200);
  });

  it('shows a new order after the refresh, never before it, and never a stale answer after it', async () => {
    const before = await get(dashboard);
    await server.pool.query(`insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, amount_minor)
      select customer_id, partner_id, service_type, city, channel, 'CREATED', ($1::date + interval '1 day') at time zone 'Asia/Shanghai', 1000
        from service_order order by id limit 1`, [month.from]);
    const unrefreshed = await get(dashboard);
    expect(ordersIn(unrefreshed.text)).toBe(ordersIn(before.text));
    expect(unrefreshed.etag).toBe(before.etag);
    expect(await refreshStale(server.pool)).not.toEqual([]);
    // At once after the refresh (no wait for any notification): the new figure, a new ETag.
    const after = await get(dashboard, { 'if-none-match': before.etag! });
    expect(after.status).toBe(200);
    expect(ordersIn(after.text)).toBe(ordersIn(before.text) + 1);
    expect(after.etag).not.toBe(before.etag);
  });

  it('keeps each caller’s cut apart', async () => {
    const admin = await get('test-admin-key-0123456789abcdef');
    const dash = await get(dashboard);
    expect(admin.etag).toBeTruthy();
    // Same figures here (TOTAL orders are PUBLIC), but cached under different keys: both hit.
    expect((await get('test-admin-key-0123456789abcdef')).statements).toBeLessThanOrEqual(2);
    expect(dash.statements).toBeLessThanOrEqual(2);
  });

  it('never hands one partner another partner’s cached answer', async () => {
    const actors = await createActors(server.pool);
    const q = `query P($from: Date!, $to: Date!) { ecosystemMetrics(from: $from, to: $to, granularity: MONTH, groupBy: TOTAL) { total { points { orders } } } }`;
    const ask = async (key: string) => JSON.stringify((await server.gql(q, month, key)).body);
    const a1 = await ask(actors.partnerA);
    const b1 = await ask(actors.partnerB);
    // Each partner's noise is its own (docs/partners.md): the same question, different answers,
    // each the same from the cache the second time.
    expect(b1).not.toBe(a1);
    expect(await ask(actors.partnerA)).toBe(a1);
    expect(await ask(actors.partnerB)).toBe(b1);
  });

  it('is emptied when a settlement or a partner changes', async () => {
    const settled = `query S($from: Date!, $to: Date!) { ecosystemMetrics(from: $from, to: $to, granularity: MONTH, groupBy: TOTAL) { series { points { settlementGross } } } }`;
    const ask = async () => {
      const res = await server.gql(settled, month);
      return res.body.data!.ecosystemMetrics.series[0].points[0].settlementGross as string;
    };
    const before = await ask();
    expect(await ask()).toBe(before);
    await server.pool.query(`update settlement set gross_minor = gross_minor + 100 where id = (select min(id) from settlement where month = $1::date)`, [month.from]);
    let now = before;
    for (let i = 0; i < 50 && now === before; i++) {
      await new Promise((r) => setTimeout(r, 50));
      now = await ask();
    }
    expect(now).not.toBe(before);
  });

  it('counts every cached answer in the access ledger like any other', async () => {
    const partnerKey = (await createKey(server.pool, { role: Role.ANALYST })).key;
    await get(partnerKey);
    await get(partnerKey);
    await server.flushLedger();
    const { rows } = await server.pool.query(`select count(*)::int as n from access_ledger where operation_name = 'Gmv' and role = 'ANALYST'`);
    expect(rows[0].n).toBe(2);
  });
});

describe('the metrics cache bounds', () => {
  it('holds at most its entries and its bytes, oldest out first, and never an answer larger than the whole budget', async () => {
    const { MetricsCache } = await import('../../src/metrics/cache/metrics-cache');
    const cache = new MetricsCache(3, 10_000);
    cache.setListening(true);
    const put = (key: string, chars: number) => cache.put(key, cache.currentGeneration, 'x'.repeat(chars), 1);
    put('a', 100);
    put('b', 100);
    put('c', 100);
    put('d', 100);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    put('e', 4_800); // 9.7 KB: b, c and d have to go to make room
    expect(cache.get('e')).toBeDefined();
    expect(cache.heldBytes).toBeLessThanOrEqual(10_000);
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([undefined, undefined, undefined]);
    put('huge', 6_000);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('e')).toBeDefined();
    cache.invalidate();
    expect([cache.size, cache.heldBytes]).toEqual([0, 0]);
  });
});
