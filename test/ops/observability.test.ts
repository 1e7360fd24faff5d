// Request logs and /metrics: one JSON line per request with the id, role, partner, operation,
// duration, status and error codes, and nothing a caller sent or a row held (no key, no
// Authorization header, no SENSITIVE value); Prometheus metrics with bounded labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/server/logger';
import { MAX_OPERATION_NAMES } from '../../src/server/observability/metrics';
import { startServer, type RunningServer } from '../../src/server/start';
import { createActors, type Actors } from '../setup/actors';
import { TEST_ADMIN_KEY, TEST_SECRET } from '../setup/constants';
import { useTestDatabase } from '../setup/database';

const lines: string[] = [];
let running: RunningServer;
let pool: pg.Pool;
let actors: Actors;

beforeAll(async () => {
  const databaseUrl = await useTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
    ECOGRAPH_SECRET: TEST_SECRET,
    LOG_LEVEL: 'debug',
  });
  running = await startServer(config, createLogger(config, { write: (line: string) => void lines.push(line) }));
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  actors = await createActors(pool);
});

afterAll(async () => {
  await pool?.end();
  await running?.close();
});

async function post(query: string, key: string | null, opts: { variables?: unknown; requestId?: string; operationName?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (opts.requestId) headers['x-request-id'] = opts.requestId;
  const res = await fetch(`${running.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables: opts.variables, operationName: opts.operationName }) });
  return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (await res.json()) as any };
}

/** The request line for a request id (written when the response finishes: poll briefly). */
async function requestLine(requestId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 50; i++) {
    const found = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.requestId === requestId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request log line for ${requestId}`);
}

const MY_ORDERS = 'query MyOrders { serviceOrders(first: 5) { totalCount nodes { id amount customer { id ageBand district } } } }';

describe('request logs', () => {
  it('one JSON line per request with who, what, how long and how it ended', async () => {
    const res = await post(MY_ORDERS, actors.partnerA, { requestId: 'obs-test-1' });
    expect(res.status).toBe(200);
    expect(res.requestId).toBe('obs-test-1');
    const line = await requestLine('obs-test-1');
    expect(line).toMatchObject({
      level: 30,
      service: 'ecograph',
      msg: 'request',
      requestId: 'obs-test-1',
      method: 'POST',
      path: '/graphql',
      status: 200,
      role: 'PARTNER',
      partnerId: actors.partnerAId,
      operation: 'MyOrders',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(typeof line.keyId).toBe('number');
    expect(line.errorCodes).toBeUndefined();
    expect(lines.filter((l) => l.includes('"obs-test-1"') && l.includes('"msg":"request"'))).toHaveLength(1);
  });

  it('a generated request id is returned and logged; error codes are logged', async () => {
    const res = await post('query TooBig { partners(first: 100000) { totalCount } }', actors.analyst);
    expect(res.status).toBe(400);
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await requestLine(res.requestId);
    expect(line).toMatchObject({ status: 400, role: 'ANALYST', operation: 'TooBig', errorCodes: ['PAGE_SIZE_EXCEEDED'] });
    expect(line.partnerId).toBeUndefined();

    const invalid = await post('{ __typename }', 'eco_not-a-real-key-0000000000000000', { requestId: 'obs-401' });
    expect(invalid.status).toBe(401);
    expect(await requestLine('obs-401')).toMatchObject({ status: 401, errorCodes: ['INVALID_KEY'] });
    expect((await requestLine('obs-401')).role).toBeUndefined();

    const parse = await post('{ partners { ', TEST_ADMIN_KEY, { requestId: 'obs-parse' });
    expect(parse.status).toBe(400);
    expect(await requestLine('obs-parse')).toMatchObject({ status: 400, role: 'ADMIN', errorCodes: ['GRAPHQL_PARSE_FAILED'] });

    const csrf = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TEST_ADMIN_KEY}`, 'x-request-id': 'obs-csrf' },
      body: '{"query":"{ __typename }"}',
    });
    expect(csrf.status).toBe(400);
    expect(await requestLine('obs-csrf')).toMatchObject({ status: 400, errorCodes: ['BAD_REQUEST'] });
  });

  it('never logs a key, the Authorization header, a variable or a query string', async () => {
    const secretValue = 'obs-secret-variable-value-42';
    await post('query V($s: String!) { collaborationCase(slug: $s) { slug } }', actors.partnerB, { variables: { s: secretValue }, requestId: 'obs-vars' });
    await fetch(`${running.url}/graphql?query=${encodeURIComponent(`{ collaborationCase(slug: "${secretValue}") { slug } }`)}`, {
      headers: { authorization: `Bearer ${actors.partnerB}`, 'apollo-require-preflight': 'true', 'x-request-id': 'obs-get' },
    });
    const get = await requestLine('obs-get');
    expect(get.path).toBe('/graphql');
    await requestLine('obs-vars');
    const text = lines.join('');
    for (const key of [TEST_ADMIN_KEY, actors.partnerA, actors.partnerB, actors.analyst, actors.dashboard, actors.partnerPublic]) {
      expect(text.includes(key)).toBe(false);
      expect(text.includes(key.slice(4, 20))).toBe(false);
    }
    expect(text).not.toMatch(/bearer|authorization/i);
    expect(text.includes(secretValue)).toBe(false);
  });

  it('no SENSITIVE value from the database reaches the log', async () => {
    const rows = await pool.query<{ v: string }>(`
      select name as v from customer union select national_id from customer union select phone from customer
      union select email from customer union select street_address from customer`);
    const secrets = rows.rows.map((r) => r.v).filter((v) => v.length >= 4);
    expect(secrets.length).toBeGreaterThan(100);
    const known = rows.rows[0]!.v;
    const queries: [string, string, Record<string, unknown>?][] = [
      [MY_ORDERS, actors.partnerA],
      [MY_ORDERS, actors.partnerPublic],
      ['query C { customers(first: 20) { totalCount nodes { id ageBand gender district city orders(first: 3) { nodes { amount partner { slug } } } } } }', actors.analyst],
      ['query R { ratings(first: 20) { nodes { score comment customer { id } } } }', actors.partnerA],
      ['query S { settlements(first: 10) { nodes { month gross partnerShare } } }', actors.partnerB],
      // Refused: a SENSITIVE filter with a real value in a variable and in the query text.
      ['query F($n: String) { customers(where: { name: { eq: $n } }) { totalCount } }', actors.analyst, { n: known }],
      [`query G { customers(where: { phone: { eq: "${known}" } }) { totalCount } }`, actors.partnerA],
      ['query One($id: ID!) { customer(id: $id) { id district } }', actors.analyst, { id: known }],
    ];
    for (const [query, key, variables] of queries) {
      const res = await post(query, key, { variables });
      expect(res.status).toBeLessThan(500);
    }
    // Also an admin, who may read SENSITIVE fields: the values are in its answer, not in the log.
    const admin = await post('query A { customers(first: 20) { nodes { name nationalId phone email streetAddress } } }', TEST_ADMIN_KEY);
    expect(admin.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const text = lines.join('');
    const leaked = secrets.filter((s) => text.includes(s));
    expect(leaked).toEqual([]);
  });
});

describe('/metrics', () => {
  it('serves Prometheus text with the expected metrics after a few requests', async () => {
    await post(MY_ORDERS, actors.partnerA);
    await post('{ partners(first: 1) { totalCount } }', actors.analyst);
    await post('{ __typename }', 'eco_wrong-key-000000000000000000000');
    await post('{ __typename }', null);
    await post('query Big { partners(first: 100000) { totalCount } }', actors.dashboard);
    await running.ledger.flush();
    const res = await fetch(`${running.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'ecograph_graphql_requests_total',
      'ecograph_graphql_request_duration_seconds_bucket',
      'ecograph_graphql_request_duration_seconds_sum',
      'ecograph_graphql_errors_total',
      'ecograph_auth_failures_total',
      'ecograph_db_pool_total',
      'ecograph_db_pool_idle',
      'ecograph_db_pool_waiting',
      'ecograph_ledger_queue_depth',
      'ecograph_draining',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text, name).toMatch(new RegExp(`^${name}[ {]`, 'm'));
    }
    expect(text).toMatch(/^ecograph_graphql_requests_total\{operation="MyOrders",role="PARTNER",status="200"\} \d+/m);
    expect(text).toMatch(/^ecograph_graphql_requests_total\{operation="__anonymous",role="ANALYST",status="200"\} \d+/m);
    expect(text).toMatch(/^ecograph_graphql_requests_total\{operation="__unknown",role="NONE",status="401"\} \d+/m);
    expect(text).toMatch(/^ecograph_auth_failures_total\{code="INVALID_KEY"\} \d+/m);
    expect(text).toMatch(/^ecograph_auth_failures_total\{code="UNAUTHENTICATED"\} \d+/m);
    expect(text).toMatch(/^ecograph_graphql_errors_total\{code="PAGE_SIZE_EXCEEDED"\} \d+/m);
    expect(text).toMatch(/^ecograph_graphql_request_duration_seconds_bucket\{le="0.05",operation="MyOrders",role="PARTNER"\} \d+/m);
    expect(text).toMatch(/^ecograph_ledger_queue_depth 0$/m);
    expect(text).toMatch(/^ecograph_draining 0$/m);
    const total = Number(/^ecograph_db_pool_total (\d+)$/m.exec(text)?.[1]);
    expect(total).toBeGreaterThan(0);
    // No key, partner id or value in any label.
    expect(text).not.toMatch(/partner(Id|_id)=/);
  });

  it('keeps operation-name labels bounded', async () => {
    for (let i = 0; i < MAX_OPERATION_NAMES + 30; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => post(`query Op${i + j}x { __typename }`, actors.analyst)));
    }
    const text = await (await fetch(`${running.url}/metrics`)).text();
    const names = new Set([...text.matchAll(/^ecograph_graphql_requests_total\{operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 3);
    expect(names.has('__other')).toBe(true);
  });
});
