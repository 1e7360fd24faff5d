// Seeded fuzzing: a deterministic PRNG mutates a handful of valid queries, variables and
// request envelopes (delete, duplicate and swap tokens, random bytes, big numbers, wrong
// types, deep nesting) and sends them by the thousand (2,000 requests or 20 s, whichever comes
// first). No answer may be a 5xx, none may carry INTERNAL_SERVER_ERROR or a stack trace, and
// the server must be alive afterwards. A failure prints the seed and the request to replay it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_501);
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2_000);
const MAX_MS = Number(process.env.FUZZ_MS ?? 20_000);
const CONCURRENCY = 8;

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
});

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

interface Seed {
  query: string;
  variables?: Record<string, unknown>;
}

const SEEDS: Seed[] = [
  {
    query: `query Partners($first: Int = 5, $after: String) {
  partners(first: $first, after: $after, orderBy: [{ name: ASC }]) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { slug name category qualityTier serviceTypes cities }
  } }`,
    variables: { first: 3 },
  },
  {
    query: `query MyOrders($after: String) {
  serviceOrders(first: 20, after: $after, where: { status: { eq: FULFILLED } }) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id serviceType city createdAt amount customer { id ageBand district } }
  } }`,
  },
  {
    query: `query Cases { collaborationCases(first: 10, where: { model: { eq: RESOURCE_COMPLEMENTARY } }) {
    nodes { title titleEn year parties kpis { name unit valueBefore valueAfter relativeChangePct } } } }`,
  },
  {
    query: `query CustomersByBand($band: String, $n: Int) {
  customers(first: $n, where: { ageBand: { eq: $band }, city: { eq: "Shanghai" } }) {
    totalCount nodes { id ageBand gender district membershipLevel orders(first: 3) { nodes { serviceType amount } } } } }`,
    variables: { band: '30-39', n: 5 },
  },
  {
    query: `query Filtered($w: PartnerWhere, $o: [PartnerOrderBy!]) { partners(first: 10, where: $w, orderBy: $o) { totalCount nodes { slug status } } }`,
    variables: { w: { or: [{ name: { contains: 'a' } }, { status: { in: ['ACTIVE', 'SUSPENDED'] } }] }, o: [{ slug: 'DESC' }] },
  },
  {
    query: `{ settlements(first: 5, orderBy: [{ month: DESC }]) { nodes { month model orderCount gross partnerShare platformShare partner { slug } } } }`,
  },
  {
    query: `query One($id: ID!) { serviceOrder(id: $id) { id status amount partner { slug } ratings(first: 2) { nodes { score comment } } } }`,
    variables: { id: '1' },
  },
  {
    query: `{ ratings(first: 5, where: { score: { lte: 2 } }) { totalCount nodes { score createdAt partner { name } } }
          complaints(first: 5) { nodes { category resolved } } }`,
  },
  { query: `{ accessLedger(first: 3) { totalCount nodes { role operationName rowCount } } }` },
  { query: `query Frag { partners(first: 2) { nodes { ...P } } } fragment P on Partner { slug name ... on Partner { category } }` },
];

const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\.\.|[_A-Za-z][_0-9A-Za-z]*|\$|[{}()[\]:!=@,|&]|\s+|./gs;

const NAMES = ['partners', 'nodes', 'id', 'slug', 'customer', 'orders', 'first', 'after', 'where', 'eq', 'in', 'and', 'or', 'not', '__typename', '__schema', 'query', 'fragment', 'on', 'mutation', 'subscription', 'null', 'true', 'ASC', 'DESC', 'Int', 'String', 'ID'];
const PUNCT = ['{', '}', '(', ')', '[', ']', ':', '!', '$', '=', '@', '...', ',', '"', '#', '\\', '|', '&'];
const NUMBERS = ['0', '-1', '1000000', '2147483648', '-2147483649', '9007199254740993', '1e308', '1e999', '0.5', '-0', '00012', '99999999999999999999999999'];
const STRINGS = ['""', '"\\u0000"', '"\\ud800"', '"%"', '"_"', '"\\\\"', `"${'x'.repeat(5000)}"`, '"\u202e"', '"\'; drop table partner; --"', '"\\u00e9"', '"eyJ2IjpbMV19"'];

function mutateQuery(rng: Rng, query: string): string {
  let tokens: string[] = [...(query.match(TOKEN) ?? [])];
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const i = rng.int(Math.max(tokens.length, 1));
    switch (rng.int(11)) {
      case 0: // delete
        tokens.splice(i, 1 + rng.int(3));
        break;
      case 1: // duplicate
        tokens.splice(i, 0, ...tokens.slice(i, i + 1 + rng.int(5)));
        break;
      case 2: {
        // swap
        const j = rng.int(Math.max(tokens.length, 1));
        [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
        break;
      }
      case 3:
        tokens.splice(i, 0, ' ', rng.pick(NAMES), ' ');
        break;
      case 4:
        tokens.splice(i, 0, rng.pick(PUNCT));
        break;
      case 5:
        tokens = tokens.map((t) => (/^-?\d/.test(t) && rng.chance(0.7) ? rng.pick(NUMBERS) : t));
        if (!tokens.some((t) => /^-?\d/.test(t))) tokens.splice(i, 0, `(first: ${rng.pick(NUMBERS)})`);
        break;
      case 6:
        tokens = tokens.map((t) => (t.startsWith('"') && rng.chance(0.7) ? rng.pick(STRINGS) : t));
        break;
      case 7: {
        // random bytes, including control characters and lone surrogates
        const n = 1 + rng.int(8);
        let s = '';
        for (let k = 0; k < n; k++) s += String.fromCharCode(rng.chance(0.2) ? 0xd800 + rng.int(0x800) : rng.int(0x80));
        tokens.splice(i, 0, s);
        break;
      }
      case 8: {
        // deep nesting
        const depth = rng.pick([5, 12, 40, 300, 3000]);
        tokens.splice(i, 0, '{ nodes '.repeat(depth), '{ id }', ' }'.repeat(rng.chance(0.8) ? depth : rng.int(depth)));
        break;
      }
      case 9: // truncate
        tokens = tokens.slice(0, i);
        break;
      default: {
        // an argument with a wrong type
        const args = ['first: "ten"', 'first: null', 'after: 5', 'where: []', 'where: { nope: { eq: 1 } }', 'orderBy: { id: UP }', 'first: $undeclared', 'where: { id: { in: [1, "2", null, {}] } }', 'where: { and: [[[]]] }'];
        const at = tokens.indexOf('(');
        if (at >= 0) tokens.splice(at + 1, 0, rng.pick(args), ', ');
        else tokens.splice(i, 0, `(${rng.pick(args)})`);
      }
    }
  }
  return tokens.join('');
}

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 7 : 10)) {
    case 0:
      return null;
    case 1:
      return rng.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER]);
    case 2:
      return rng.pick(['', 'x'.repeat(3000), '30-39', 'ACTIVE', 'NOT_AN_ENUM', '\u0000', '\ud800', 'bm90LWEtY3Vyc29y', '1', '-1', '2026-13-45']);
    case 3:
      return rng.chance(0.5);
    case 4:
      return rng.pick(['ASC', 'DESC', 'FULFILLED', 'RESOURCE_COMPLEMENTARY']);
    case 5:
      return String(rng.int(1_000_000));
    case 6:
      return rng.int(100);
    case 7:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
    case 8: {
      let v: unknown = { eq: 1 };
      for (let k = rng.pick([3, 50, 500]); k > 0; k--) v = rng.chance(0.5) ? { and: [v] } : { not: v };
      return v;
    }
    default:
      return Object.fromEntries(
        Array.from({ length: 1 + rng.int(4) }, () => [rng.pick(['eq', 'in', 'name', 'status', 'and', 'or', 'not', 'contains', 'id', 'first', 'w', 'x']), randomValue(rng, depth + 1)]),
      );
  }
}

function mutateVariables(rng: Rng, variables: Record<string, unknown> | undefined): unknown {
  if (rng.chance(0.05)) return rng.pick(['{"first":1}', [1, 2], 42, 'null']);
  const out: Record<string, unknown> = { ...variables };
  for (const name of ['first', 'after', 'w', 'o', 'n', 'band', 'id', 'x']) {
    if (rng.chance(0.3)) out[name] = randomValue(rng);
  }
  return out;
}

interface Sent {
  method: string;
  body?: string | Uint8Array;
  search?: string;
  headers: Record<string, string>;
}

function makeRequest(rng: Rng, keys: string[]): Sent {
  const seed = rng.pick(SEEDS);
  const query = rng.chance(0.85) ? mutateQuery(rng, seed.query) : seed.query;
  const variables = rng.chance(0.5) ? mutateVariables(rng, seed.variables) : seed.variables;
  const envelope: Record<string, unknown> = { query, variables };
  if (rng.chance(0.1)) envelope.operationName = rng.pick(['Partners', 'Nope', '', 42, null]);
  if (rng.chance(0.05)) envelope.extensions = rng.pick([{ persistedQuery: { version: 1, sha256Hash: 'abc' } }, 'x', [1]]);
  const headers: Record<string, string> = { authorization: `Bearer ${rng.pick(keys)}` };
  if (rng.chance(0.1)) {
    const search = new URLSearchParams({ query });
    if (variables !== undefined) search.set('variables', JSON.stringify(variables));
    return { method: 'GET', search: `?${search}`, headers: { ...headers, 'apollo-require-preflight': 'true' } };
  }
  let body: string | Uint8Array = JSON.stringify(envelope);
  if (rng.chance(0.1)) {
    // Damage the envelope itself: flip, drop or insert raw bytes.
    const bytes = Buffer.from(body);
    const out = Array.from(bytes);
    for (let k = 1 + rng.int(4); k > 0; k--) {
      const at = rng.int(out.length + 1);
      if (rng.chance(0.4)) out.splice(at, 1);
      else if (rng.chance(0.5)) out.splice(at, 0, rng.int(256));
      else out[at] = rng.int(256);
    }
    body = Uint8Array.from(out);
  }
  headers['content-type'] = rng.chance(0.95) ? 'application/json' : rng.pick(['text/plain', 'application/json; charset=utf-16', 'application/graphql-response+json', 'application/jsonx']);
  return { method: 'POST', body, headers };
}

function describeRequest(r: Sent): string {
  const body = typeof r.body === 'string' ? r.body : r.body ? Buffer.from(r.body).toString('latin1') : r.search;
  return `${r.method} ${r.headers['content-type'] ?? ''} ${String(body).slice(0, 600)}`;
}

describe('fuzzing the GraphQL endpoint', () => {
  it(`survives ${MAX_REQUESTS} mutated requests (seed ${SEED}) without a 5xx`, async () => {
    const rng = prng(SEED);
    const keys = [TEST_ADMIN_KEY, actors.analyst, actors.dashboard, actors.partnerA, actors.partnerPublic];
    // Generate every request up front from the one PRNG: the run is the same whatever the timing.
    const requests = Array.from({ length: MAX_REQUESTS }, () => makeRequest(rng, keys));
    const deadline = Date.now() + MAX_MS;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    const slow: [number, string][] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length && Date.now() < deadline && failures.length < 5) {
        const index = next++;
        const r = requests[index]!;
        sent++;
        let status: number;
        let text: string;
        const t0 = Date.now();
        try {
          const res = await fetch(`${server.url}/graphql${r.search ?? ''}`, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(10_000) });
          status = res.status;
          text = await res.text();
        } catch (err) {
          failures.push(`#${index} no answer (${(err as Error).message}): ${describeRequest(r)}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        slow.push([Date.now() - t0, `${status} ${describeRequest(r).slice(0, 300)}`]);
        const problem =
          status >= 500
            ? `status ${status}`
            : /INTERNAL_SERVER_ERROR/.test(text)
              ? 'INTERNAL_SERVER_ERROR in the body'
              : /"stack(trace)?"|\n\s+at \S|node_modules/.test(text)
                ? 'a stack trace in the body'
                : status >= 400 && !/"code":"[A-Z_]+"/.test(text)
                  ? 'a refusal without extensions.code'
                  : undefined;
        if (problem) failures.push(`#${index} ${problem}: ${text.slice(0, 300)}\n    request: ${describeRequest(r)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (process.env.FUZZ_SLOW) console.log(slow.sort((a, b) => b[0] - a[0]).slice(0, 15).map((x) => x.join(' ')).join('\n'));
    console.log(`fuzz seed ${SEED}: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures, `replay with FUZZ_SEED=${SEED}\n${failures.join('\n')}`).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(Math.min(MAX_REQUESTS, 500));
    // Some answers were successes and some refusals: the mutations reach both sides.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const ok = await server.gql('{ partners(first: 1) { totalCount } }');
    expect(ok.status).toBe(200);
  });
});
