// Pagination, filtering and sorting of every root connection, walked from the schema.
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { createKey } from '../../src/auth/keys';
import { fullSchema } from '../../src/graphql/schema';
import { Role } from '../../src/permissions/tier';
import { projectionByName } from '../../src/graphql/projection';
import { startTestServer, type TestServer } from '../setup/server';

const schema = fullSchema();
const roots = Object.values(schema.getQueryType()!.getFields()).filter((f) => getNamedType(f.type).name.endsWith('Connection'));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // Some non-admin traffic, so that the access ledger has rows to page through.
  const { key } = await createKey(server.pool, { role: Role.ANALYST });
  for (let i = 0; i < 12; i++) await server.gql(`query Probe${i} { partners(first: ${i + 1}) { nodes { slug } } }`, undefined, key);
  await server.flushLedger();
  // Webhook endpoints and their delivery log. Written with now(): timestamps with microseconds,
  // which a cursor must keep exactly (a millisecond cursor skips and repeats rows here).
  await server.pool.query(`insert into webhook_endpoint (partner_id, url, secret, cursor, status, created_at)
    select id, 'https://hooks.example.com/' || slug, 'sealed', 'cursor', 'ACTIVE', now() from partner order by id limit 12`);
  await server.pool.query(`insert into webhook_delivery (endpoint_id, partner_id, message_id, event_type, event_op, event_id, feed_cursor, view, payload, status, created_at)
    select e.id, e.partner_id, 'msg_' || e.id || '_' || n, 'ServiceOrder', 'UPSERT', n::text, 'cursor', 'ANONYMIZED', '{}'::jsonb, 'SUCCEEDED', now() - make_interval(mins => n)
      from webhook_endpoint e cross join generate_series(1, 3) n`);
  // Service requests (dispatch), opened with now() like the rows above.
  await server.pool.query(`insert into service_request (service_type, city, customer_id, window_start, window_end, status, opened_at)
    select 'COURTESY_CAR', c.city, c.id, now(), now() + interval '30 minutes', 'UNALLOCATED', now() from customer c order by c.id limit 12`);
});

function nodeTypeOf(field: (typeof roots)[number]): GraphQLObjectType {
  const t = schema.getType(getNamedType(field.type).name.replace(/Connection$/, ''));
  if (!isObjectType(t)) throw new Error(`no node type for ${field.name}`);
  return t;
}

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await server.gql(query, variables);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data as T;
}

describe.each(roots.map((f) => [f.name, f] as const))('%s', (name, field) => {
  const node = nodeTypeOf(field);
  const meta = projectionByName(node.name)!;

  it('pages with opaque cursors, without gaps or repeats', async () => {
    const q = `query($first: Int, $after: String) { ${name}(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }`;
    const all = (await ok(q, { first: 9 }))[name];
    expect(all.totalCount).toBeGreaterThan(0);
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const conn: any = (await ok(q, { first: 3, after }))[name];
      expect(conn.pageInfo.hasPreviousPage).toBe(page > 0);
      ids.push(...conn.edges.map((e: any) => e.node.id));
      // Sealed: the bytes carry no readable sort values or ids.
      for (const e of conn.edges) {
        const bytes = Buffer.from(e.cursor, 'base64url').toString('latin1');
        expect(() => JSON.parse(bytes)).toThrow();
        expect(bytes).not.toContain('"o"');
      }
      after = conn.pageInfo.endCursor;
      if (!conn.pageInfo.hasNextPage) break;
    }
    expect(ids).toEqual(all.edges.map((e: any) => e.node.id));
  });

  it('filters with and/or/not and counts what it filters', async () => {
    const first = (await ok(`{ ${name}(first: 4) { nodes { id } } }`))[name].nodes.map((n: any) => n.id);
    const byIn = (await ok(`query($ids: [ID!]) { ${name}(where: { id: { in: $ids } }) { totalCount nodes { id } } }`, { ids: first.slice(0, 2) }))[name];
    expect(byIn.totalCount).toBe(Math.min(2, first.length));
    expect(byIn.nodes.map((n: any) => n.id).sort()).toEqual(first.slice(0, 2).sort());
    const combined = (
      await ok(
        `query($a: ID, $b: ID, $c: ID) { ${name}(where: { or: [{ id: { eq: $a } }, { id: { eq: $b } }, { id: { eq: $c } }], not: { id: { eq: $b } } }) { totalCount } }`,
        { a: first[0], b: first[1] ?? first[0], c: first[2] ?? first[0] },
      )
    )[name];
    expect(combined.totalCount).toBe(new Set([first[0], first[2] ?? first[0]].filter((x) => x !== (first[1] ?? first[0]))).size);
  });

  const sortable = meta.fields.filter((f) => f.info.sortable).map((f) => f.name);
  it.each(sortable)('sorts by %s both ways, stable across pages', async (key) => {
    const sample = (await ok(`{ ${name}(first: 40) { nodes { id } } }`))[name].nodes.map((n: any) => n.id);
    const q = `query($ids: [ID!], $dir: SortDirection, $first: Int, $after: String) { ${name}(first: $first, after: $after, where: { id: { in: $ids } }, orderBy: [{ ${key}: $dir }]) { pageInfo { endCursor hasNextPage } nodes { id ${key} } } }`;
    const asc = (await ok(q, { ids: sample, dir: 'ASC', first: 100 }))[name].nodes;
    const desc = (await ok(q, { ids: sample, dir: 'DESC', first: 100 }))[name].nodes;
    expect(asc).toHaveLength(sample.length);
    expect(asc.map((n: any) => n[key]).reverse()).toEqual(desc.map((n: any) => n[key]));
    const paged: any[] = [];
    let after: string | null = null;
    do {
      const conn: any = (await ok(q, { ids: sample, dir: 'DESC', first: 7, after }))[name];
      paged.push(...conn.nodes);
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    expect(paged.map((n) => n.id)).toEqual(desc.map((n: any) => n.id));
  });

  it('refuses a cursor from another ordering and a forged cursor', async () => {
    const conn = (await ok(`{ ${name}(first: 1) { pageInfo { endCursor } } }`))[name];
    // Every default order ends with the id ascending, so this is always another ordering.
    const other = await server.gql(`query($after: String) { ${name}(first: 1, after: $after, orderBy: [{ id: DESC }]) { nodes { id } } }`, { after: conn.pageInfo.endCursor });
    expect(other.body.errors?.[0].extensions?.code).toBe('BAD_CURSOR');
    const forged = await server.gql(`{ ${name}(first: 1, after: "bm90LWEtY3Vyc29y") { nodes { id } } }`);
    expect(forged.body.errors?.[0].extensions?.code).toBe('BAD_CURSOR');
  });
});

describe('filter operators', () => {
  it('match the rows SQL finds', async () => {
    const cases: [string, string, string][] = [
      ['partners', '{ category: { eq: CAPABILITY_COMPLEMENT } }', "select count(*)::int n from partner where category = 'CAPABILITY_COMPLEMENT'"],
      ['partners', '{ serviceTypes: { has: "CHARGING" } }', "select count(*)::int n from partner where 'CHARGING' = any(service_types)"],
      ['partners', '{ name: { contains: "a" }, status: { in: [ACTIVE, SUSPENDED] } }', "select count(*)::int n from partner where name ilike '%a%' and status in ('ACTIVE','SUSPENDED')"],
      ['serviceOrders', '{ amount: { gt: "200.00" }, channel: { eq: ONLINE } }', "select count(*)::int n from service_order where amount_minor > 20000 and channel = 'ONLINE'"],
      ['serviceOrders', '{ createdAt: { gte: "2026-01-01T00:00:00Z", lt: "2026-02-01T00:00:00Z" } }', "select count(*)::int n from service_order where created_at >= '2026-01-01Z' and created_at < '2026-02-01Z'"],
      ['customers', '{ ageBand: { eq: "30-39" } }', "select count(*)::int n from customer where extract(year from age(current_date, birth_date)) between 30 and 39"],
      ['settlements', '{ month: { eq: "2026-03-01" } }', "select count(*)::int n from settlement where month = '2026-03-01'"],
      ['collaborationCases', '{ year: { eq: 2024 }, not: { model: { eq: TECHNOLOGY_DRIVEN } } }', "select count(*)::int n from collaboration_case where year = 2024 and model <> 'TECHNOLOGY_DRIVEN'"],
    ];
    for (const [field, where, countSql] of cases) {
      const data = await ok(`{ ${field}(where: ${where}) { totalCount } }`);
      const expected = (await server.pool.query(countSql)).rows[0].n;
      expect(data[field].totalCount, `${field} ${where}`).toBe(expected);
    }
  });

  it('answer values out of a column range by matching nothing, and refuse NUL characters', async () => {
    const all = (await server.pool.query('select count(*)::int n from rating')).rows[0].n;
    expect((await ok('{ ratings(where: { score: { lte: 2000000000 } }) { totalCount } }')).ratings.totalCount).toBe(all);
    expect((await ok('{ ratings(where: { score: { in: [2000000000] } }) { totalCount } }')).ratings.totalCount).toBe(0);
    expect((await ok('{ partner(id: "99999999999") { slug } serviceOrders(where: { id: { eq: "4294967296" } }) { totalCount } }')).partner).toBeNull();
    const nul = await server.gql('query($n: String) { partners(where: { name: { eq: $n } }) { totalCount } }', { n: 'a\u0000b' });
    expect(nul.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('treat LIKE wildcards in contains as text', async () => {
    const data = await ok(`{ partners(where: { name: { contains: "%" } }) { totalCount } }`);
    expect(data.partners.totalCount).toBe(0);
  });

  it('reject page sizes over the maximum with a code', async () => {
    const res = await server.gql('{ partners(first: 1000000) { totalCount } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('PAGE_SIZE_EXCEEDED');
  });

  it('reject an orderBy entry that names two fields', async () => {
    const res = await server.gql('{ partners(orderBy: [{ name: ASC, slug: DESC }]) { totalCount } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('relations', () => {
  it('navigate partner -> orders -> customer and back', async () => {
    const data = await ok(`{ partners(first: 3, where: { reference: { eq: false } }) { nodes { id slug orders(first: 2) { totalCount nodes { id partner { id } customer { id name orders(first: 1) { totalCount } } } } } } }`);
    for (const p of data.partners.nodes) {
      const count = (await server.pool.query('select count(*)::int n from service_order where partner_id = $1', [Number(p.id)])).rows[0].n;
      expect(p.orders.totalCount).toBe(count);
      for (const o of p.orders.nodes) {
        expect(o.partner.id).toBe(p.id);
        expect(o.customer.name).toEqual(expect.any(String));
      }
    }
  });

  it('expose each case with its KPIs and relative change', async () => {
    const data = await ok(`{ collaborationCases(first: 50) { nodes { slug kpis { name valueBefore valueAfter reportedChangePct relativeChangePct } } } }`);
    const kpis = data.collaborationCases.nodes.flatMap((c: any) => c.kpis);
    expect(kpis.length).toBe((await server.pool.query('select count(*)::int n from case_kpi')).rows[0].n);
    const share = kpis.find((k: any) => k.valueBefore === '12.0000' && k.valueAfter === '28.0000');
    expect(share?.relativeChangePct).toBe('133.33');
  });
});
