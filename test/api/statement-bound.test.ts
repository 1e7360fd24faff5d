// A nested query costs the same number of SQL statements whatever the page size.
import { beforeAll, describe, expect, it } from 'vitest';
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

describe('SQL statements per request', () => {
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
