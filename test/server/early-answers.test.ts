// Repeats of compiled queries answered with one statement before Apollo (src/server/early): the
// same answer, headers and ledger entry as Apollo's; a key, partner or agreement that changed
// since the key was last looked up is never answered from the remembered principal; nothing is
// served unrecorded; whatever the early path does not answer goes the usual way, paid once.
import { parse, type OperationDefinitionNode } from 'graphql';
import pino from 'pino';
import { rule } from 'graphql-shield';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../src/auth/authenticate';
import { createKey } from '../../src/auth/keys';
import { principal, type Principal } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { Markers } from '../../src/db/compile/markers';
import { sql } from '../../src/db/sql';
import { fullSchema } from '../../src/graphql/schema';
import type { RuleTree } from '../../src/permissions/shield';
import { Role } from '../../src/permissions/tier';
import type { Context } from '../../src/server/context';
import { earlyAnswers, type EarlyAnswerDeps } from '../../src/server/early/early-answers';
import { EarlyPlans } from '../../src/server/early/plans';
import { earlyStatement } from '../../src/server/early/statement';
import type { LeanRequest, LeanResponse } from '../../src/server/lean-http';
import { QuotaGuard } from '../../src/server/quotas';
import { MemoryQuotaStore } from '../../src/server/quotas/store';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
/** One of partner A's orders with a consenting customer. */
let orderId: string;

const ORDER = 'query Order($id: ID!) { serviceOrder(id: $id) { id serviceType city status amount customer { id ageBand } } }';

async function post(key: string, variables: Record<string, unknown> = { id: orderId }, query = ORDER, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables, operationName: /^query (\w+)/.exec(query)?.[1] }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text), requestId: res.headers.get('x-request-id')! };
}

/** ecograph_early_answers_total by outcome. */
async function outcomes(): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const out: Record<string, number> = { answered: 0, usual: 0 };
  for (const m of text.matchAll(/^ecograph_early_answers_total\{outcome="(\w+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function ledgerRows(requestId: string) {
  await server.flushLedger();
  const r = await server.pool.query(
    `select role, key_id, partner_id, operation_name, operation_hash, public_fields, anonymized_fields, sensitive_fields, filter_fields, row_count, error_codes, operation_id
       from access_ledger where request_id = $1`,
    [requestId],
  );
  return r.rows;
}

/** A fresh key of partner A, looked up once (its first request goes the usual way and leaves the plan). */
async function knownKey() {
  const created = await createKey(server.pool, { role: Role.PARTNER, partnerSlug: (await server.pool.query('select slug from partner where id = $1', [actors.partnerAId])).rows[0].slug });
  const first = await post(created.key);
  expect(first.status).toBe(200);
  const before = await outcomes();
  const second = await post(created.key);
  expect(second.status).toBe(200);
  expect((await outcomes()).answered).toBe(before.answered + 1);
  return { ...created, answer: second.text };
}

beforeAll(async () => {
  server = await startTestServer({ QUOTA_PARTNER_PER_MINUTE: '1000000', QUOTA_PARTNER_PER_DAY: '10000000' });
  actors = await createActors(server.pool);
  orderId = String(
    (
      await server.pool.query(
        'select o.id from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing where o.partner_id = $1 order by o.id limit 1',
        [actors.partnerAId],
      )
    ).rows[0].id,
  );
});

describe('early answers', () => {
  it('answer a repeat in one statement, exactly as Apollo answered it, with the same ledger entry', async () => {
    const first = await post(actors.partnerA);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.serviceOrder).toMatchObject({ id: orderId, customer: { id: expect.stringMatching(/^cus_/) } });
    const before = await outcomes();
    const second = await post(actors.partnerA);
    expect((await outcomes()).answered).toBe(before.answered + 1);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('x-sql-statements')).toBe('1');
    for (const h of ['content-type', 'ratelimit-limit', 'x-quota-limit-day']) expect(second.headers.get(h), h).toBe(first.headers.get(h));
    const [usual] = await ledgerRows(first.requestId);
    const [early] = await ledgerRows(second.requestId);
    expect(usual).toMatchObject({ role: 'PARTNER', partner_id: actors.partnerAId, operation_name: 'Order', row_count: 2, error_codes: [] });
    expect(usual.anonymized_fields.length).toBeGreaterThan(0);
    expect(early).toEqual(usual);
  });

  it('charge the quota what the usual way charges', async () => {
    const other = String((await server.pool.query('select o.id from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing where o.partner_id = $1 order by o.id desc limit 1', [actors.partnerAId])).rows[0].id);
    const remaining = (r: { headers: Headers }) => Number(r.headers.get('x-quota-remaining-day'));
    const a = await post(actors.partnerA); // early (the first test left its plan)
    const b = await post(actors.partnerA); // early
    const c = await post(actors.partnerA, { id: other }); // the usual way: another plan
    expect(b.headers.get('x-sql-statements')).toBe('1');
    expect(remaining(a) - remaining(b)).toBe(remaining(b) - remaining(c));
    expect(remaining(a) - remaining(b)).toBeGreaterThan(1);
  });

  it('confirm a key by its rows once a write moved the key terms generation, then by the generation again', async () => {
    const { key, answer } = await knownKey();
    // A write that changes no term of this key still moves the generation of every key.
    await server.pool.query("update agreement set liability = liability || ' ' where partner_id <> $1", [actors.partnerAId]);
    const before = await outcomes();
    const full = await post(key);
    const light = await post(key);
    expect((await outcomes()).answered).toBe(before.answered + 2);
    expect([full.headers.get('x-sql-statements'), light.headers.get('x-sql-statements')]).toEqual(['2', '1']);
    expect([full.text, light.text]).toEqual([answer, answer]);
  });

  it('never answer a key revoked since it was looked up: 401, no ledger entry, no data', async () => {
    const key = await knownKey();
    await server.pool.query('update api_key set revoked_at = now() where id = $1', [key.id]);
    const before = await outcomes();
    const refused = await post(key.key);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('KEY_REVOKED');
    expect(await outcomes()).toEqual({ ...before, usual: before.usual + 1 });
    expect(await ledgerRows(refused.requestId)).toEqual([]);
  });

  it('never answer a key expired since it was looked up', async () => {
    const key = await knownKey();
    await server.pool.query(`update api_key set expires_at = now() - interval '1 second' where id = $1`, [key.id]);
    const refused = await post(key.key);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('KEY_EXPIRED');
  });

  it('serve a partner suspended since its key was looked up with the suspended cut: no customer data', async () => {
    const key = await knownKey();
    await server.pool.query(`update partner set status = 'SUSPENDED' where id = $1`, [actors.partnerAId]);
    try {
      const suspended = await post(key.key);
      expect(suspended.text).not.toBe(key.answer);
      expect(suspended.body.data?.serviceOrder ?? null).toBeNull();
    } finally {
      await server.pool.query(`update partner set status = 'ACTIVE' where id = $1`, [actors.partnerAId]);
    }
    expect((await post(key.key)).text).toBe(key.answer);
  });

  it('apply an agreement changed since the key was looked up: persisted operations only', async () => {
    const key = await knownKey();
    const inForce = `partner_id = $1 and valid_from <= current_date and (valid_to is null or valid_to >= current_date)`;
    await server.pool.query(`update agreement set persisted_only = true where ${inForce}`, [actors.partnerAId]);
    try {
      const refused = await post(key.key);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
    } finally {
      await server.pool.query(`update agreement set persisted_only = false where ${inForce}`, [actors.partnerAId]);
    }
  });

  it('charge a request that goes the usual way after its check failed once, not twice', async () => {
    const key = await knownKey();
    const remaining = (r: { headers: Headers }) => Number(r.headers.get('x-quota-remaining-day'));
    const a = await post(key.key);
    const b = await post(key.key); // early: the cost of one request
    // A change of the agreement's terms that leaves the answer alone: the check fails, the
    // request is charged early, then answered the usual way.
    const inForce = `partner_id = $1 and valid_from <= current_date and (valid_to is null or valid_to >= current_date)`;
    await server.pool.query(`update agreement set rate_limit_per_minute = 999999 where ${inForce}`, [actors.partnerAId]);
    try {
      const before = await outcomes();
      const c = await post(key.key);
      expect(c.text).toBe(key.answer);
      // The headers of the charge it paid, as on any answer.
      expect(c.headers.get('x-quota-limit-day')).toBe(b.headers.get('x-quota-limit-day'));
      expect((await outcomes()).usual).toBe(before.usual + 1);
      expect(remaining(b) - remaining(c)).toBe(remaining(a) - remaining(b));
    } finally {
      await server.pool.query(`update agreement set rate_limit_per_minute = null where ${inForce}`, [actors.partnerAId]);
    }
  });

  it('serve nothing the ledger cannot record: 503 LEDGER_UNAVAILABLE, no data', async () => {
    await post(actors.partnerA);
    await server.pool.query('alter table access_ledger rename to access_ledger_away');
    try {
      const refused = await post(actors.partnerA);
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'LEDGER_UNAVAILABLE' } })] });
    } finally {
      await server.pool.query('alter table access_ledger_away rename to access_ledger');
    }
    expect((await post(actors.partnerA)).status).toBe(200);
  });

  it('answer a repeat of __typename alone: no statement for the admin key, the key check for a stored key, its ledger entry', async () => {
    const PING = 'query Ping { __typename }';
    const ping = (key: string) => post(key, {}, PING);
    const answer = '{"data":{"__typename":"Query"}}\n';
    expect((await ping(actors.admin)).text).toBe(answer);
    let before = await outcomes();
    const admin = await ping(actors.admin);
    expect((await outcomes()).answered).toBe(before.answered + 1);
    expect([admin.status, admin.text, admin.headers.get('x-sql-statements')]).toEqual([200, answer, '0']);

    const key = await knownKey();
    const first = await ping(key.key);
    before = await outcomes();
    const second = await ping(key.key);
    expect((await outcomes()).answered).toBe(before.answered + 1);
    expect([second.status, second.text, second.headers.get('x-sql-statements')]).toEqual([200, first.text, '1']);
    const [usual] = await ledgerRows(first.requestId);
    const [early] = await ledgerRows(second.requestId);
    expect(usual).toMatchObject({ role: 'PARTNER', partner_id: actors.partnerAId, operation_name: 'Ping', row_count: 0, error_codes: [] });
    expect(early).toEqual(usual);

    // The check is not skipped for an answer that reads no table.
    await server.pool.query('update api_key set revoked_at = now() where id = $1', [key.id]);
    const refused = await ping(key.key);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('KEY_REVOKED');
  });

  it('leave other media types, other variables and malformed bodies to the usual way', async () => {
    await post(actors.partnerA);
    const before = await outcomes();
    expect((await post(actors.partnerA, { id: orderId }, ORDER, { accept: 'text/html' })).status).toBe(406);
    expect((await post(actors.partnerA, { id: 'nope' })).status).toBe(200);
    // A documentId beside the text is the persisted documents' to refuse.
    const both = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${actors.partnerA}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: ORDER, variables: { id: orderId }, operationName: 'Order', documentId: 'sha256:00' }),
    });
    expect(both.status).toBe(400);
    expect(await outcomes()).toEqual(before);
  });

  // The rules and the quota for a caller of the same cut give the same verdict over HTTP: the
  // handler is asked directly, with a plan of its own.
  describe('asked directly', () => {
    const QUERY = '{ partners(first: 1) { nodes { slug } } }';
    const allow = rule('allow')(() => true);
    const everywhere = (r: ReturnType<ReturnType<typeof rule>>) => new Proxy({}, { get: () => new Proxy({}, { get: () => r }) }) as RuleTree;
    const caller = principal(Role.DASHBOARD, { keyId: 1 });

    function planFor(p: Principal): EarlyPlans {
      const plans = new EarlyPlans();
      const document = parse(QUERY);
      const compiled = { statement: sql`select '{"x":1}' as j, 1 as n`, markers: new Markers(), rootKeys: [] };
      const rc = { request: { query: QUERY }, document, operation: document.definitions[0] as OperationDefinitionNode, schema: fullSchema(), contextValue: { principal: p } as Context, operationName: null, queryHash: 'h' };
      plans.remember(rc as never, compiled);
      return plans;
    }

    async function ask(deps: Partial<EarlyAnswerDeps> & { p?: Principal; terms?: string }) {
      const p = deps.p ?? caller;
      const written: string[] = [];
      const res = { locals: {}, statusCode: 0, setHeader() {}, end: (t?: string) => void written.push(t ?? '') } as unknown as LeanResponse;
      const req = { method: 'POST', headers: { authorization: 'Bearer k' }, body: { query: QUERY }, id: 'r' } as unknown as LeanRequest;
      const authenticator = { remembered: () => ({ hash: 'h', principal: p, terms: deps.terms }), confirmed() {} } as unknown as Authenticator;
      const passed = await new Promise<boolean>((resolve) => {
        void earlyAnswers({ plans: planFor(p), authenticator, pool: server.pool, ledger: { record: async () => undefined }, retryAfterSeconds: 1, rules: everywhere(allow), log: pino({ level: 'silent' }), ...deps })(req, res, () => resolve(true));
        setTimeout(() => resolve(false), 300);
      });
      return { passed, written, quotaPaid: req.quotaPaid };
    }

    it('answer when the rules allow, and ask the shield again for this caller', async () => {
      expect(await ask({})).toEqual({ passed: false, written: ['{"data":{"x":1}}\n'], quotaPaid: undefined });
      expect(await ask({ rules: everywhere(rule('refuse')(() => false)) })).toMatchObject({ passed: true, written: [] });
    });

    it('check the key once per statement, though two columns read the check', async () => {
      const compiled = { statement: sql`select '{"x":1}' as j, 1 as n`, markers: new Markers(), rootKeys: [] };
      const statement = earlyStatement('checked', compiled);
      const plan = (await server.pool.query<{ 'QUERY PLAN': string }>(`explain ${statement.text}`, statement.bind({ hash: 'h', terms: 't' }))).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan.match(/ on api_key /g)).toHaveLength(1);
    });

    it('leave a persisted-only partner to the usual way, which refuses texts', async () => {
      expect(await ask({ p: principal(Role.PARTNER, { keyId: 2, partnerId: 1, persistedOnly: true }) })).toMatchObject({ passed: true, written: [] });
    });

    it('leave a quota refusal to the usual way with nothing counted, and a failed statement with its units paid', async () => {
      const quotas = (perDay: number) => new QuotaGuard(new MemoryQuotaStore(), loadConfig({ ...process.env, QUOTA_DASHBOARD_PER_MINUTE: '1000', QUOTA_DASHBOARD_PER_DAY: String(perDay) }), pino({ level: 'silent' }));
      // One unit for the request and at least one for the partner row: a budget of 1 refuses.
      expect(await ask({ quotas: quotas(1) })).toEqual({ passed: true, written: [], quotaPaid: false });
      const failing = { query: async () => Promise.reject(new Error('connection lost')) };
      expect(await ask({ quotas: quotas(100), pool: failing })).toEqual({ passed: true, written: [], quotaPaid: true });
      // A stored key whose check fails (terms that no key has) goes the usual way too.
      expect(await ask({ terms: '(no such terms)' })).toMatchObject({ passed: true, written: [] });
    });
  });
});
