// Depth, alias and cost limits, page size, body size, batching: each refusal is a 4xx with
// a machine-readable code, never a 500, and error messages reveal nothing extra.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MAX_QUERY_DEPTH: '8', MAX_ALIASES: '20', MAX_QUERY_COST: '5000' });
});

async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}`, ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as any };
}

describe('gateway limits', () => {
  it('refuse a query deeper than the limit', async () => {
    const deep = '{ partners { nodes { orders { nodes { customer { orders { nodes { partner { slug } } } } } } } } }';
    const res = await post(JSON.stringify({ query: deep }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
  });

  it('refuse an alias flood', async () => {
    const query = `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const res = await post(JSON.stringify({ query }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('TOO_MANY_ALIASES');
  });

  it('refuse a query that could return too many rows, counting variables', async () => {
    const query = 'query($n: Int) { partners(first: $n) { nodes { orders(first: $n) { nodes { id } } } } }';
    const costly = await post(JSON.stringify({ query, variables: { n: 100 } }));
    expect(costly.status).toBe(400);
    expect(costly.json.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    const cheap = await post(JSON.stringify({ query, variables: { n: 2 } }));
    expect(cheap.status).toBe(200);
    expect(cheap.json.errors).toBeUndefined();
  });

  it('refuse batched operations', async () => {
    const res = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(res.status).toBe(400);
    expect(res.status).toBeLessThan(500);
  });

  it('refuse bodies over the limit and malformed JSON with codes', async () => {
    const big = await post(JSON.stringify({ query: `{ __typename } # ${'x'.repeat(1_100_000)}` }));
    expect(big.status).toBe(413);
    expect(big.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await post('{"query": ');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].extensions.code).toBe('BAD_JSON');
  });

  it('answer syntax errors with 400 and no stack trace', async () => {
    const res = await post(JSON.stringify({ query: '{ partners { ' }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.text).not.toMatch(/stacktrace|at .*\.js:\d+/);
  });

  it('never suggest field names', async () => {
    const res = await post(JSON.stringify({ query: '{ partnrs { totalCount } customers { nodes { nam } } }' }));
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/Did you mean/);
  });

  it('support @include and @skip', async () => {
    const res = await post(JSON.stringify({ query: 'query($x: Boolean!) { partners(first: 1) { totalCount @include(if: $x) nodes { slug @skip(if: $x) } } }', variables: { x: true } }));
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.partners.totalCount).toBeGreaterThan(0);
    expect(res.json.data.partners.nodes[0]).toEqual({});
  });
});
