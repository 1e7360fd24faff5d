// A nested query costs the same number of SQL statements whatever the page size.
import { beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { Role } from '../../src/permissions/tier';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const nested = `query($n: Int) {
  partners(first: $n) {
    totalCount
    nodes {
      slug
      servicePoints(first: 3) { nodes { name city } }
      agreements(first: 1) { nodes { settlementModel dataTier } }
      orders(first: 5) {
        totalCount
        nodes { amount createdAt customer { ageBand district orders(first: 2) { nodes { id } } } rating { score } servicePoint { name } }
      }
    }
  }
}`;

const orders = `query($n: Int) {
  serviceOrders(first: $n) {
    nodes {
      id amount
      customer { ageBand orders(first: 3) { totalCount nodes { id partner { slug } } } }
      partner { slug servicePoints(first: 2) { nodes { name } } }
      servicePoint { name }
      rating { score }
      complaints(first: 2) { nodes { category } }
    }
  }
}`;

describe('SQL statements per request', () => {
  it('are the same at page size 10 and 100', async () => {
    const small = await server.gql(orders, { n: 10 });
    const large = await server.gql(orders, { n: 100 });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    expect((large.body.data as any).serviceOrders.nodes).toHaveLength(100);
    expect(large.statements).toBe(small.statements);
    // orders, customers, customers' orders + their count, partners (one loader for both
    // levels' partners may split in two), service points x2, ratings, complaints.
    expect(small.statements).toBeLessThanOrEqual(11);
  });

  it('do not grow with the page size', async () => {
    const small = await server.gql(nested, { n: 10 });
    const large = await server.gql(nested, { n: 60 });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    expect((large.body.data as any).partners.nodes).toHaveLength(60);
    expect(small.statements).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
    // partners, count, service points, agreements, orders, order count, customers,
    // customers' orders, ratings, service points of orders.
    expect(small.statements).toBeLessThanOrEqual(10);
  });
});

describe('lookups by a unique key', () => {
  it('read their row once: one statement, one row in the ledger, relations still answered', async () => {
    const { key } = await createKey(server.pool, { role: Role.ANALYST });
    const partner = await server.gql('query OnePartner { partner(slug: "dianping") { id slug name status } }', undefined, key);
    expect(partner.body.errors).toBeUndefined();
    expect((partner.body.data as any).partner.slug).toBe('dianping');
    expect(partner.statements).toBe(1);
    await server.flushLedger();
    const { rows } = await server.pool.query("select row_count from access_ledger where operation_name = 'OnePartner'");
    expect(rows).toEqual([{ row_count: 1 }]);
    const withRelations = await server.gql('{ partner(slug: "dianping") { slug servicePoints(first: 2) { nodes { name } } } }');
    expect((withRelations.body.data as any).partner.servicePoints.nodes.length).toBeGreaterThan(0);
    const missing = await server.gql('{ partner(slug: "no-such-partner") { slug } }');
    expect(missing.body).toEqual({ data: { partner: null } });
    const [slug] = (await server.pool.query<{ slug: string }>('select slug from collaboration_case order by id limit 1')).rows.map((r) => r.slug);
    const kase = await server.gql(`{ collaborationCase(slug: ${JSON.stringify(slug)}) { slug } }`);
    expect((kase.body.data as any).collaborationCase.slug).toBe(slug);
    expect(kase.statements).toBe(1);
  });
});
