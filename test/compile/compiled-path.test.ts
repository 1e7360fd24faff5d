// The compiled path (one SQL statement that builds the JSON, src/db/compile) answers exactly
// what the resolvers answer, for every role and every plain list of its schema: two servers on
// identical copies of the seeded database, one with COMPILED_QUERIES=false (the reference).
// Cursors are sealed with a random IV, so they are compared by what they lead to.
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isEnumType, isObjectType, isScalarType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { ageBand } from '../../src/anonymisation/generalise';
import { schemaKeyOf, type SchemaKey } from '../../src/auth/principal';
import { plainListOf } from '../../src/graphql/root-field';
import { fullSchema } from '../../src/graphql/schema';
import { relationOf } from '../../src/db/relations';
import { roleSchema } from '../../src/permissions/role-schema';
import { principal } from '../../src/auth/principal';
import { Role, Tier } from '../../src/permissions/tier';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type GqlResponse, type TestServer } from '../setup/server';

let compiled: TestServer;
let reference: TestServer;
let keys: { compiled: Actors; reference: Actors };

beforeAll(async () => {
  [compiled, reference] = await Promise.all([startTestServer(), startTestServer({ COMPILED_QUERIES: 'false' })]);
  keys = { compiled: await createActors(compiled.pool), reference: await createActors(reference.pool) };
});

type Caller = 'admin' | 'analyst' | 'partnerPublic' | 'partnerA';
const CALLERS: [Caller, SchemaKey][] = [
  ['admin', 'ADMIN'],
  ['analyst', 'ANALYST'],
  ['partnerPublic', 'PARTNER_PUBLIC'],
  ['partnerA', 'PARTNER_ANONYMIZED'],
];

const CURSOR = /^[A-Za-z0-9_-]{40,}$/;
/**
 * The body with every sealed cursor replaced by a placeholder, and what differs between the two
 * databases by construction: the API keys each test server created (random secrets, creation times).
 */
function normalise(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (k, v) => {
    if (typeof v === 'string' && (k === 'cursor' || k.endsWith('Cursor')) && CURSOR.test(v)) return '<cursor>';
    if (v && typeof v === 'object' && (v as { __typename?: string }).__typename === 'ApiKey') return { ...v, prefix: '<prefix>', createdAt: '<createdAt>' };
    return v;
  });
}

async function both(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<[GqlResponse, GqlResponse]> {
  return Promise.all([compiled.gql(query, variables, keys.compiled[caller] as string), reference.gql(query, variables, keys.reference[caller] as string)]);
}

/** Same status and the same body; returns the compiled answer. */
async function same(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<GqlResponse> {
  const [c, r] = await both(caller, query, variables);
  expect(normalise(c.body), query).toEqual(normalise(r.body));
  expect(c.status).toBe(r.status);
  return c;
}

function scalars(type: GraphQLObjectType): string[] {
  return Object.values(type.getFields())
    .filter((f) => {
      const t = getNamedType(f.type);
      return (isScalarType(t) || isEnumType(t)) && !f.args.length;
    })
    .map((f) => f.name);
}

/** Every scalar of the node type and one level of every relation under it. */
function selectionFor(schema: GraphQLSchema, type: GraphQLObjectType, depth: number): string {
  const parts = ['__typename', ...scalars(type)];
  if (depth > 0) {
    for (const f of Object.values(type.getFields())) {
      const rel = relationOf(type.name, f.name);
      if (!rel) continue;
      const target = getNamedType(f.type) as GraphQLObjectType;
      if (rel.kind === 'page') {
        const node = schema.getType(target.name.replace(/Connection$/, '')) as GraphQLObjectType;
        parts.push(`${f.name}(first: 2) { totalCount nodes { ${selectionFor(schema, node, depth - 1)} } }`);
      } else {
        parts.push(`${f.name} { ${selectionFor(schema, target, depth - 1)} }`);
      }
    }
  }
  return parts.join(' ');
}

describe.each(CALLERS)('every plain list as %s', (caller, key) => {
  const schema = roleSchema(fullSchema(), key);
  // The access ledger is not the same on two servers by nature (request ids, times, and when
  // each batch is flushed), so it is left out of the comparison of identical databases.
  const lists = Object.values(schema.getQueryType()!.getFields()).filter((f) => plainListOf(f.extensions) && f.name !== 'accessLedger');

  it('has lists to compare', () => {
    expect(lists.length).toBeGreaterThan(caller.startsWith('partner') ? 4 : 8);
    expect(schemaKeyOf(principal(caller === 'admin' ? Role.ADMIN : caller === 'analyst' ? Role.ANALYST : Role.PARTNER, { grantedTier: key === 'PARTNER_ANONYMIZED' ? Tier.ANONYMIZED : Tier.PUBLIC }))).toBe(key);
  });

  it.each(lists.map((f) => [f.name, f] as const))('%s: every field and one relation level, in one statement', async (name, field) => {
    const conn = getNamedType(field.type) as GraphQLObjectType;
    const node = schema.getType(conn.name.replace(/Connection$/, ''));
    if (!isObjectType(node)) throw new Error(`no node type for ${name}`);
    const resolved = Object.values(node.getFields()).some((f) => !relationOf(node.name, f.name) && ['screeningScore'].includes(f.name));
    const query = `{ ${name}(first: 7) { __typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { ${selectionFor(schema, node, 1)} } } }`;
    const c = await same(caller, query);
    expect(c.body.errors).toBeUndefined();
    // A field computed by a resolver sends the operation through graphql-js.
    if (!resolved) expect(c.statements).toBe(1);
    // Without hasNextPage the page is read without the row past it and without row numbers.
    const unnumbered = await same(caller, query.replace('hasNextPage ', ''));
    expect(unnumbered.body.errors).toBeUndefined();
    if (!resolved) expect(unnumbered.statements).toBe(1);

    // Each server's end cursor leads both servers to the same next page.
    const next = `query($after: String) { ${name}(first: 5, after: $after) { pageInfo { hasPreviousPage } nodes { id } } }`;
    const [cc] = await both(caller, query);
    const endCompiled = (cc.body.data as any)[name].pageInfo.endCursor;
    if (endCompiled) {
      const fromCompiled = await compiled.gql(next, { after: endCompiled }, keys.compiled[caller] as string);
      const endReference = ((await reference.gql(query, undefined, keys.reference[caller] as string)).body.data as any)[name].pageInfo.endCursor;
      const fromReference = await reference.gql(next, { after: endReference }, keys.reference[caller] as string);
      expect(fromCompiled.body.errors).toBeUndefined();
      expect(fromCompiled.body).toEqual(fromReference.body);
    }
  });
});

describe('operations', () => {
  it('the partner pull: pseudonyms, age bands, own orders only', async () => {
    const q = `{ customers(first: 50) { nodes { id ageBand birthDate city district streetAddress orders(first: 5, orderBy: [{ createdAt: DESC }]) { nodes { id serviceType amount createdAt status customer { id } } } } } }`;
    for (const caller of ['admin', 'analyst', 'partnerA'] as Caller[]) {
      const c = await same(caller, q);
      expect(c.statements).toBe(1);
      expect((c.body.data as any).customers.nodes.length).toBeGreaterThan(0);
    }
    const partner = await compiled.gql(q, undefined, keys.compiled.partnerA);
    for (const c of (partner.body.data as any).customers.nodes) {
      expect(c.id).toMatch(/^cus_/);
      expect(c.birthDate).toMatch(/^\d+-\d+$/);
      for (const o of c.orders.nodes) expect(o.customer.id).toBe(c.id);
    }
  });

  it('aliases, fragments, inline fragments, @skip and @include with variables, __typename', async () => {
    const q = `query Pull($yes: Boolean!, $no: Boolean!, $n: Int) {
      __typename
      a: partners(first: $n, orderBy: [{ name: ASC }]) { ...P nodes { s: slug slug @skip(if: $yes) category @include(if: $no) } }
      b: partners(first: 2, where: { category: { eq: TRAFFIC_EXCHANGE } }) { totalCount nodes { ... on Partner { slug orders(first: 1) { nodes { __typename id partner { slug } } } } } }
      serviceOrders(first: 3, where: { amount: { gte: "100.00" } }, orderBy: [{ amount: DESC }]) { edges { node { amount rating { score comment } complaints(first: 1) { totalCount } } } }
    }
    fragment P on PartnerConnection { totalCount pageInfo { hasNextPage } nodes { name } }`;
    for (const caller of ['admin', 'analyst', 'partnerA'] as Caller[]) {
      const c = await same(caller, q, { yes: true, no: false, n: 4 });
      expect(c.body.errors).toBeUndefined();
      expect(c.statements).toBe(1);
    }
  });

  it('__typename alone: the same answer, with no statement', async () => {
    const text = async () => (await fetch(`${compiled.url}/metrics`)).text();
    const compiledCount = (metrics: string) => Number(/ecograph_compiled_operations_total\{outcome="compiled"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    const q = `query Ping($skip: Boolean!) { __typename a: __typename @skip(if: $skip) ... on Query { b: __typename } }`;
    for (const caller of ['admin', 'analyst', 'partnerPublic', 'partnerA'] as Caller[]) {
      for (const skip of [true, false]) {
        const before = compiledCount(await text());
        const c = await same(caller, q, { skip });
        expect(c.body.data).toEqual(skip ? { __typename: 'Query', b: 'Query' } : { __typename: 'Query', a: 'Query', b: 'Query' });
        expect(c.statements).toBe(0);
        expect(compiledCount(await text())).toBe(before + 1);
      }
    }
  });

  it('pages with and without hasNextPage under each other, and cursors without it', async () => {
    const q = `query($after: String) {
      partners(first: 3, after: $after) { pageInfo { startCursor endCursor } edges { cursor node { slug orders(first: 2) { pageInfo { hasNextPage endCursor } nodes { id } } } } }
      customers(first: 2) { pageInfo { hasNextPage } nodes { id orders(first: 3) { edges { cursor } nodes { id amount } } } }
    }`;
    for (const caller of ['admin', 'partnerA'] as Caller[]) {
      let after: string | null = null;
      const slugs: string[] = [];
      // Walked by endCursor alone (no hasNextPage to read): the same pages on both servers.
      for (let page = 0; page < 4; page++) {
        const [c, r] = await both(caller, q, { after });
        expect(normalise(c.body)).toEqual(normalise(r.body));
        expect(c.body.errors).toBeUndefined();
        expect(c.statements).toBe(1);
        const partners: any = (c.body.data as any).partners;
        slugs.push(...partners.edges.map((e: any) => e.node.slug));
        after = partners.pageInfo.endCursor;
        if (!after) break;
      }
      expect(slugs.length).toBeGreaterThan(3);
      expect(new Set(slugs).size).toBe(slugs.length);
    }
  });

  it('first: 0, empty pages and filters that match nothing', async () => {
    const q = `{ partners(first: 0) { totalCount pageInfo { hasNextPage startCursor endCursor } nodes { slug } }
                 customers(first: 3, where: { city: { eq: "no such city" } }) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } nodes { id } } }`;
    for (const caller of ['admin', 'partnerA'] as Caller[]) await same(caller, q);
  });

  it('walks every page of a partner pull with cursors from the compiled path', async () => {
    const q = `query($after: String) { serviceOrders(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id customer { id } } } }`;
    const walk = async (server: TestServer, key: string) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res: GqlResponse = await server.gql(q, { after }, key);
        expect(res.body.errors).toBeUndefined();
        const page: any = (res.body.data as any).serviceOrders;
        ids.push(...page.nodes.map((n: any) => `${n.id}/${n.customer?.id}`));
        if (!page.pageInfo.hasNextPage) return ids;
        after = page.pageInfo.endCursor;
      }
    };
    const [c, r] = await Promise.all([walk(compiled, keys.compiled.partnerA), walk(reference, keys.reference.partnerA)]);
    expect(c.length).toBeGreaterThan(0);
    expect(new Set(c).size).toBe(c.length);
    expect(c).toEqual(r);
  });

  it('reports what the resolvers report: bad cursors, page sizes, filters the caller may not use', async () => {
    await same('partnerA', `{ customers(first: 2, after: "not-a-cursor") { nodes { id } } }`);
    await same('admin', `{ partners(first: 5000) { nodes { slug } } }`);
    await same('partnerA', `{ customers(first: 2, orderBy: [{ birthDate: ASC }]) { nodes { id } } }`);
    await same('partnerA', `{ customers(first: 2, where: { id: { eq: "cus_forged" } }) { totalCount nodes { id } } }`);
  });

  it('the access ledger counts the rows a compiled answer returned', async () => {
    const q = `query LedgerProbe { customers(first: 4) { nodes { id orders(first: 2) { nodes { id } } } } }`;
    const [c, r] = await both('partnerA', q);
    const count = (body: any) => body.data.customers.nodes.reduce((n: number, cu: any) => n + 1 + cu.orders.nodes.length, 0);
    expect(count(c.body)).toBe(count(r.body));
    await Promise.all([compiled.flushLedger(), reference.flushLedger()]);
    const rows = async (s: TestServer) =>
      (await s.pool.query<{ row_count: number }>(`select row_count from access_ledger where operation_name = 'LedgerProbe' order by id desc limit 1`)).rows[0]?.row_count;
    expect(await rows(compiled)).toBe(count(c.body));
    expect(await rows(reference)).toBe(count(r.body));
  });

  it('lookups by id and by pseudonym, found, out of scope and forged, next to lists', async () => {
    const q = `query($c: ID!, $o: ID!) {
      customer(id: $c) { id ageBand orders(first: 2) { nodes { id amount } } }
      serviceOrder(id: $o) { id amount customer { id } rating { score } }
      partners(first: 1) { nodes { slug } }
    }`;
    for (const caller of ['admin', 'partnerA', 'partnerPublic'] as Caller[]) {
      const pull = `{ serviceOrders(first: 3) { nodes { id customer { id } } } }`;
      const [cPull, rPull] = await both(caller, pull);
      const orders = (res: GqlResponse) => (res.body.data as any)?.serviceOrders?.nodes ?? [];
      const cases: [string, string, string, string][] = [
        // [compiled customer id, reference customer id, compiled order id, reference order id]
        [orders(cPull)[0]?.customer?.id ?? '1', orders(rPull)[0]?.customer?.id ?? '1', orders(cPull)[0]?.id ?? '1', orders(rPull)[0]?.id ?? '1'],
        ['cus_AAAAAAAAAAAAAAAAAAAAAA', 'cus_AAAAAAAAAAAAAAAAAAAAAA', '999999999', '999999999'],
        ['1', '1', '1', '1'],
        ['not an id', 'not an id', '-1', '-1'],
      ];
      for (const [cc, rc, co, ro] of cases) {
        const [c, r] = await Promise.all([
          compiled.gql(q, { c: cc, o: co }, keys.compiled[caller] as string),
          reference.gql(q, { c: rc, o: ro }, keys.reference[caller] as string),
        ]);
        expect(normalise(c.body), `${caller} ${cc} ${co}`).toEqual(normalise(r.body));
        if (!c.body.errors) expect(c.statements).toBe(1);
      }
    }
  });

  it('lookups by a unique key besides the id (partner and case by slug): found, unknown, and the id first when both are given', async () => {
    const slugs = (await compiled.pool.query<{ slug: string; id: number }>('select slug, id from partner order by id limit 2')).rows;
    const caseSlug = (await compiled.pool.query<{ slug: string }>('select slug from collaboration_case order by id limit 1')).rows[0]!.slug;
    const q = `query($s: String, $id: ID, $c: String!) {
      partner(slug: $s, id: $id) { id slug name qualityTier servicePoints(first: 2) { nodes { name } } }
      collaborationCase(slug: $c) { slug }
    }`;
    for (const caller of ['admin', 'partnerA', 'partnerPublic'] as Caller[]) {
      for (const v of [
        { s: slugs[0]!.slug, c: caseSlug },
        { s: 'no-such-partner', c: 'no-such-case' },
        { s: slugs[0]!.slug, id: String(slugs[1]!.id), c: caseSlug },
        { id: null, s: slugs[0]!.slug, c: caseSlug },
        { c: caseSlug },
      ]) {
        const c = await same(caller, q, v);
        expect(c.body.errors, JSON.stringify(v)).toBeUndefined();
        expect(c.statements, JSON.stringify(v)).toBe(1);
      }
    }
  });

  it("the age band in SQL is the anonymiser's age band", async () => {
    const res = await compiled.gql('{ customers(first: 100) { nodes { birthDate ageBand } } }');
    const nodes = (res.body.data as any).customers.nodes as { birthDate: string; ageBand: string }[];
    expect(nodes.length).toBe(100);
    for (const c of nodes) expect(c.ageBand, c.birthDate).toBe(ageBand(c.birthDate));
  });

  it('counts in /metrics how operations were answered', async () => {
    await compiled.gql('{ partners(first: 1) { nodes { slug } } }');
    await compiled.gql('{ ecosystemMetrics(from: "2025-01-01", to: "2025-03-01", granularity: MONTH, groupBy: CATEGORY) { series { key } } }');
    const text = await (await fetch(`${compiled.url}/metrics`)).text();
    const count = (outcome: string) => Number(new RegExp(`ecograph_compiled_operations_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('compiled')).toBeGreaterThan(0);
    expect(count('resolvers')).toBeGreaterThan(0);
    expect(count('fallback')).toBe(0);
  });
});
