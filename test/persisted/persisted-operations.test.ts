// Persisted operations per partner, against the real server: a partner registers documents
// (a list, or graphql-codegen's manifest), each validated against its own schema and kept under
// the SHA-256 of its text, then executes them by id (GraphQL-over-HTTP's documentId, POST and
// GET, or Apollo's persistedQuery extension). Ids are per partner; nothing is registered from a
// request; an agreement with persistedOnly refuses anything but an id; the ledger records the id.
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DocumentCache } from '../../src/persisted/persisted-documents.middleware';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
const MAX_OPERATIONS = 8;
const MAX_BYTES = 1_000;
beforeAll(async () => {
  server = await startTestServer({ PERSISTED_OPERATIONS_MAX: String(MAX_OPERATIONS), PERSISTED_DOCUMENT_MAX_BYTES: String(MAX_BYTES) });
  actors = await createActors(server.pool);
});

const hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

async function post(body: Record<string, unknown>, key: string): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

async function get(params: Record<string, string>, key: string): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

const REGISTER = 'mutation Register($i: RegisterOperationsInput!) { registerOperations(input: $i) { operations { id operationName } } }';
const register = (key: string, input: Record<string, unknown>) => post({ query: REGISTER, variables: { i: input } }, key);
const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;
const stored = async (partnerId: number) =>
  (await server.pool.query<{ id: string }>('select id from persisted_operation where partner_id = $1 order by id', [partnerId])).rows.map((r) => r.id);

const PARTNERS = 'query TwoPartners($n: Int) { partners(first: $n) { nodes { slug } } }';
const PARTNERS_ID = `sha256:${hex(PARTNERS)}`;

describe('registering', () => {
  it('stores an operation under the SHA-256 of its text, with its operation name, and lists it to its partner', async () => {
    const res = await register(actors.partnerA, { operations: [{ document: PARTNERS }] });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.registerOperations.operations).toEqual([{ id: PARTNERS_ID, operationName: 'TwoPartners' }]);
    const list = await post({ query: '{ persistedOperations { id operationName document createdAt } }' }, actors.partnerA);
    expect(list.body.data.persistedOperations).toEqual([expect.objectContaining({ id: PARTNERS_ID, operationName: 'TwoPartners', document: PARTNERS })]);
    expect(await stored(actors.partnerAId)).toEqual([PARTNERS_ID]);
  });

  it('is idempotent: the same id again (with its id given, prefixed or bare) changes nothing', async () => {
    const before = (await server.pool.query('select created_at from persisted_operation where partner_id = $1 and id = $2', [actors.partnerAId, PARTNERS_ID])).rows[0];
    const again = await register(actors.partnerA, { operations: [{ id: PARTNERS_ID, document: PARTNERS }, { id: hex(PARTNERS), document: PARTNERS }] });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.registerOperations.operations).toEqual([{ id: PARTNERS_ID, operationName: 'TwoPartners' }]);
    const after = (await server.pool.query('select created_at from persisted_operation where partner_id = $1 and id = $2', [actors.partnerAId, PARTNERS_ID])).rows[0];
    expect(after).toEqual(before);
    expect(await stored(actors.partnerAId)).toEqual([PARTNERS_ID]);
  });

  it("accepts graphql-codegen's persisted-documents manifest { <sha256 hex>: <document> }", async () => {
    const doc = 'query Slugs{partners(first:1){nodes{slug}}}';
    const res = await register(actors.partnerA, { manifest: { [hex(doc)]: doc } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.registerOperations.operations).toEqual([{ id: `sha256:${hex(doc)}`, operationName: 'Slugs' }]);
    const run = await post({ documentId: hex(doc) }, actors.partnerA);
    expect(run.body.errors).toBeUndefined();
    expect(run.body.data.partners.nodes).toHaveLength(1);
  });

  it('refuses an id that is not the SHA-256 of the document (INVALID_VALUE), and keeps nothing of the request', async () => {
    const other = 'query Other { partners(first: 1) { nodes { slug } } }';
    const res = await register(actors.partnerPublic, { operations: [{ document: other }, { id: `sha256:${hex(`${PARTNERS} `)}`, document: PARTNERS }] });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.operations[1].id', expectedId: PARTNERS_ID });
    const manifest = await register(actors.partnerPublic, { manifest: { [hex('query X { __typename }')]: PARTNERS } });
    expect(code(manifest)).toBe('INVALID_VALUE');
    const sha1 = await register(actors.partnerPublic, { operations: [{ id: crypto.createHash('sha1').update(PARTNERS).digest('hex'), document: PARTNERS }] });
    expect(sha1.body.errors?.[0]?.message).toMatch(/hashAlgorithm/);
    expect(await stored(actors.publicPartnerId)).toEqual([]);
  });

  it("refuses a document that does not parse, or does not validate against the caller's own schema, with the GraphQL errors", async () => {
    const unparsable = await register(actors.partnerPublic, { operations: [{ document: 'query { partners(' }] });
    expect(unparsable.status).toBe(400);
    expect(unparsable.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.operations[0].document' });
    expect(unparsable.body.errors?.[0]?.extensions?.graphqlErrors[0].message).toMatch(/Syntax Error/);

    const unknown = await register(actors.partnerPublic, { operations: [{ document: '{ partners { nodes { nope } } }' }] });
    expect(code(unknown)).toBe('INVALID_VALUE');
    expect(unknown.body.errors?.[0]?.extensions?.graphqlErrors[0].message).toMatch(/Cannot query field "nope"/);

    // ANONYMIZED customer fields: in partner A's schema (ANONYMIZED agreement), not in a PUBLIC partner's.
    const anonymised = 'query Ages { customers(first: 1) { nodes { ageBand } } }';
    const publicTry = await register(actors.partnerPublic, { operations: [{ document: anonymised }] });
    expect(code(publicTry)).toBe('INVALID_VALUE');
    expect(publicTry.body.errors?.[0]?.extensions?.graphqlErrors.length).toBeGreaterThan(0);
    for (const e of publicTry.body.errors?.[0]?.extensions?.graphqlErrors ?? []) expect(e.message).not.toMatch(/Did you mean/);
    const anonymisedOk = await register(actors.partnerA, { operations: [{ document: anonymised }] });
    expect(anonymisedOk.body.errors).toBeUndefined();

    const tooDeep = `{ ${'partners { nodes { '.repeat(8)}slug${' } }'.repeat(8)} }`;
    expect(code(await register(actors.partnerPublic, { operations: [{ document: tooDeep }] }))).toBe('INVALID_VALUE');
    expect(await stored(actors.publicPartnerId)).toEqual([]);
  });

  it('holds the configured limits: document size and operations per partner', async () => {
    const big = `query Big { partners(first: 1) { nodes { slug } } } # ${'x'.repeat(MAX_BYTES)}`;
    const tooBig = await register(actors.partnerPublic, { operations: [{ document: big }] });
    expect(tooBig.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.operations[0].document' });
    const docs = Array.from({ length: MAX_OPERATIONS + 1 }, (_, i) => ({ document: `query N${i} { partners(first: ${i + 1}) { nodes { slug } } }` }));
    expect(code(await register(actors.partnerPublic, { operations: docs }))).toBe('INVALID_VALUE');
    expect(await stored(actors.publicPartnerId)).toEqual([]);
    expect((await register(actors.partnerPublic, { operations: docs.slice(0, MAX_OPERATIONS) })).body.errors).toBeUndefined();
    const oneMore = await register(actors.partnerPublic, { operations: [docs[MAX_OPERATIONS]!] });
    expect(code(oneMore)).toBe('INVALID_STATE');
    expect(await stored(actors.publicPartnerId)).toHaveLength(MAX_OPERATIONS);
  });

  it('is for partner keys only: absent from other schemas, refused to an admin (whose schema is the full one)', async () => {
    for (const key of [actors.operator, actors.analyst]) {
      const res = await register(key, { operations: [{ document: PARTNERS }] });
      expect([res.status, code(res)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
      expect(code(await post({ query: '{ persistedOperations { id } }' }, key))).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const total = async () => (await server.pool.query('select count(*)::int as n from persisted_operation')).rows[0].n;
    const before = await total();
    const admin = await register(actors.admin, { operations: [{ document: 'query ByAdmin { __typename }' }] });
    expect([admin.status, code(admin)]).toEqual([409, 'INVALID_STATE']);
    expect(code(await post({ query: '{ persistedOperations { id } }' }, actors.admin))).toBe('FORBIDDEN');
    expect(await total()).toBe(before);
  });
});

describe('executing by id', () => {
  const expected = async (n: number) => (await post({ query: PARTNERS, variables: { n } }, actors.partnerA)).body.data;

  it('runs the registered document for documentId in a POST body, prefixed or bare', async () => {
    const res = await post({ documentId: PARTNERS_ID, variables: { n: 2 }, operationName: 'TwoPartners' }, actors.partnerA);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual(await expected(2));
    expect(res.body.data.partners.nodes).toHaveLength(2);
    const bare = await post({ documentId: hex(PARTNERS), variables: { n: 1 } }, actors.partnerA);
    expect(bare.body.data).toEqual(await expected(1));
  });

  it('runs it for documentId in a GET query string', async () => {
    const res = await get({ documentId: PARTNERS_ID, variables: JSON.stringify({ n: 2 }) }, actors.partnerA);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual(await expected(2));
  });

  it("runs it for Apollo's persistedQuery extension (version 1), POST and GET, and strips the extension", async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: hex(PARTNERS) } };
    const res = await post({ extensions, variables: { n: 2 } }, actors.partnerA);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual(await expected(2));
    const viaGet = await get({ extensions: JSON.stringify(extensions), variables: JSON.stringify({ n: 1 }) }, actors.partnerA);
    expect(viaGet.body.errors).toBeUndefined();
    expect(viaGet.body.data).toEqual(await expected(1));
    const version2 = await post({ extensions: { persistedQuery: { version: 2, sha256Hash: hex(PARTNERS) } } }, actors.partnerA);
    expect([version2.status, code(version2)]).toEqual([400, 'BAD_REQUEST']);
  });

  it("answers an unknown id as Apollo does: 200, PERSISTED_QUERY_NOT_FOUND, not cached by the client's caches", async () => {
    for (const res of [
      await post({ documentId: `sha256:${hex('never registered')}` }, actors.partnerA),
      await get({ documentId: `sha256:${hex('never registered')}` }, actors.partnerA),
      await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hex('never registered') } } }, actors.partnerA),
      await post({ documentId: 'not-a-sha256' }, actors.partnerA),
    ]) {
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
      expect(res.headers.get('cache-control')).toBe('private, no-cache, must-revalidate');
    }
  });

  it("keeps ids per partner: another partner's id is not found, and so is any id for a non-partner", async () => {
    for (const key of [actors.partnerB, actors.operator, actors.admin]) {
      const res = await post({ documentId: PARTNERS_ID, variables: { n: 1 } }, key);
      expect(code(res)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.body.data).toBeUndefined();
    }
  });

  it('refuses query and documentId together, and documentId with the extension (400 BAD_REQUEST)', async () => {
    const both = await post({ documentId: PARTNERS_ID, query: PARTNERS }, actors.partnerA);
    expect([both.status, code(both)]).toEqual([400, 'BAD_REQUEST']);
    const viaGet = await get({ documentId: PARTNERS_ID, query: PARTNERS }, actors.partnerA);
    expect([viaGet.status, code(viaGet)]).toEqual([400, 'BAD_REQUEST']);
    const withExtension = await post({ documentId: PARTNERS_ID, extensions: { persistedQuery: { version: 1, sha256Hash: hex(PARTNERS) } } }, actors.partnerA);
    expect([withExtension.status, code(withExtension)]).toEqual([400, 'BAD_REQUEST']);
  });

  it("never registers from a request: Apollo's query + hash runs as a plain query, a wrong hash is refused", async () => {
    const query = 'query Apq { partners(first: 1) { nodes { slug } } }';
    const res = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hex(query) } } }, actors.partnerA);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.partners.nodes).toHaveLength(1);
    expect(await stored(actors.partnerAId)).not.toContain(`sha256:${hex(query)}`);
    expect(code(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hex(query) } } }, actors.partnerA))).toBe('PERSISTED_QUERY_NOT_FOUND');
    const wrong = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hex('other') } } }, actors.partnerA);
    expect([wrong.status, code(wrong)]).toEqual([400, 'BAD_REQUEST']);
  });

  it('leaves mutations to POST: a registered mutation by id over GET is refused (405)', async () => {
    const reg = register(actors.partnerA, { operations: [{ document: REGISTER }] });
    expect((await reg).body.errors).toBeUndefined();
    const res = await get({ documentId: `sha256:${hex(REGISTER)}`, variables: JSON.stringify({ i: { operations: [{ document: PARTNERS }] } }) }, actors.partnerA);
    expect(res.status).toBe(405);
  });
});

describe('the access ledger', () => {
  it('records the operation id of a request by id (queries and mutations), and none for a plain request', async () => {
    const byId = await post({ documentId: PARTNERS_ID, variables: { n: 1 } }, actors.partnerA);
    expect(byId.body.errors).toBeUndefined();
    const requestId = byId.headers.get('x-request-id');
    const plain = await post({ query: PARTNERS, variables: { n: 1 } }, actors.partnerA);
    const plainId = plain.headers.get('x-request-id');
    const mutation = await post({ documentId: `sha256:${hex(REGISTER)}`, variables: { i: { operations: [{ document: PARTNERS }] } } }, actors.partnerA);
    expect(mutation.body.errors).toBeUndefined();
    await server.flushLedger();
    const rows = async (id: string | null) =>
      (await server.pool.query('select operation_id, operation_name, operation_hash, partner_id, mutation from access_ledger where request_id = $1', [id])).rows;
    expect(await rows(requestId)).toEqual([{ operation_id: PARTNERS_ID, operation_name: 'TwoPartners', operation_hash: hex(PARTNERS), partner_id: actors.partnerAId, mutation: null }]);
    expect((await rows(plainId))[0]).toMatchObject({ operation_id: null, operation_name: 'TwoPartners' });
    expect(await rows(mutation.headers.get('x-request-id'))).toEqual([
      { operation_id: `sha256:${hex(REGISTER)}`, operation_name: 'Register', operation_hash: hex(REGISTER), partner_id: actors.partnerAId, mutation: 'registerOperations' },
    ]);
    const api = await post({ query: '{ accessLedger(first: 100, where: { operationId: { eq: "' + PARTNERS_ID + '" } }) { nodes { operationId requestId } } }' }, actors.partnerA);
    expect(api.body.errors).toBeUndefined();
    expect(api.body.data.accessLedger.nodes).toContainEqual({ operationId: PARTNERS_ID, requestId });
  });
});

describe('an agreement with persistedOnly', () => {
  beforeAll(async () => {
    // Partner B's agreement in force is amended from today on, through the API.
    const cur = (
      await server.pool.query<{ id: number; version: number }>(
        `select id, version from agreement where partner_id = $1 and valid_from < current_date and (valid_to is null or valid_to >= current_date) order by valid_from desc limit 1`,
        [actors.partnerBId],
      )
    ).rows[0]!;
    const today = (await server.pool.query<{ d: string }>('select current_date::text as d')).rows[0]!.d;
    const res = await post(
      {
        query: 'mutation($i: AmendAgreementInput!) { amendAgreement(input: $i) { agreement { persistedOnly validFrom } previous { persistedOnly } } }',
        variables: { i: { id: String(cur.id), expectedVersion: cur.version, effectiveFrom: today, persistedOnly: true } },
      },
      actors.operator,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.amendAgreement).toEqual({ agreement: { persistedOnly: true, validFrom: today }, previous: { persistedOnly: false } });
  });

  it('refuses a plain query with PERSISTED_QUERY_REQUIRED (400), telling how to register', async () => {
    for (const res of [
      await post({ query: PARTNERS, variables: { n: 1 } }, actors.partnerB),
      await get({ query: '{ __typename }' }, actors.partnerB),
      await post({ query: '{ __schema { types { name } } }' }, actors.partnerB), // GraphiQL's introspection too
      await post({ query: PARTNERS, extensions: { persistedQuery: { version: 1, sha256Hash: hex(PARTNERS) } } }, actors.partnerB),
      await post({ query: `${REGISTER} query Also { partners { totalCount } }`, variables: { i: { operations: [] } } }, actors.partnerB),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(code(res)).toBe('PERSISTED_QUERY_REQUIRED');
      expect(res.body.errors?.[0]?.message).toMatch(/registerOperations.*documentId/);
      expect(res.body.data).toBeUndefined();
    }
  });

  it('still lets the partner register as text, and accepts its operations by id', async () => {
    const reg = await register(actors.partnerB, { operations: [{ document: PARTNERS }] });
    expect(reg.body.errors).toBeUndefined();
    const list = await post({ query: '{ persistedOperations { id } }' }, actors.partnerB);
    expect(list.body.data.persistedOperations).toEqual([{ id: PARTNERS_ID }]);
    const byId = await post({ documentId: PARTNERS_ID, variables: { n: 2 } }, actors.partnerB);
    expect(byId.status).toBe(200);
    expect(byId.body.errors).toBeUndefined();
    expect(byId.body.data.partners.nodes).toHaveLength(2);
    const byExtension = await get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hex(PARTNERS) } }) }, actors.partnerB);
    expect(byExtension.body.errors).toBeUndefined();
    // Apollo's retry with query + a registered hash is the registered operation.
    const retry = await post({ query: PARTNERS, variables: { n: 1 }, extensions: { persistedQuery: { version: 1, sha256Hash: hex(PARTNERS) } } }, actors.partnerB);
    expect(retry.body.errors).toBeUndefined();
  });

  it('restricts that partner only: other partners, operators, analysts and admins send queries as before', async () => {
    for (const key of [actors.partnerA, actors.operator, actors.analyst, actors.admin]) {
      const res = await post({ query: PARTNERS, variables: { n: 1 } }, key);
      expect(res.status, key).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
  });

  it('shows the setting on the agreement to the partner itself', async () => {
    const res = await post({ query: `{ agreements(first: 5) { nodes { persistedOnly validTo } } }` }, actors.partnerB);
    // The partner is restricted: its own listing comes by id too.
    expect(code(res)).toBe('PERSISTED_QUERY_REQUIRED');
    const doc = '{ agreements(first: 1, where: { persistedOnly: { eq: true } }) { nodes { persistedOnly } } }';
    expect((await register(actors.partnerB, { operations: [{ document: doc }] })).body.errors).toBeUndefined();
    const byId = await post({ documentId: hex(doc) }, actors.partnerB);
    expect(byId.body.data.agreements.nodes).toEqual([{ persistedOnly: true }]);
  });
});

describe('the setting on agreements', () => {
  it('is carried over by an amendment that does not name it, and is never null', async () => {
    const cur = (
      await server.pool.query<{ id: number; version: number }>(
        `select id, version from agreement where partner_id = $1 and valid_from <= current_date and (valid_to is null or valid_to >= current_date) order by valid_from desc, id desc limit 1`,
        [actors.partnerBId],
      )
    ).rows[0]!;
    const tomorrow = (await server.pool.query<{ d: string }>(`select (current_date + 1)::text as d`)).rows[0]!.d;
    const res = await post(
      {
        query: 'mutation($i: AmendAgreementInput!) { amendAgreement(input: $i) { agreement { id persistedOnly dailyQuota } } }',
        variables: { i: { id: String(cur.id), expectedVersion: cur.version, effectiveFrom: tomorrow, dailyQuota: 12345 } },
      },
      actors.operator,
    );
    expect(res.body.errors).toBeUndefined();
    const next = res.body.data.amendAgreement.agreement;
    expect(next).toEqual({ id: expect.any(String), persistedOnly: true, dailyQuota: 12345 });
    const later = (await server.pool.query<{ d: string }>(`select (current_date + 2)::text as d`)).rows[0]!.d;
    const off = await post(
      { query: 'mutation($i: AmendAgreementInput!) { amendAgreement(input: $i) { agreement { persistedOnly } } }', variables: { i: { id: next.id, effectiveFrom: later, persistedOnly: null } } },
      actors.operator,
    );
    expect(off.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.persistedOnly' });
  });
});

describe('the document cache', () => {
  it('keeps the most recently used documents by (partner, id)', () => {
    const cache = new DocumentCache(2);
    cache.set(1, 'a', 'A');
    cache.set(2, 'a', 'B');
    expect(cache.get(1, 'a')).toBe('A'); // (1, a) is now the most recent
    cache.set(1, 'b', 'C');
    expect(cache.get(2, 'a')).toBeUndefined();
    expect([cache.get(1, 'a'), cache.get(1, 'b'), cache.size]).toEqual(['A', 'C', 2]);
  });
});
