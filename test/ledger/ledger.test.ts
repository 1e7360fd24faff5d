// Every non-admin request lands in the access ledger with what it read by tier and what it
// only filtered on; partners read their own records, admins everyone's.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
});

describe('access ledger', () => {
  it('records each partner request with fields by tier, filter-only fields and rows', async () => {
    const q = `query PullCustomers { customers(first: 3, where: { gender: { eq: FEMALE } }, orderBy: [{ city: ASC }]) { nodes { id ageBand city } } }`;
    const a = await server.gql(q, undefined, actors.partnerA);
    expect(a.body.errors).toBeUndefined();
    const rows = (a.body.data as any).customers.nodes.length;
    await server.gql('query PullB { partners(first: 2) { nodes { slug } } }', undefined, actors.partnerB);
    await server.gql('{ partners(first: 1) { nodes { slug } } }'); // admin: not recorded
    await server.flushLedger();

    const all = await server.gql(`{ accessLedger(first: 50) { totalCount nodes { role partnerId operationName operationHash publicFields anonymizedFields sensitiveFields filterFields rowCount errorCodes } } }`);
    expect(all.body.errors).toBeUndefined();
    const nodes = (all.body.data as any).accessLedger.nodes;
    const mine = nodes.find((n: any) => n.operationName === 'PullCustomers');
    expect(mine).toMatchObject({ role: 'PARTNER', partnerId: actors.partnerAId, sensitiveFields: [], rowCount: rows, errorCodes: [] });
    expect(mine.anonymizedFields).toEqual(expect.arrayContaining(['Customer.id', 'Customer.ageBand', 'Customer.city']));
    expect(mine.filterFields).toEqual(['Customer.gender']);
    expect(mine.operationHash).toMatch(/^[0-9a-f]{64}$/);
    expect(nodes.find((n: any) => n.operationName === 'PullB')).toMatchObject({ partnerId: actors.partnerBId });
    expect(nodes.every((n: any) => n.role !== 'ADMIN')).toBe(true);
  });

  it('shows a partner its own records only, and analysts none', async () => {
    await server.gql('{ partners(first: 1) { nodes { slug } } }', undefined, actors.partnerB);
    await server.flushLedger();
    const own = await server.gql('{ accessLedger(first: 100) { totalCount nodes { partnerId } } }', undefined, actors.partnerA);
    expect(own.body.errors).toBeUndefined();
    const nodes = (own.body.data as any).accessLedger.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n: any) => n.partnerId === actors.partnerAId)).toBe(true);
    const analyst = await server.gql('{ accessLedger { totalCount } }', undefined, actors.analyst);
    expect(analyst.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('records refused requests with their error code', async () => {
    await server.gql('query Bad { partners(first: 100000) { totalCount } }', undefined, actors.partnerA);
    await server.flushLedger();
    const res = await server.pool.query("select error_codes from access_ledger where operation_name = 'Bad'");
    expect(res.rows[0].error_codes).toEqual(['PAGE_SIZE_EXCEEDED']);
  });

  it('answers no partner request it cannot record: 503 LEDGER_UNAVAILABLE, no data', async () => {
    const q = 'query Unrecorded { partners(first: 1) { nodes { slug } } }';
    await server.pool.query('alter table access_ledger rename to access_ledger_away');
    try {
      const refused = await server.gql(q, undefined, actors.partnerA);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(refused.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'LEDGER_UNAVAILABLE' } })] });
      // The metrics count the code the client got, not the answer it replaced.
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/ecograph_graphql_errors_total\{code="LEDGER_UNAVAILABLE"\} [1-9]/);
      // Admins' reads are not recorded, so they go on.
      expect((await server.gql(q)).status).toBe(200);
    } finally {
      await server.pool.query('alter table access_ledger_away rename to access_ledger');
    }
    const again = await server.gql(q, undefined, actors.partnerA);
    expect(again.status).toBe(200);
    const { rows } = await server.pool.query("select count(*)::int as n from access_ledger where operation_name = 'Unrecorded'");
    expect(rows[0].n).toBe(1);
  });
});
