// Every write is safe to retry and safe against a concurrent writer: Idempotency-Key returns
// the stored answer without writing again (even when the twins race), another request under
// the same key is refused with its own code, and expectedVersion turns a lost update into
// CONFLICT. A refused or failed mutation leaves nothing behind.
import { beforeAll, describe, expect, it } from 'vitest';
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
