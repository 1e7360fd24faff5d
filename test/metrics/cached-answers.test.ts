// Repeats of a cached metric question answered before Apollo (src/metrics/cache/fast-path.ts):
// the same answer, headers, ETag and 304 as Apollo's, the same access-ledger entry, no answer
// the ledger did not record, and whatever the fast path does not handle left to Apollo.
import crypto from 'node:crypto';
import { parse, type OperationDefinitionNode } from 'graphql';
import pino from 'pino';
import { rule } from 'graphql-shield';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { principal } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { fullSchema } from '../../src/graphql/schema';
import type { LedgerWriter } from '../../src/ledger/ledger-writer';
import { cachedAnswers } from '../../src/metrics/cache/fast-path';
import { answerType } from '../../src/server/answer-type';
import { MetricsCache } from '../../src/metrics/cache/metrics-cache';
import { answerKey } from '../../src/metrics/cache/metrics-cache.plugin';
import type { RuleTree } from '../../src/permissions/shield';
import { Role } from '../../src/permissions/tier';
import type { LeanRequest, LeanResponse } from '../../src/server/lean-http';
import { QuotaGuard } from '../../src/server/quotas';
import { MemoryQuotaStore } from '../../src/server/quotas/store';
import { startTestServer, type TestServer } from '../setup/server';

const QUERY = `query Gmv($from: Date!, $to: Date!) { ecosystemMetrics(from: $from, to: $to, granularity: MONTH, groupBy: CATEGORY) { series { key points { period gmv orders } } } }`;
const VARIABLES = { from: '2025-01-01', to: '2025-07-01' };
const QUERY_NO_VARIABLES = `{ ecosystemMetrics(from: "2025-01-01", to: "2025-07-01", granularity: MONTH, groupBy: CATEGORY) { series { key } } }`;

let server: TestServer;
let dashboard: string;

async function post(headers: Record<string, string> = {}, body: Record<string, unknown> = { query: QUERY, variables: VARIABLES }) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${dashboard}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text(), requestId: res.headers.get('x-request-id')! };
}

/** ecograph_metric_answers_total by source. */
async function answersBySource(): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^ecograph_metric_answers_total\{source="(\w+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function ledgerRow(requestId: string) {
  await server.flushLedger();
  const r = await server.pool.query(
    `select role, key_id, operation_name, operation_hash, public_fields, anonymized_fields, sensitive_fields, filter_fields, row_count, error_codes
       from access_ledger where request_id = $1`,
    [requestId],
  );
  return r.rows;
}

beforeAll(async () => {
  server = await startTestServer();
  dashboard = (await createKey(server.pool, { role: Role.DASHBOARD })).key;
  // The cache serves once its invalidation listener is up: wait until answers carry an ETag.
  for (let i = 0; i < 50 && !(await post()).headers.get('etag'); i++) await new Promise((r) => setTimeout(r, 100));
});

describe('cached metric answers before Apollo', () => {
  it('answers a repeat early, exactly as Apollo answered it, and records it in the ledger alike', async () => {
    const body = { query: QUERY, variables: VARIABLES, operationName: 'Gmv' };
    const first = await post({}, body);
    const before = await answersBySource();
    const second = await post({}, body);
    const after = await answersBySource();
    expect(after.early).toBe((before.early ?? 0) + 1);
    expect(after.computed ?? 0).toBe(before.computed ?? 0);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    for (const h of ['etag', 'cache-control', 'content-type', 'ratelimit-limit', 'x-quota-limit-day']) {
      expect(second.headers.get(h), h).toBe(first.headers.get(h));
    }
    // The first computed its figures (one statement); the repeat reads nothing.
    expect(second.headers.get('x-sql-statements')).toBe('0');
    const [a] = await ledgerRow(first.requestId);
    const [b] = await ledgerRow(second.requestId);
    expect(a).toMatchObject({ role: 'DASHBOARD', operation_name: 'Gmv', error_codes: [] });
    expect(b).toEqual(a);
  });

  it('answers 304 without a body to a client holding the current answer', async () => {
    const { headers } = await post();
    const etag = headers.get('etag')!;
    const before = await answersBySource();
    const again = await post({ 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await answersBySource()).early).toBe((before.early ?? 0) + 1);
    expect((await post({ 'if-none-match': '"m-another"' })).status).toBe(200);
  });

  it('answers in the media type Apollo would choose for the Accept header', async () => {
    const accept = 'application/graphql-response+json, application/json';
    const first = await post({ accept });
    const second = await post({ accept });
    expect(first.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    // What it does not read plainly, Apollo negotiates (and refuses what it cannot serve).
    expect((await post({ accept: 'text/html' })).status).toBe(406);
    expect(answerType(undefined)).toBe('application/json; charset=utf-8');
    expect(answerType('application/json;q=0.5, application/graphql-response+json')).toBeUndefined();
    expect(answerType('*/*, application/graphql-response+json')).toBeUndefined();
  });

  it('serves nothing the ledger cannot record: 503 LEDGER_UNAVAILABLE, no data', async () => {
    await post();
    const before = await answersBySource();
    await server.pool.query('alter table access_ledger rename to access_ledger_away');
    try {
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(refused.headers.get('etag')).toBeNull();
      expect(JSON.parse(refused.text)).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'LEDGER_UNAVAILABLE' } })] });
    } finally {
      await server.pool.query('alter table access_ledger_away rename to access_ledger');
    }
    // It was the early path that refused: Apollo's cache lookup never saw the request.
    const after = await answersBySource();
    expect(after.early ?? 0).toBe(before.early ?? 0);
    expect(after.cache ?? 0).toBe(before.cache ?? 0);
    expect(after.computed ?? 0).toBe(before.computed ?? 0);
    expect((await post()).status).toBe(200);
  });

  it('leaves to Apollo what it does not answer: other variables, a revoked key, a malformed body', async () => {
    await post();
    const before = await answersBySource();
    const other = await post({}, { query: QUERY, variables: { from: '2025-02-01', to: '2025-07-01' } });
    expect(other.status).toBe(200);
    expect((await answersBySource()).computed).toBe((before.computed ?? 0) + 1);
    const bad = await post({}, { query: QUERY, variables: 'not an object' });
    expect(bad.status).toBe(400);
    // Another key of the same cut: its answer is cached, then the key is revoked.
    const doomed = await createKey(server.pool, { role: Role.DASHBOARD });
    expect((await post({ authorization: `Bearer ${doomed.key}` })).status).toBe(200);
    await server.pool.query('update api_key set revoked_at = now() where id = $1', [doomed.id]);
    const beforeRevoked = await answersBySource();
    const revoked = await post({ authorization: `Bearer ${doomed.key}` });
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.text).errors[0].extensions.code).toBe('KEY_REVOKED');
    expect(await answersBySource()).toEqual(beforeRevoked);
  });

  // Rules and row charges depend on the caller's cut and the operation, which are in the cache
  // key, so over HTTP neither a refusal nor a charged operation ever meets a cached answer today
  // (no metric field reads rows of a declared type): the middleware is asked directly.
  describe('asked directly', () => {
    const allow = rule('allow')(() => true);
    /** Every field of every type under one rule. */
    const everywhere = (r: ReturnType<ReturnType<typeof rule>>) => new Proxy({}, { get: () => new Proxy({}, { get: () => r }) }) as RuleTree;
    const caller = principal(Role.DASHBOARD);

    /** A cache holding an answer to `query` for `caller`, and the ledger entries recorded. */
    function cached(query: string) {
      const cache = new MetricsCache(10);
      cache.setListening(true);
      const schema = fullSchema();
      const document = parse(query);
      const hash = crypto.createHash('sha256').update(query).digest('hex');
      const replay = { schema, document, operation: document.definitions[0] as OperationDefinitionNode, operationName: null, used: { byTier: { PUBLIC: [], ANONYMIZED: [], SENSITIVE: [] }, filterOnly: [] }, queryLength: query.length };
      cache.put(answerKey('7', caller, hash, undefined, undefined), cache.currentGeneration, '{"x":1}', 0, replay);
      const recorded: unknown[] = [];
      const ledger = { record: async (e: unknown) => void recorded.push(e) } as unknown as LedgerWriter;
      return { cache, ledger, recorded };
    }

    /** Whether the middleware passed the request on, and what it wrote. */
    async function ask(deps: Parameters<typeof cachedAnswers>[0], query: string) {
      const written: string[] = [];
      const res = { locals: {}, statusCode: 0, setHeader() {}, end: (t?: string) => void written.push(t ?? '') } as unknown as LeanResponse;
      const req = { method: 'POST', headers: {}, body: { query }, principal: caller, rollupVersion: '7', id: 'r' } as unknown as LeanRequest;
      const passed = await new Promise<boolean>((resolve) => {
        void cachedAnswers(deps)(req, res, () => resolve(true));
        setTimeout(() => resolve(false), 200);
      });
      return { passed, written };
    }

    it('asks the shield again for this caller: a rule that refuses sends the request on to Apollo', async () => {
      const { cache, ledger, recorded } = cached(QUERY_NO_VARIABLES);
      expect(await ask({ cache, ledger, rules: everywhere(allow), retryAfterSeconds: 1 }, QUERY_NO_VARIABLES)).toEqual({ passed: false, written: ['{"data":{"x":1}}\n'] });
      expect(recorded).toHaveLength(1);
      expect(await ask({ cache, ledger, rules: everywhere(rule('refuse')(() => false)), retryAfterSeconds: 1 }, QUERY_NO_VARIABLES)).toEqual({ passed: true, written: [] });
      expect(recorded).toHaveLength(1);
    });

    it('leaves an operation that charges rows to the quota to Apollo, which charges them', async () => {
      const config = loadConfig({ ...process.env, QUOTA_DASHBOARD_PER_MINUTE: '1000000', QUOTA_DASHBOARD_PER_DAY: '1000000' });
      const quotas = new QuotaGuard(new MemoryQuotaStore(), config, pino({ level: 'silent' }));
      const rows = '{ partners(first: 5) { nodes { slug } } }';
      const charged = cached(rows);
      expect(await ask({ ...charged, quotas, rules: everywhere(allow), retryAfterSeconds: 1 }, rows)).toEqual({ passed: true, written: [] });
      expect(charged.recorded).toHaveLength(0);
      // An aggregate charges no rows: answered here.
      const free = cached(QUERY_NO_VARIABLES);
      expect((await ask({ ...free, quotas, rules: everywhere(allow), retryAfterSeconds: 1 }, QUERY_NO_VARIABLES)).passed).toBe(false);
    });
  });
});
