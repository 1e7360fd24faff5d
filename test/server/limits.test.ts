import 'reflect-metadata';
import { getIntrospectionQuery, Lexer, parse, Source, specifiedRules, TokenKind, validate, type GraphQLError } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { fullSchema } from '../../src/graphql/schema';
import { estimateCost, limitRules } from '../../src/server/limits';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

const schema = fullSchema();
const pagination = { defaultPageSize: 20, maxPageSize: 100 };
const defaults = { maxDepth: 10, maxAliases: 30, maxCost: 50_000 };

function check(
  query: string,
  opts: { limits?: Partial<typeof defaults>; variables?: Record<string, unknown> } = {},
): readonly GraphQLError[] {
  const limits = { ...defaults, ...opts.limits };
  return validate(schema, parse(query), [...specifiedRules, ...limitRules(limits, pagination, () => opts.variables ?? {})]);
}

const codes = (errors: readonly GraphQLError[]) => errors.map((e) => e.extensions?.code);
const withCode = (errors: readonly GraphQLError[], code: string) => errors.filter((e) => e.extensions?.code === code);
const cost = (query: string, variables: Record<string, unknown> = {}) => estimateCost(schema, parse(query), variables, pagination);

/** partners > nodes > orders > nodes > customer > orders > nodes > customer > orders > nodes > id */
const DEPTH_11 = `{ partners { nodes { orders { nodes { customer { orders { nodes { customer { orders { nodes { id } } } } } } } } } } }`;
const DEPTH_10 = `{ partners { nodes { orders { nodes { customer { orders { nodes { customer { orders { totalCount } } } } } } } } } }`;

describe('query limits', () => {
  it('lets a shallow query through', () => {
    expect(check('{ partners(first: 5) { totalCount nodes { slug __typename } } }')).toEqual([]);
  });

  describe('depth', () => {
    it('refuses one level too many', () => {
      const errors = check(DEPTH_11, { limits: { maxCost: Number.MAX_SAFE_INTEGER } });
      expect(codes(errors)).toEqual(['QUERY_TOO_DEEP']);
      expect(errors[0]!.message).toBe('The query is 11 levels deep; the limit is 10');
      expect(errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 10, depth: 11 });
    });

    it('allows exactly the limit', () => {
      expect(check(DEPTH_10, { limits: { maxCost: Number.MAX_SAFE_INTEGER } })).toEqual([]);
    });

    it('does not count __typename', () => {
      const query = `{ partners { nodes { orders { nodes { customer { orders { nodes { customer { orders { nodes { __typename } } } } } } } } } } }`;
      expect(withCode(check(query), 'QUERY_TOO_DEEP')).toEqual([]);
    });

    it('follows fragment spreads and inline fragments', () => {
      const query = `
        query { ...Root }
        fragment Root on Query { partners { ...Page } }
        fragment Page on PartnerConnection { nodes { ... on Partner { orders { nodes { ...Order } } } } }
        fragment Order on ServiceOrder { customer { orders { nodes { ... { customer { orders { nodes { id } } } } } } } }
      `;
      const errors = withCode(check(query), 'QUERY_TOO_DEEP');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.extensions).toMatchObject({ limit: 10, depth: 11 });
    });

    it('measures each operation of a document on its own', () => {
      const errors = withCode(check(`query Deep ${DEPTH_11} query Shallow { partners { totalCount } }`), 'QUERY_TOO_DEEP');
      expect(errors).toHaveLength(1);
    });

    it('survives fragment cycles (reported by graphql itself)', () => {
      const query = `
        { partners { nodes { ...A } } }
        fragment A on Partner { orders { nodes { partner { ...B } } } }
        fragment B on Partner { slug ...A }
      `;
      const errors = check(query);
      expect(errors.some((e) => /cannot spread fragment/i.test(e.message))).toBe(true);
      expect(Number.isFinite(cost(query))).toBe(true);
    });

    it('stays linear when fragments spread each other many times', () => {
      // 2^40 paths if fragments were expanded naively.
      const frags = Array.from({ length: 40 }, (_, i) =>
        i === 39 ? `fragment F${i} on Partner { slug }` : `fragment F${i} on Partner { ...F${i + 1} ...F${i + 1} }`,
      );
      const doc = parse(`{ partners { nodes { ...F0 } } } ${frags.join('\n')}`);
      const errors = validate(schema, doc, limitRules(defaults, pagination, () => ({})));
      expect(codes(errors)).toEqual(['QUERY_TOO_COSTLY']);
    });

    it('lets the standard introspection query through', () => {
      const query = getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      });
      expect(check(query)).toEqual([]);
    });

    it('refuses a deeply nested introspection query, whatever the configured limit', () => {
      const ofTypes = 'ofType { '.repeat(14) + 'name' + ' }'.repeat(14);
      const query = `{ __schema { types { fields { type { ${ofTypes} } } } } }`;
      const errors = withCode(check(query, { limits: { maxDepth: 100 } }), 'QUERY_TOO_DEEP');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toBe('The introspection query is 19 levels deep; the limit is 15');
      expect(errors[0]!.extensions).toMatchObject({ limit: 15, depth: 19 });
    });

    it('does not count introspection against the ordinary limit', () => {
      const query = `{ __type(name: "Partner") { fields { type { ofType { ofType { ofType { name } } } } } } }`;
      expect(check(query, { limits: { maxDepth: 3 } })).toEqual([]);
    });
  });

  describe('aliases and directives', () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;

    it('allows the limit and refuses one more, __typename aliases included', () => {
      expect(check(aliased(30))).toEqual([]);
      const errors = check(aliased(31));
      expect(codes(errors)).toEqual(['TOO_MANY_ALIASES']);
      expect(errors[0]!.message).toBe('The query uses 31 aliases; the limit is 30');
      expect(errors[0]!.extensions).toMatchObject({ limit: 30, aliases: 31 });
    });

    it('counts aliases in fragments and nested selections', () => {
      const query = `
        { p1: partners(first: 1) { n: nodes { ...F } } }
        fragment F on Partner { ${Array.from({ length: 29 }, (_, i) => `s${i}: slug`).join(' ')} }
      `;
      expect(withCode(check(query), 'TOO_MANY_ALIASES')).toHaveLength(1);
    });

    it('refuses more than 50 directives', () => {
      // Counted whether or not the schema knows them (KnownDirectivesRule judges that).
      const fields = (n: number) => `{ ${Array.from({ length: n }, () => '__typename @include(if: true)').join(' ')} }`;
      const directiveErrors = (errors: readonly GraphQLError[]) => errors.filter((e) => e.extensions?.directives !== undefined);
      expect(directiveErrors(check(fields(50)))).toEqual([]);
      const errors = directiveErrors(check(fields(51)));
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toBe('The query uses 51 directives; the limit is 50');
      expect(errors[0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 50, directives: 51 });
    });
  });

  describe('as graphql-armor counts them', () => {
    it('measures introspection reached through fragments against its own cap', () => {
      const query = `
        { ...Q }
        fragment Q on Query { __schema { types { ...T } } }
        fragment T on __Type { fields { type { ${'ofType { '.repeat(14)}name${' }'.repeat(14)} } } }
      `;
      const errors = withCode(check(query, { limits: { maxDepth: 100 } }), 'QUERY_TOO_DEEP');
      expect(errors.map((e) => e.extensions)).toMatchObject([{ limit: 15, depth: 19 }]);
    });

    it('measures a fragment spread both inside and outside introspection in each place', () => {
      // T is 2 levels inside __type (3 + 2 = 5 deep) and 2 levels inside partners.nodes: a
      // plain depth of 4 with the limit at 3.
      const query = `{ __type(name: "Partner") { ...T } partners { nodes { ...P } } }
        fragment T on __Type { fields { name } }
        fragment P on Partner { orders { totalCount } }`;
      expect(withCode(check(query, { limits: { maxDepth: 4 } }), 'QUERY_TOO_DEEP')).toEqual([]);
      expect(withCode(check(query, { limits: { maxDepth: 3 } }), 'QUERY_TOO_DEEP').map((e) => e.extensions)).toMatchObject([{ limit: 3, depth: 4 }]);
    });

    it('counts the aliases of a fragment each time it is spread', () => {
      const fields = Array.from({ length: 15 }, (_, i) => `s${i}: slug`).join(' ');
      const query = `{ a: partners { nodes { ...F } } b: partners { nodes { ...F } } } fragment F on Partner { ${fields} }`;
      expect(withCode(check(query), 'TOO_MANY_ALIASES').map((e) => e.extensions)).toMatchObject([{ limit: 30, aliases: 32 }]);
    });

    it('points at the operation refused', () => {
      const errors = check(`query Fine { partners { totalCount } }\nquery Deep ${DEPTH_11}`, { limits: { maxCost: Number.MAX_SAFE_INTEGER } });
      expect(codes(errors)).toEqual(['QUERY_TOO_DEEP']);
      expect(errors[0]!.locations).toEqual([{ line: 2, column: 1 }]);
    });
  });

  describe('cost', () => {
    const nested = '{ partners(first: 100) { nodes { orders(first: 100) { nodes { id } } } } }';

    it('multiplies nested pages', () => {
      expect(cost(nested)).toBe(1 + 1 + 100 * (1 + 1 + 100));
      const errors = check(nested, { limits: { maxCost: 5_000 } });
      expect(codes(errors)).toEqual(['QUERY_TOO_COSTLY']);
      expect(errors[0]!.message).toBe('The query could return about 10202 rows; the limit is 5000. Ask for smaller pages.');
      expect(errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: 5_000, cost: 10_202 });
    });

    it('lets a small page through', () => {
      expect(check('{ partners(first: 5) { nodes { slug } } }', { limits: { maxCost: 5_000 } })).toEqual([]);
    });

    it('uses the default page size when first is absent, the maximum when it is out of range', () => {
      expect(cost('{ partners { nodes { slug } } }')).toBe(2 + 20);
      expect(cost('{ partners(first: null) { nodes { slug } } }')).toBe(2 + 20);
      expect(cost('{ partners(first: 100000) { nodes { slug } } }')).toBe(2 + 100);
      expect(cost('{ partners(first: -1) { nodes { slug } } }')).toBe(2 + 100);
      expect(cost('query($n: Int) { partners(first: $n) { nodes { slug } } }', { n: 'many' })).toBe(2 + 100);
    });

    it('counts edges like nodes, and totalCount once', () => {
      expect(cost('{ partners(first: 10) { totalCount edges { cursor node { slug } } } }')).toBe(1 + 1 + 1 + 10 * (1 + 1 + 1));
    });

    it('counts plain lists as 10 items', () => {
      expect(cost('{ collaborationCases(first: 2) { nodes { kpis { name unit } } } }')).toBe(1 + 1 + 2 * (1 + 10 * 2));
    });

    it('honours variables for first', () => {
      const small = 'query($n: Int) { partners(first: $n) { nodes { slug } } }';
      expect(check(small, { variables: { n: 2 }, limits: { maxCost: 5 } })).toEqual([]);
      expect(cost(small, { n: 2 })).toBe(4);
      const big = 'query($n: Int) { partners(first: $n) { nodes { orders(first: $n) { nodes { id } } } } }';
      expect(check(big, { variables: { n: 2 }, limits: { maxCost: 5_000 } })).toEqual([]);
      expect(codes(check(big, { variables: { n: 100 }, limits: { maxCost: 5_000 } }))).toEqual(['QUERY_TOO_COSTLY']);
    });

    it('uses a variable default when the variable is not given', () => {
      expect(cost('query($n: Int = 7) { partners(first: $n) { nodes { slug } } }')).toBe(2 + 7);
      expect(cost('query($n: Int = 7) { partners(first: $n) { nodes { slug } } }', { n: 3 })).toBe(2 + 3);
    });

    it('follows fragments, keeping the page size of the enclosing connection', () => {
      const query = `
        { partners(first: 100) { ...Page } }
        fragment Page on PartnerConnection { nodes { ...P } }
        fragment P on Partner { orders(first: 100) { nodes { id } } }
      `;
      expect(cost(query)).toBe(cost(nested));
    });
  });

  describe('floods', () => {
    it('completes on 10,000 __typename selections, and refuses them aliased', () => {
      const plain = check(`{ ${Array.from({ length: 10_000 }, () => '__typename').join(' ')} }`);
      expect(Array.isArray(plain)).toBe(true);
      const aliased = check(`{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
      expect(codes(aliased)).toContain('TOO_MANY_ALIASES');
    });
  });

  it('names no schema field or type in its messages', () => {
    const ours = (errors: readonly GraphQLError[]) => errors.filter((e) => e.extensions?.limit !== undefined);
    const errors = [
      ...ours(check(DEPTH_11, { limits: { maxCost: 5_000 } })),
      ...ours(check(`{ ${Array.from({ length: 60 }, (_, i) => `a${i}: __typename @skip(if: false)`).join(' ')} }`)),
    ];
    expect(errors.length).toBeGreaterThanOrEqual(4);
    for (const e of errors) expect(e.message).not.toMatch(/partner|order|customer|node|typename|skip|connection/i);
  });
});

// The token limit is the parser's (Apollo parses before any validation rule runs): checked
// over HTTP, where a refusal must be a 400 with its own code, answered through Apollo's usual
// plugins, and never the 500 graphql-armor's own max-tokens plugin gives on Apollo 5.
describe('token limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MAX_QUERY_TOKENS: '1000' });
  });

  async function post(query: string, accept?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` };
    if (accept) headers.accept = accept;
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as any };
  }
  /** A valid query of n tokens: 20 around a list of n - 20 strings. */
  const tokens = (n: number) => `{ partners(where: { slug: { in: [${' "x"'.repeat(n - 20)} ] } }) { totalCount } }`;
  const countTokens = (doc: string) => {
    const lexer = new Lexer(new Source(doc));
    let n = 0;
    while (lexer.advance().kind !== TokenKind.EOF) n += 1;
    return n;
  };

  it('answers a document of exactly the limit', async () => {
    expect(countTokens(tokens(1000))).toBe(1000);
    const res = await post(tokens(1000));
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json.data.partners).toEqual({ totalCount: 0 });
  });

  it('refuses one token more with 400 and TOO_MANY_TOKENS', async () => {
    for (const accept of [undefined, 'application/json', 'application/graphql-response+json']) {
      const res = await post(tokens(1001), accept);
      expect(res.status, res.text).toBe(400);
      expect(res.json.errors).toHaveLength(1);
      expect(res.json.errors[0]).toMatchObject({
        message: 'The query has more than 1000 tokens (names, values, punctuation); the limit is 1000',
        extensions: { code: 'TOO_MANY_TOKENS', limit: 1000 },
      });
      expect(res.text).not.toMatch(/stack|at .*\.js:\d+/);
      // Set in willSendResponse: the usual plugins (status, request log, ledger) saw it.
      expect(res.headers.get('x-sql-statements')).toBe('0');
    }
  });

  it('refuses a megabyte of tokens as quickly', async () => {
    const res = await post(`{ ${'a '.repeat(400_000)}}`);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('TOO_MANY_TOKENS');
  });

  it('leaves syntax errors to GRAPHQL_PARSE_FAILED, 400', async () => {
    for (const query of ['{ partners { ', `${tokens(500)} }`]) {
      const res = await post(query);
      expect(res.status).toBe(400);
      expect(res.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.json.errors[0].message).toMatch(/^Syntax Error/);
    }
  });
});
