// Every write is safe to retry and safe against a concurrent writer: Idempotency-Key returns
// the stored answer without writing again (even when the twins race), another request under
// the same key is refused with its own code, and expectedVersion turns a lost update into
// CONFLICT. A refused or failed mutation leaves nothing behind.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principal } from '../../src/auth/principal';
import { Role } from '../../src/permissions/tier';
import type { Context } from '../../src/server/context';
import { claimKey, storedAnswer, type Claim } from '../../src/writes/idempotency';
import { insertMutationRecord } from '../../src/writes/mutation-ledger';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
});

interface Answer {
  status: number;
  text: string;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string; field?: string; currentVersion?: number } }[] };
  replayed: string | null;
}

async function post(query: string, variables: Record<string, unknown>, key: string, idempotencyKey?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text), replayed: res.headers.get('idempotent-replayed') };
}

const CREATE_POINT = `mutation($i: UpsertServicePointInput!) { upsertServicePoint(input: $i) { servicePoint { id name version } } }`;
const point = (name: string) => ({ i: { name, city: 'Hangzhou', district: 'Xihu', latitude: '30.25', longitude: '120.15', openingHours: '09:00-18:00' } });
const count = async (name: string) => Number((await server.pool.query('select count(*) from service_point where name = $1', [name])).rows[0].count);

describe('Idempotency-Key', () => {
  it('answers a repeated request from the stored answer, byte for byte, without writing again', async () => {
    const first = await post(CREATE_POINT, point('idem-1'), actors.partnerA, 'key-1');
    expect(first.status).toBe(200);
    expect(first.replayed).toBeNull();
    const again = await post(CREATE_POINT, point('idem-1'), actors.partnerA, 'key-1');
    expect(again.status).toBe(200);
    expect(again.replayed).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await count('idem-1')).toBe(1);
  });

  it('refuses the same key with another request (422 IDEMPOTENCY_KEY_REUSED) and writes nothing', async () => {
    await post(CREATE_POINT, point('idem-2'), actors.partnerA, 'key-2');
    const other = await post(CREATE_POINT, point('idem-2-other'), actors.partnerA, 'key-2');
    expect(other.status).toBe(422);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count('idem-2-other')).toBe(0);
  });

  it('keeps keys per caller: another key may use the same Idempotency-Key', async () => {
    const a = await post(CREATE_POINT, point('idem-3a'), actors.partnerA, 'shared');
    const b = await post(CREATE_POINT, point('idem-3b'), actors.partnerB, 'shared');
    expect([a.status, b.status, b.replayed]).toEqual([200, 200, null]);
    expect(await count('idem-3a')).toBe(1);
    expect(await count('idem-3b')).toBe(1);
  });

  it('writes once when twins race: the second waits for the first and replays its answer', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(CREATE_POINT, point('idem-race'), actors.partnerA, 'race')));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.replayed === null)).toHaveLength(1);
    expect(await count('idem-race')).toBe(1);
  });

  it('does not keep a refused request: the key may be used again once the input is fixed', async () => {
    const bad = await post(CREATE_POINT, { i: { ...point('idem-4').i, latitude: '123' } }, actors.partnerA, 'key-4');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.latitude' });
    expect(await count('idem-4')).toBe(0);
    const fixed = await post(CREATE_POINT, point('idem-4'), actors.partnerA, 'key-4');
    expect(fixed.status).toBe(200);
    expect(await count('idem-4')).toBe(1);
  });

  it('refuses a malformed key (400 BAD_IDEMPOTENCY_KEY)', async () => {
    const res = await post(CREATE_POINT, point('idem-5'), actors.partnerA, 'x'.repeat(256));
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_IDEMPOTENCY_KEY');
  });
});

describe('Idempotency-Key retention and storage', () => {
  const stored = async (key: string) =>
    (await server.pool.query('select request_hash, response, created_at from idempotency_key where key = $1', [key])).rows as { request_hash: string; response: string; created_at: Date }[];
  const age = (key: string, hours: number) => server.pool.query(`update idempotency_key set created_at = now() - make_interval(hours => $2) where key = $1`, [key, hours]);

  it('claims a key older than the retention afresh: another request runs and its answer is stored', async () => {
    const first = await post(CREATE_POINT, point('exp-1a'), actors.partnerA, 'exp-1');
    expect(first.status).toBe(200);
    await age('exp-1', 25); // IDEMPOTENCY_TTL_HOURS defaults to 24
    const other = await post(CREATE_POINT, point('exp-1b'), actors.partnerA, 'exp-1');
    expect([other.status, other.replayed]).toEqual([200, null]);
    expect(await count('exp-1b')).toBe(1);
    const [row] = await stored('exp-1');
    expect(row!.response).toBe(JSON.stringify(other.body));
    expect(Date.now() - row!.created_at.getTime()).toBeLessThan(60_000);
    // The key now answers for the new request only.
    const again = await post(CREATE_POINT, point('exp-1b'), actors.partnerA, 'exp-1');
    expect([again.replayed, again.text]).toEqual(['true', other.text]);
    expect((await post(CREATE_POINT, point('exp-1a'), actors.partnerA, 'exp-1')).status).toBe(422);
  });

  it('never overwrites a live key, even near the end of its retention', async () => {
    const first = await post(CREATE_POINT, point('live-1a'), actors.partnerA, 'live-1');
    await age('live-1', 23);
    const before = await stored('live-1');
    const other = await post(CREATE_POINT, point('live-1b'), actors.partnerA, 'live-1');
    expect(other.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count('live-1b')).toBe(0);
    expect(await stored('live-1')).toEqual(before);
    const again = await post(CREATE_POINT, point('live-1a'), actors.partnerA, 'live-1');
    expect([again.replayed, again.text]).toEqual(['true', first.text]);
    expect(await count('live-1a')).toBe(1);
  });

  it('stores the answer with the ledger record; a refused mutation leaves neither', async () => {
    const ok = await post(CREATE_POINT, point('store-1'), actors.partnerA, 'store-1');
    const id = Number(ok.body.data.upsertServicePoint.servicePoint.id);
    expect((await stored('store-1')).map((r) => r.response)).toEqual([JSON.stringify(ok.body)]);
    const records = `select count(*)::int as n from access_ledger where mutation = 'upsertServicePoint' and changes @> $1::jsonb`;
    expect((await server.pool.query(records, [JSON.stringify([{ id }])])).rows[0].n).toBe(1);
    const bad = await post(CREATE_POINT, { i: { ...point('store-2').i, latitude: '123' } }, actors.partnerA, 'store-2');
    expect(bad.status).toBe(400);
    expect(await stored('store-2')).toEqual([]);
    expect((await server.pool.query(records, [JSON.stringify([{ after: { name: 'store-2' } }])])).rows[0].n).toBe(0);
  });
});

// claimKey and the combined record-and-answer statement on their own connections, to hold one
// transaction open while a twin runs.
describe('claimKey and the stored answer, transaction by transaction', () => {
  const TTL = 24;
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: server.databaseUrl, max: 4 });
  });
  afterAll(() => pool.end());

  async function begin(): Promise<pg.PoolClient> {
    const c = await pool.connect();
    await c.query('begin');
    return c;
  }
  async function end(c: pg.PoolClient, how: 'commit' | 'rollback') {
    await c.query(how);
    c.release();
  }
  /** Whether the promise settles within ms (a twin still waiting on a row lock does not). */
  const settlesWithin = (p: Promise<unknown>, ms = 300) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  const ctxFor = (requestId: string) => ({ principal: principal(Role.ADMIN), requestId, write: { changes: [] } }) as unknown as Context;
  const record = (mutation: string) => ({ operationName: mutation, query: mutation, mutation, used: { byTier: { PUBLIC: ['a'], ANONYMIZED: [], SENSITIVE: [] }, filterOnly: [] }, durationMs: 3 });
  const answerOf = (n: number) => ({ data: { n } });
  async function answerAndRecord(c: pg.PoolClient, key: string, n: number) {
    await insertMutationRecord(c, ctxFor(`req-${key}`), record(`m-${key}`), { caller: 'tx-caller', key, response: storedAnswer(answerOf(n)) });
  }
  const rows = async (key: string) => ({
    keys: (await pool.query('select request_hash, response from idempotency_key where caller = $1 and key = $2', ['tx-caller', key])).rows,
    records: (await pool.query('select request_id, role, mutation, public_fields, row_count, duration_ms, changes from access_ledger where request_id = $1', [`req-${key}`])).rows,
  });

  it('writes the record and the answer in one statement, parameters in place; a rollback removes both', async () => {
    const c = await begin();
    expect(await claimKey(c, 'tx-caller', 'tx-1', 'h1', TTL)).toEqual({ kind: 'claimed' });
    await answerAndRecord(c, 'tx-1', 1);
    await end(c, 'rollback');
    expect(await rows('tx-1')).toEqual({ keys: [], records: [] });

    const d = await begin();
    await claimKey(d, 'tx-caller', 'tx-1', 'h1', TTL);
    await answerAndRecord(d, 'tx-1', 1);
    await end(d, 'commit');
    expect(await rows('tx-1')).toEqual({
      keys: [{ request_hash: 'h1', response: '{"data":{"n":1}}' }],
      records: [{ request_id: 'req-tx-1', role: 'ADMIN', mutation: 'm-tx-1', public_fields: ['a'], row_count: 0, duration_ms: 3, changes: [] }],
    });
    // Without a key the record is written alone (as jobs do).
    const e = await begin();
    await insertMutationRecord(e, ctxFor('req-tx-1b'), record('m-tx-1b'));
    await end(e, 'commit');
    expect((await rows('tx-1b')).records).toHaveLength(1);
  });

  it('makes a twin wait for the first: after its commit the twin replays, or is refused for another request', async () => {
    const first = await begin();
    expect(await claimKey(first, 'tx-caller', 'tx-2', 'h2', TTL)).toEqual({ kind: 'claimed' });
    const twin = await begin();
    const other = await begin();
    // A claim that finds a live key holds its row lock until rollback (as the plugin does at
    // once), so each twin rolls back as soon as it has its answer.
    const claimThenRollback = (c: pg.PoolClient, hash: string) =>
      claimKey(c, 'tx-caller', 'tx-2', hash, TTL).then(async (claim) => {
        await end(c, 'rollback');
        return claim;
      });
    const claims = Promise.all([claimThenRollback(twin, 'h2'), claimThenRollback(other, 'h2-other')]);
    expect(await settlesWithin(claims)).toBe(false);
    await answerAndRecord(first, 'tx-2', 2);
    await end(first, 'commit');
    expect(await claims).toEqual([{ kind: 'replay', answer: answerOf(2) }, { kind: 'reused' }] satisfies Claim[]);
    expect((await rows('tx-2')).keys).toEqual([{ request_hash: 'h2', response: '{"data":{"n":2}}' }]);
  });

  it('makes a twin wait for the first: after its rollback the twin claims the key', async () => {
    const first = await begin();
    await claimKey(first, 'tx-caller', 'tx-3', 'h3', TTL);
    const twin = await begin();
    const twinClaim = claimKey(twin, 'tx-caller', 'tx-3', 'h3', TTL);
    expect(await settlesWithin(twinClaim)).toBe(false);
    await end(first, 'rollback');
    expect(await twinClaim).toEqual({ kind: 'claimed' });
    await answerAndRecord(twin, 'tx-3', 3);
    await end(twin, 'commit');
    expect((await rows('tx-3')).keys).toEqual([{ request_hash: 'h3', response: '{"data":{"n":3}}' }]);
  });

  it('claims an expired key once when twins race for it, and gives it back on rollback', async () => {
    await pool.query(`insert into idempotency_key (caller, key, request_hash, response, created_at) values ('tx-caller', 'tx-4', 'old', '{"data":{"n":0}}', now() - interval '25 hours')`);
    // The first rolls back: the twin waits, then claims the (still expired) key itself.
    const first = await begin();
    expect(await claimKey(first, 'tx-caller', 'tx-4', 'h4', TTL)).toEqual({ kind: 'claimed' });
    const twin = await begin();
    const twinClaim = claimKey(twin, 'tx-caller', 'tx-4', 'h4-twin', TTL);
    expect(await settlesWithin(twinClaim)).toBe(false);
    await end(first, 'rollback');
    expect(await twinClaim).toEqual({ kind: 'claimed' });
    // And now the twin commits: a third with the twin's request waits, then replays.
    const third = await begin();
    const thirdClaim = claimKey(third, 'tx-caller', 'tx-4', 'h4-twin', TTL);
    expect(await settlesWithin(thirdClaim)).toBe(false);
    await answerAndRecord(twin, 'tx-4', 4);
    await end(twin, 'commit');
    expect(await thirdClaim).toEqual({ kind: 'replay', answer: answerOf(4) });
    await end(third, 'rollback');
    expect((await rows('tx-4')).keys).toEqual([{ request_hash: 'h4-twin', response: '{"data":{"n":4}}' }]);
  });
});

describe('expectedVersion', () => {
  const UPDATE = `mutation($i: UpsertServicePointInput!) { upsertServicePoint(input: $i) { servicePoint { name version } } }`;

  it('turns a lost update into CONFLICT (409) with the current version', async () => {
    const created = (await post(CREATE_POINT, point('ver-1'), actors.partnerA)).body.data.upsertServicePoint.servicePoint;
    expect(created.version).toBe(1);
    const mine = await post(UPDATE, { i: { id: created.id, expectedVersion: 1, openingHours: '08:00-20:00' } }, actors.partnerA);
    expect(mine.body.data.upsertServicePoint.servicePoint.version).toBe(2);
    const stale = await post(UPDATE, { i: { id: created.id, expectedVersion: 1, openingHours: '07:00-21:00' } }, actors.partnerA);
    expect(stale.status).toBe(409);
    expect(stale.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.expectedVersion', currentVersion: 2 });
    const stored = await server.pool.query('select opening_hours, version from service_point where id = $1', [created.id]);
    expect(stored.rows[0]).toEqual({ opening_hours: '08:00-20:00', version: 2 });
  });

  it('lets exactly one of concurrent writers with the same version win', async () => {
    const created = (await post(CREATE_POINT, point('ver-2'), actors.partnerA)).body.data.upsertServicePoint.servicePoint;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => post(UPDATE, { i: { id: created.id, expectedVersion: 1, openingHours: `0${n}:00-20:00` } }, actors.partnerA)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
  });

  it('is bumped by writes from any path, SQL included (a trigger)', async () => {
    const created = (await post(CREATE_POINT, point('ver-3'), actors.partnerA)).body.data.upsertServicePoint.servicePoint;
    await server.pool.query(`update service_point set opening_hours = '24h' where id = $1`, [created.id]);
    const stale = await post(UPDATE, { i: { id: created.id, expectedVersion: 1, name: 'ver-3b' } }, actors.partnerA);
    expect(stale.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('one transaction per request', () => {
  it('rolls back every mutation of a request when one of them fails, and shows no payload', async () => {
    const res = await post(
      `mutation($a: UpsertServicePointInput!, $b: UpsertServicePointInput!) { a: upsertServicePoint(input: $a) { servicePoint { id } } b: upsertServicePoint(input: $b) { servicePoint { id } } }`,
      { a: point('tx-a').i, b: { ...point('tx-b').i, longitude: '500' } },
      actors.partnerA,
    );
    expect(res.status).toBe(400);
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.longitude' });
    expect(await count('tx-a')).toBe(0);
  });

  it('keeps a partner to its own rows: another partner’s row looks absent', async () => {
    const theirs = (await post(CREATE_POINT, point('own-1'), actors.partnerB)).body.data.upsertServicePoint.servicePoint;
    const res = await post(`mutation { retireServicePoint(input: { id: "${theirs.id}" }) { servicePoint { id } } }`, {}, actors.partnerA);
    expect(res.status).toBe(404);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const named = await post(CREATE_POINT, { i: { ...point('own-2').i, partnerId: String(actors.partnerBId) } }, actors.partnerA);
    expect(named.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.partnerId' });
    expect(await count('own-2')).toBe(0);
  });

  it('lets operators mint partner keys but not admin or operator keys', async () => {
    const res = await post(`mutation { createApiKey(input: { role: OPERATOR }) { secret } }`, {}, actors.operator);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.role' });
    const admin = await post(`mutation { createApiKey(input: { role: OPERATOR }) { secret } }`, {}, actors.admin);
    expect(admin.status).toBe(200);
  });

  it('records committed mutations in the ledger with the caller, in the same transaction', async () => {
    const res = await post(CREATE_POINT, point('ledger-1'), actors.partnerA, 'ledger-key');
    const id = res.body.data.upsertServicePoint.servicePoint.id;
    const rows = await server.pool.query(`select role, partner_id, mutation, changes from access_ledger where mutation = 'upsertServicePoint' and changes @> $1::jsonb`, [
      JSON.stringify([{ id: Number(id) }]),
    ]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ role: 'PARTNER', partner_id: actors.partnerAId, mutation: 'upsertServicePoint' });
    expect(rows.rows[0].changes[0]).toMatchObject({ type: 'ServicePoint', op: 'CREATE', before: null, after: { name: 'ledger-1', version: 1 } });
    // A replay is not a second write, nor a second record of one.
    await post(CREATE_POINT, point('ledger-1'), actors.partnerA, 'ledger-key');
    const again = await server.pool.query(`select count(*)::int as n from access_ledger where mutation = 'upsertServicePoint' and changes @> $1::jsonb`, [JSON.stringify([{ id: Number(id) }])]);
    expect(again.rows[0].n).toBe(1);
  });

  it('never writes a SENSITIVE value, nor a raw generalised one, into the ledger', async () => {
    const customer = (await server.pool.query('select id, name, national_id, phone, birth_date::text as b, street_address from customer where id = $1', [actors.sharedCustomerId])).rows[0];
    const res = await post(`mutation($i: SetCustomerConsentInput!) { setCustomerConsent(input: $i) { customer { id consentDataSharing } } }`, { i: { customerId: String(customer.id), consentDataSharing: false } }, actors.admin);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.setCustomerConsent.customer.consentDataSharing).toBe(false);
    const rows = await server.pool.query(`select changes::text as t from access_ledger where mutation = 'setCustomerConsent'`);
    expect(rows.rows).toHaveLength(1);
    for (const secret of [customer.name, customer.national_id, customer.phone, customer.b, customer.street_address]) expect(rows.rows[0].t).not.toContain(secret);
    expect(rows.rows[0].t).toContain('"consentDataSharing": false');
  });
});
